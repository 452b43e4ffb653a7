/*
 * Career Coach widget: rating an answer (load before career-coach.js).
 *
 * A knowledge answer arrives with an "answer_id"; under it the widget shows two small buttons,
 * "Helpful" and "Not helpful". A click sends /feedback{"answer_id": …, "rating": …} without showing
 * a message of the user's; after "Not helpful" an optional one-line box asks what was wrong and
 * sends /feedback{"answer_id": …, "comment": …}. The rating is kept with the message in the
 * transcript, so a reload shows it. Text is only ever put on the page with textContent.
 */
(function () {
  "use strict";

  var ANSWER_ID = /^[0-9a-f]{12}$/;
  var MAX_COMMENT = 1000;

  function payload(fields) {
    return "/feedback" + JSON.stringify(fields);
  }

  /* The answer id a bot_uttered event carries, if it is one. */
  function answerId(data) {
    return data && typeof data.answer_id === "string" && ANSWER_ID.test(data.answer_id) ? data.answer_id : undefined;
  }

  function commentForm(message, widget, bar) {
    var el = widget.el;
    var form = el("form", "cc-feedback-comment");
    form.setAttribute("autocomplete", "off");
    var input = el("input", "cc-feedback-input");
    input.type = "text";
    input.maxLength = MAX_COMMENT;
    input.placeholder = "What was wrong? (optional)";
    input.setAttribute("aria-label", "What was wrong? (optional)");
    var send = el("button", "cc-feedback-send", "Send");
    send.type = "submit";
    form.appendChild(input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = input.value.trim();
      if (!comment) return;
      message.commented = true;
      bar.removeChild(form);
      widget.sendQuietly(payload({ answer_id: message.answerId, comment: comment }));
    });
    return form;
  }

  /* The rating bar of a bot message with an answer id (the one message of the answer that shows it). */
  function bar(message, widget) {
    var id = message.answerId;
    if (!ANSWER_ID.test(id)) return null;
    widget.state.messages.forEach(function (other) {
      if (other !== message && other.answerId === id) delete other.answerId; // an earlier paragraph
    });
    var earlier = widget.log.querySelectorAll('.cc-feedback[data-answer-id="' + id + '"]');
    for (var i = 0; i < earlier.length; i++) earlier[i].parentNode.removeChild(earlier[i]);

    var el = widget.el;
    var node = el("div", "cc-feedback");
    node.setAttribute("data-answer-id", id);
    node.setAttribute("role", "group");
    node.setAttribute("aria-label", "Rate this answer");
    [["helpful", "Helpful"], ["not_helpful", "Not helpful"]].forEach(function (choice) {
      var button = el("button", "cc-feedback-button", choice[1]);
      button.type = "button";
      button.title = choice[1] + ": rate this answer";
      button.setAttribute("aria-pressed", String(message.rating === choice[0]));
      button.disabled = !!message.rating;
      button.addEventListener("click", function () {
        message.rating = choice[0];
        var buttons = node.querySelectorAll(".cc-feedback-button");
        for (var j = 0; j < buttons.length; j++) {
          buttons[j].disabled = true;
          buttons[j].setAttribute("aria-pressed", String(buttons[j] === button));
        }
        if (choice[0] === "not_helpful") node.appendChild(commentForm(message, widget, node));
        widget.sendQuietly(payload({ answer_id: id, rating: choice[0] }));
      });
      node.appendChild(button);
    });
    if (message.rating === "not_helpful" && !message.commented) node.appendChild(commentForm(message, widget, node));
    return node;
  }

  window.CareerCoachFeedback = { answerId: answerId, bar: bar };
})();
