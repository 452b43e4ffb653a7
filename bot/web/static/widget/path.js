/*
 * Career Coach: a career path drawn as a small diagram (boxes for roles, arrows for steps).
 *
 * Draws the custom payload {"path": {...}} the bot sends after a path answer; the schema is
 * documented in actions/path_payload.py. window.CareerCoachPath.figure(path) returns a <figure>
 * (or null for a payload it cannot read); career-coach.js puts it under the answer's text.
 *
 * Rows of HTML boxes with CSS arrows down between them (widget/path.css), so it reflows at any
 * width: one role a row for a "chain"; for "layers" (the whole ladder) a row a career stage, each
 * box listing the steps out of it. Dashed arrows and "(implied)" mark steps the article implies
 * but doesn't state. The diagram has a text alternative (role="img" with an aria-label listing
 * the steps). All text goes in with textContent, never as HTML.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  /* The payload with only what this file reads, or null when it is not a path. */
  function read(path) {
    if (!path || path.type !== "career_path" || !Array.isArray(path.steps) || !path.steps.length) return null;
    var steps = path.steps.filter(function (s) {
      return s && typeof s.role === "string" && typeof s.label === "string" && typeof s.layer === "number";
    });
    var known = {};
    steps.forEach(function (s) { known[s.role] = s; });
    var edges = (Array.isArray(path.edges) ? path.edges : []).filter(function (e) {
      return e && known[e.from] && known[e.to];
    }).map(function (e) {
      return { from: e.from, to: e.to, implied: e.implied === true,
               duration: typeof e.duration === "string" ? e.duration : "" };
    });
    return {
      title: typeof path.title === "string" ? path.title : "Career path",
      layers: path.layout === "layers" && Array.isArray(path.layers) ? path.layers.map(String) : null,
      steps: steps, edges: edges, known: known,
      current: typeof path.current === "string" ? path.current : null,
      goal: typeof path.goal === "string" ? path.goal : null,
    };
  }

  function rows(path) {
    var byLayer = {};
    path.steps.forEach(function (s) { (byLayer[s.layer] = byLayer[s.layer] || []).push(s); });
    return Object.keys(byLayer).map(Number).sort(function (a, b) { return a - b; })
      .map(function (layer) { return byLayer[layer]; });
  }

  function tag(path, role) {
    if (role === path.current) return "you are here";
    if (role === path.goal) return "your goal";
    return "";
  }

  /* "between five and eight years; implied step": what the edges into a row say. */
  function edgeNote(edges) {
    var durations = [];
    edges.forEach(function (e) { if (e.duration && durations.indexOf(e.duration) < 0) durations.push(e.duration); });
    var implied = edges.length && edges.every(function (e) { return e.implied; });
    return durations.concat(implied ? ["implied step"] : []).join("; ");
  }

  function named(path, step) {
    var marked = tag(path, step.role);
    return step.label + (marked ? " (" + marked + ")" : "");
  }

  /* The text alternative: the steps in order (a chain), or each stage's roles and every step. */
  function description(path, grouped) {
    if (!path.layers) {
      return "Career path: " + path.steps.map(function (s, i) {
        var note = i ? edgeNote(path.edges.filter(function (e) { return e.to === s.role; })) : "";
        return named(path, s) + (note ? " (" + note + ")" : "");
      }).join(", then ") + ".";
    }
    var stages = grouped.map(function (row) {
      var roles = row.map(function (s) { return named(path, s); });
      return (path.layers[row[0].layer] || "") + ": " + roles.join(", ");
    });
    var steps = path.edges.map(function (e) {
      var note = edgeNote([e]);
      return path.known[e.from].label + " to " + path.known[e.to].label + (note ? " (" + note + ")" : "");
    });
    return path.title + ". " + stages.join(". ") + ". Steps: " + steps.join("; ") + ".";
  }

  function box(path, step) {
    var node = el("div", "cc-path-step");
    node.setAttribute("data-role", step.role);
    if (step.role === path.current) node.classList.add("cc-path-current");
    if (step.role === path.goal) node.classList.add("cc-path-goal");
    node.appendChild(el("span", "cc-path-label", step.label));
    if (tag(path, step.role)) node.appendChild(el("span", "cc-path-tag", tag(path, step.role)));
    if (path.layers) { // the ladder: each box names the steps out of it
      var out = path.edges.filter(function (e) { return e.from === step.role; });
      if (out.length) {
        var list = el("ul", "cc-path-next");
        out.forEach(function (e) {
          var item = el("li", e.implied ? "cc-path-next-implied" : "",
                        "→ " + path.known[e.to].label + (e.implied ? " (implied)" : ""));
          item.setAttribute("data-to", e.to);
          list.appendChild(item);
        });
        node.appendChild(list);
      }
    }
    return node;
  }

  /* The arrow down into a row, with what the article says of the steps it stands for. */
  function gap(edges) {
    var implied = edges.length && edges.every(function (e) { return e.implied; });
    var node = el("div", "cc-path-gap" + (implied ? " cc-path-gap-implied" : ""));
    node.appendChild(el("span", "cc-path-note", edgeNote(edges)));
    return node;
  }

  function figure(payload) {
    var path = read(payload);
    if (!path) return null;
    var grouped = rows(path);
    var root = el("figure", "cc-path " + (path.layers ? "cc-path-layers" : "cc-path-chain"));
    root.appendChild(el("figcaption", "cc-path-title", path.title));
    var diagram = el("div", "cc-path-diagram");
    diagram.setAttribute("role", "img");
    diagram.setAttribute("aria-label", description(path, grouped));
    var before = {};
    grouped.forEach(function (row, i) {
      var inRow = function (e) { return row.some(function (s) { return s.role === e.to; }); };
      if (i) diagram.appendChild(gap(path.edges.filter(function (e) { return inRow(e) && before[e.from]; })));
      var rowNode = el("div", "cc-path-row");
      if (path.layers) rowNode.appendChild(el("p", "cc-path-stage", path.layers[row[0].layer] || ""));
      var boxes = el("div", "cc-path-boxes");
      row.forEach(function (s) { boxes.appendChild(box(path, s)); before[s.role] = true; });
      rowNode.appendChild(boxes);
      diagram.appendChild(rowNode);
    });
    root.appendChild(diagram);
    if (path.edges.some(function (e) { return e.implied; })) {
      root.appendChild(el("p", "cc-path-legend",
        "Dashed arrows and “implied”: steps the article implies but doesn't state."));
    }
    return root;
  }

  window.CareerCoachPath = { figure: figure };
})();
