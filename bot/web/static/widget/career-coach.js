/*
 * Career Coach chat widget: talks to Rasa's socket.io channel (session_persistence: true).
 *
 * Needs socket.io-client's browser build (window.io) loaded first, and an element to live in:
 *   <div id="career-coach"></div>
 * Options come from window.CAREER_COACH (all optional):
 *   socketUrl  where the Rasa server listens, e.g. "https://coach.example.com"
 *              (empty: this page's host on rasaPort)
 *   rasaPort   5005 by default
 *   mount      CSS selector of the element to render into ("#career-coach")
 *   storage    "local" (default: the conversation survives closing the tab) or "session"
 *
 * The conversation's session id and its transcript are kept in browser storage: Rasa keeps the
 * dialogue state under that id, but does not replay the messages, so the widget re-renders its own.
 * Every text (the user's and the bot's) is put on the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "career-coach.conversation.v1";
  var MAX_STORED = 200; // messages kept in storage
  var REPLY_TIMEOUT_MS = 30000;
  var STARTERS = [
    "How much do engineering managers make?",
    "What certs do I need for project manager?",
    "EM vs director?",
  ];

  var config = window.CAREER_COACH || {};

  function serverUrl() {
    if (config.socketUrl) return config.socketUrl;
    return location.protocol + "//" + location.hostname + ":" + (config.rasaPort || 5005);
  }

  // ---- storage (a broken or full storage only costs persistence, never the chat) ----------------
  function store() {
    try {
      return config.storage === "session" ? window.sessionStorage : window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function load() {
    try {
      var raw = store() && store().getItem(STORAGE_KEY);
      var saved = raw ? JSON.parse(raw) : null;
      if (saved && Array.isArray(saved.messages)) {
        return { sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null, messages: saved.messages };
      }
    } catch (e) { /* unreadable: start afresh */ }
    return { sessionId: null, messages: [] };
  }

  function save(state) {
    try {
      if (store()) {
        store().setItem(STORAGE_KEY, JSON.stringify({
          sessionId: state.sessionId, messages: state.messages.slice(-MAX_STORED),
        }));
      }
    } catch (e) { /* full or forbidden: the chat goes on without persistence */ }
  }

  /* {text, source}: a closing "Source: …" line is shown as a caption under the answer. */
  function splitSource(text) {
    var lines = text.replace(/\s+$/, "").split("\n");
    var last = lines[lines.length - 1];
    if (lines.length > 1 && /^Source:/.test(last)) {
      lines.pop();
      return { text: lines.join("\n").replace(/\s+$/, ""), source: last };
    }
    if (lines.length === 1 && /^Source:/.test(last)) return { text: "", source: last };
    return { text: lines.join("\n"), source: null };
  }

  // ---- DOM helpers ------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function Widget(root) {
    this.root = root;
    this.state = load();
    this.pending = []; // messages typed before the session was confirmed
    this.confirmed = false;
    this.replyTimer = null;
    this.build();
    this.renderAll();
    this.connect();
  }

  Widget.prototype.build = function () {
    var self = this;
    var uid = "cc-" + Math.random().toString(36).slice(2, 8);
    this.root.classList.add("cc-widget");
    this.root.setAttribute("role", "region");
    this.root.setAttribute("aria-label", "Career Coach chat");
    this.root.textContent = "";

    var header = el("div", "cc-header");
    var titles = el("div", "cc-titles");
    titles.appendChild(el("h2", "cc-title", "Career Coach"));
    this.status = el("p", "cc-status", "Connecting…");
    this.status.setAttribute("role", "status");
    titles.appendChild(this.status);
    header.appendChild(titles);
    var reset = el("button", "cc-reset", "New chat");
    reset.type = "button";
    reset.title = "Start a new conversation";
    reset.addEventListener("click", function () { self.restart(); });
    header.appendChild(reset);
    this.root.appendChild(header);

    this.log = el("div", "cc-log");
    this.log.id = uid + "-log";
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-relevant", "additions");
    this.log.setAttribute("aria-label", "Conversation");
    this.log.tabIndex = 0; // scrollable with the keyboard
    this.root.appendChild(this.log);

    this.typing = el("div", "cc-typing", "Career Coach is typing…");
    this.typing.hidden = true;
    this.root.appendChild(this.typing);

    var form = el("form", "cc-form");
    form.setAttribute("autocomplete", "off");
    var label = el("label", "cc-visually-hidden", "Your question for Career Coach");
    label.htmlFor = uid + "-input";
    this.input = el("input", "cc-input");
    this.input.id = uid + "-input";
    this.input.type = "text";
    this.input.name = "message";
    this.input.maxLength = 2000;
    this.input.placeholder = "Ask about roles, salaries, certifications…";
    this.input.setAttribute("enterkeyhint", "send");
    var send = el("button", "cc-send", "Send");
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
    this.root.appendChild(form);
  };

  // ---- rendering --------------------------------------------------------------------------------
  Widget.prototype.renderAll = function () {
    this.log.textContent = "";
    if (!this.state.messages.length) {
      this.renderWelcome();
    }
    for (var i = 0; i < this.state.messages.length; i++) {
      var isLast = i === this.state.messages.length - 1;
      this.renderMessage(this.state.messages[i], isLast);
    }
    this.scrollDown();
  };

  Widget.prototype.renderWelcome = function () {
    var self = this;
    var welcome = el("div", "cc-welcome");
    welcome.appendChild(el("p", "cc-bubble cc-bot",
      "Hi! I'm Career Coach. Ask me about the path from engineer to engineering manager, director and beyond: " +
      "roles, salaries, certifications, degrees and how long each step takes."));
    var chips = el("div", "cc-buttons");
    STARTERS.forEach(function (question) {
      var chip = el("button", "cc-button", question);
      chip.type = "button";
      chip.addEventListener("click", function () { self.send(question, question); });
      chips.appendChild(chip);
    });
    welcome.appendChild(chips);
    this.log.appendChild(welcome);
  };

  Widget.prototype.renderMessage = function (message, withButtons) {
    var self = this;
    var row = el("div", "cc-row cc-row-" + (message.from === "user" ? "user" : "bot"));
    var bubble = el("div", "cc-bubble " + (message.from === "user" ? "cc-user" : "cc-bot"));
    var label = el("span", "cc-visually-hidden", message.from === "user" ? "You said: " : "Career Coach: ");
    bubble.appendChild(label);
    var parts = splitSource(String(message.text || ""));
    if (parts.text) bubble.appendChild(el("span", "cc-text", parts.text));
    var drawn = message.path && window.CareerCoachPath && window.CareerCoachPath.figure(message.path);
    if (drawn) bubble.appendChild(drawn); // widget/path.js
    if (parts.source) bubble.appendChild(el("span", "cc-source", parts.source));
    var rating = message.answerId && window.CareerCoachFeedback && window.CareerCoachFeedback.bar(message, this);
    if (rating) bubble.appendChild(rating); // widget/feedback.js
    row.appendChild(bubble);
    this.log.appendChild(row);
    this.lastNodes = [row];

    var buttons = message.buttons || [];
    if (withButtons && buttons.length) {
      var group = el("div", "cc-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested replies");
      buttons.forEach(function (b) {
        var button = el("button", "cc-button", b.title);
        button.type = "button";
        button.addEventListener("click", function () { self.send(b.payload, b.title); });
        group.appendChild(button);
      });
      this.log.appendChild(group);
      this.lastNodes.push(group);
    }
  };

  Widget.prototype.scrollDown = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  Widget.prototype.dropButtons = function () {
    var groups = this.log.querySelectorAll(".cc-buttons");
    for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
    var welcome = this.log.querySelector(".cc-welcome");
    if (welcome) welcome.parentNode.removeChild(welcome);
  };

  Widget.prototype.add = function (message) {
    this.dropButtons(); // suggestions belong to the latest message only
    this.state.messages.push(message);
    save(this.state);
    this.renderMessage(message, true);
    this.scrollDown();
  };

  /* Rasa's socket.io channel sends each paragraph as its own message, so the answer's closing
   * "Source: …" paragraph (which carries the buttons) arrives alone: it joins the answer above it. */
  Widget.prototype.addSource = function (text, buttons, answerId) {
    var last = this.state.messages[this.state.messages.length - 1];
    if (answerId) last.answerId = answerId;
    last.text = (last.text ? last.text + "\n\n" : "") + text;
    last.buttons = (last.buttons || []).concat(buttons);
    this.redrawLast(last);
  };

  /* A career path (custom payload {"path": …}, after the answer's text) is drawn in that answer. */
  Widget.prototype.addPath = function (path) {
    var last = this.state.messages[this.state.messages.length - 1];
    if (!last || last.from !== "bot") return;
    last.path = path;
    this.redrawLast(last);
  };

  Widget.prototype.redrawLast = function (last) {
    save(this.state);
    (this.lastNodes || []).forEach(function (node) {
      if (node.parentNode) node.parentNode.removeChild(node);
    });
    this.renderMessage(last, true);
    this.scrollDown();
  };

  Widget.prototype.setStatus = function (text, problem) {
    this.status.textContent = text;
    this.root.classList.toggle("cc-offline", !!problem);
  };

  Widget.prototype.showTyping = function (on) {
    var self = this;
    clearTimeout(this.replyTimer);
    this.typing.hidden = !on;
    if (on) this.replyTimer = setTimeout(function () { self.typing.hidden = true; }, REPLY_TIMEOUT_MS);
  };

  // ---- talking to Rasa --------------------------------------------------------------------------
  Widget.prototype.connect = function () {
    var self = this;
    if (typeof window.io !== "function") {
      this.setStatus("The chat library did not load.", true);
      return;
    }
    this.socket = window.io(serverUrl(), { path: config.socketPath || "/socket.io" });
    this.socket.on("connect", function () {
      self.confirmed = false;
      self.socket.emit("session_request", { session_id: self.state.sessionId });
    });
    this.socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : data && data.session_id;
      if (!id) return;
      if (id !== self.state.sessionId) {
        self.state.sessionId = id;
        save(self.state);
      }
      self.confirmed = true;
      self.root.setAttribute("data-session-id", id);
      self.setStatus("Online", false);
      var queued = self.pending.splice(0);
      queued.forEach(function (payload) { self.emit(payload); });
    });
    this.socket.on("bot_uttered", function (data) {
      if (!data) return;
      if (data.path) return self.addPath(data.path);
      var buttons = (data.quick_replies || data.buttons || [])
        .filter(function (b) { return b && b.title && b.payload; })
        .map(function (b) { return { title: String(b.title), payload: String(b.payload) }; });
      if (!data.text && !buttons.length) return;
      self.showTyping(false);
      var text = String(data.text || "");
      var answerId = window.CareerCoachFeedback && window.CareerCoachFeedback.answerId(data);
      var last = self.state.messages[self.state.messages.length - 1];
      if (/^Source:/.test(text) && last && last.from === "bot" && !/\nSource:|^Source:/.test(last.text)) {
        self.addSource(text, buttons, answerId);
      } else {
        self.add({ from: "bot", text: text, buttons: buttons, answerId: answerId });
      }
    });
    this.socket.on("disconnect", function () {
      self.confirmed = false;
      self.setStatus("Reconnecting…", true);
    });
    this.socket.on("connect_error", function () {
      self.setStatus("Can't reach the coach right now. Retrying…", true);
    });
  };

  Widget.prototype.emit = function (payload) {
    this.socket.emit("user_uttered", { message: payload, session_id: this.state.sessionId });
  };

  /* Send `payload` (what Rasa gets) and show `shown` (what the user sees) as their message. */
  Widget.prototype.send = function (payload, shown) {
    this.add({ from: "user", text: shown });
    this.sendQuietly(payload);
    this.input.focus();
  };

  Widget.prototype.el = el; // for widget/feedback.js

  /* Send `payload` without showing it as the user's message (a rating: widget/feedback.js). */
  Widget.prototype.sendQuietly = function (payload) {
    save(this.state);
    this.showTyping(true);
    if (this.socket && this.confirmed) this.emit(payload);
    else this.pending.push(payload);
  };

  Widget.prototype.restart = function () {
    this.state = { sessionId: null, messages: [] };
    save(this.state);
    this.renderAll();
    this.showTyping(false);
    if (this.socket && this.socket.connected) {
      this.confirmed = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.input.focus();
  };

  function start() {
    var root = document.querySelector(config.mount || "#career-coach");
    if (root && !root.careerCoach) root.careerCoach = new Widget(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
