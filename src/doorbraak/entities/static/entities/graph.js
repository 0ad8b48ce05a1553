/* The entity network as an interactive graph (entity page, issue 4).
 *
 * The server renders a complete SVG with links (it works without this script). This script
 * adds: zoom with the wheel, buttons and +/-/0 keys; panning by dragging the background or
 * with the arrow keys; dragging nodes (Shift+arrow keys move the focused node); highlighting of
 * a node's neighbours on hover and focus; Enter or click opens the node's page. Tab goes through
 * the nodes (they are links). No dependencies, nothing loaded from elsewhere.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var MIN_SCALE = 0.4;
  var MAX_SCALE = 5;
  var DRAG_THRESHOLD = 4; // px before a press on a node counts as a drag, not a click
  var PAN_STEP = 40;

  function parseTranslate(value) {
    var m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(value || "");
    return m ? { x: parseFloat(m[1]), y: parseFloat(m[2]) } : { x: 0, y: 0 };
  }

  function Graph(figure) {
    this.figure = figure;
    this.svg = figure.querySelector("svg");
    this.viewport = figure.querySelector("[data-viewport]");
    if (!this.svg || !this.viewport) return;
    this.view = { scale: 1, x: 0, y: 0 };
    this.nodes = {};
    this.edges = [];
    this.neighbours = {};
    this.focused = null;
    this.collect();
    this.addToolbar();
    this.bind();
    figure.classList.add("is-interactive");
  }

  Graph.prototype.collect = function () {
    var self = this;
    Array.prototype.forEach.call(this.svg.querySelectorAll("[data-node]"), function (a) {
      var id = a.getAttribute("data-node");
      var g = a.querySelector("g");
      self.nodes[id] = { el: a, g: g, pos: parseTranslate(g.getAttribute("transform")) };
      self.neighbours[id] = {};
      a.setAttribute("tabindex", "0");
    });
    Array.prototype.forEach.call(this.svg.querySelectorAll("line[data-a]"), function (line) {
      var a = line.getAttribute("data-a");
      var b = line.getAttribute("data-b");
      self.edges.push({ el: line, a: a, b: b });
      if (self.neighbours[a] && self.neighbours[b]) {
        self.neighbours[a][b] = true;
        self.neighbours[b][a] = true;
      }
    });
  };

  Graph.prototype.addToolbar = function () {
    var self = this;
    var data = this.figure.dataset;
    var bar = document.createElement("div");
    bar.className = "db-graph__toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", data.labelToolbar || "Weergave");
    [
      ["+", data.labelZoomIn || "Inzoomen", function () { self.zoomBy(1.25); }],
      ["\u2212", data.labelZoomOut || "Uitzoomen", function () { self.zoomBy(0.8); }],
      ["\u21BA", data.labelReset || "Beginweergave", function () { self.reset(); }],
    ].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--secondary-action";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.title = spec[1];
      button.addEventListener("click", spec[2]);
      bar.appendChild(button);
    });
    var help = document.createElement("p");
    help.className = "db-help";
    help.id = (this.svg.id || "netwerk") + "-bediening";
    help.textContent = data.labelHelp || "";
    this.figure.insertBefore(bar, this.svg);
    this.figure.insertBefore(help, this.svg);
    var described = this.svg.getAttribute("aria-describedby") || "";
    this.svg.setAttribute("aria-describedby", (described + " " + help.id).trim());
    this.svg.setAttribute("tabindex", "0"); // a tab stop of its own: arrow keys pan, + and - zoom
  };

  // --- view: zoom and pan -------------------------------------------------------------------

  Graph.prototype.apply = function () {
    var v = this.view;
    this.viewport.setAttribute("transform", "translate(" + v.x + "," + v.y + ") scale(" + v.scale + ")");
  };

  Graph.prototype.svgPoint = function (clientX, clientY) {
    var matrix = this.svg.getScreenCTM();
    if (!matrix) return { x: 0, y: 0 };
    var p = this.svg.createSVGPoint();
    p.x = clientX;
    p.y = clientY;
    var q = p.matrixTransform(matrix.inverse());
    return { x: q.x, y: q.y };
  };

  Graph.prototype.centre = function () {
    var box = this.svg.viewBox.baseVal;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };

  Graph.prototype.zoomBy = function (factor, at) {
    var v = this.view;
    at = at || this.centre();
    var scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
    factor = scale / v.scale;
    v.x = at.x - (at.x - v.x) * factor;
    v.y = at.y - (at.y - v.y) * factor;
    v.scale = scale;
    this.apply();
  };

  Graph.prototype.panBy = function (dx, dy) {
    this.view.x += dx;
    this.view.y += dy;
    this.apply();
  };

  Graph.prototype.reset = function () {
    this.view = { scale: 1, x: 0, y: 0 };
    this.apply();
  };

  // the focused node must be visible: pan to it when it lies outside the figure
  Graph.prototype.ensureVisible = function (id) {
    var node = this.nodes[id];
    var box = this.svg.viewBox.baseVal;
    var v = this.view;
    var x = node.pos.x * v.scale + v.x;
    var y = node.pos.y * v.scale + v.y;
    var margin = 30;
    var dx = 0;
    var dy = 0;
    if (x < box.x + margin) dx = box.x + margin - x;
    if (x > box.x + box.width - margin) dx = box.x + box.width - margin - x;
    if (y < box.y + margin) dy = box.y + margin - y;
    if (y > box.y + box.height - margin) dy = box.y + box.height - margin - y;
    if (dx || dy) this.panBy(dx, dy);
  };

  // --- nodes: move and highlight -----------------------------------------------------------------

  Graph.prototype.moveNode = function (id, x, y) {
    var node = this.nodes[id];
    node.pos = { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
    node.g.setAttribute("transform", "translate(" + node.pos.x + "," + node.pos.y + ")");
    this.edges.forEach(function (edge) {
      if (edge.a === id) {
        edge.el.setAttribute("x1", node.pos.x);
        edge.el.setAttribute("y1", node.pos.y);
      }
      if (edge.b === id) {
        edge.el.setAttribute("x2", node.pos.x);
        edge.el.setAttribute("y2", node.pos.y);
      }
    });
  };

  Graph.prototype.highlight = function (id) {
    var self = this;
    if (id === null || !this.nodes[id]) {
      this.figure.classList.remove("is-highlighting");
      Object.keys(this.nodes).forEach(function (key) {
        self.nodes[key].el.classList.remove("is-active", "is-neighbour");
      });
      this.edges.forEach(function (edge) { edge.el.classList.remove("is-neighbour"); });
      return;
    }
    this.figure.classList.add("is-highlighting");
    var near = this.neighbours[id];
    Object.keys(this.nodes).forEach(function (key) {
      var cl = self.nodes[key].el.classList;
      cl.toggle("is-active", key === id);
      cl.toggle("is-neighbour", !!near[key]);
    });
    this.edges.forEach(function (edge) {
      edge.el.classList.toggle("is-neighbour", edge.a === id || edge.b === id);
    });
  };

  Graph.prototype.nodeOf = function (target) {
    var el = target && target.closest ? target.closest("[data-node]") : null;
    return el && this.svg.contains(el) ? el.getAttribute("data-node") : null;
  };

  // --- events ---------------------------------------------------------------------------------------

  Graph.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    var press = null; // {id|null, start point (client), origin (graph or view), moved}
    var suppressClick = false;

    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      self.zoomBy(factor, self.svgPoint(e.clientX, e.clientY));
    }, { passive: false });

    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      var id = self.nodeOf(e.target);
      var p = self.svgPoint(e.clientX, e.clientY);
      press = {
        id: id, pointer: e.pointerId, cx: e.clientX, cy: e.clientY, start: p, moved: false,
        origin: id !== null ? { x: self.nodes[id].pos.x, y: self.nodes[id].pos.y } : { x: self.view.x, y: self.view.y },
      };
    });

    svg.addEventListener("pointermove", function (e) {
      if (press && e.pointerId === press.pointer) {
        if (!press.moved && Math.abs(e.clientX - press.cx) + Math.abs(e.clientY - press.cy) < DRAG_THRESHOLD) return;
        if (!press.moved) {
          press.moved = true;
          svg.setPointerCapture(e.pointerId);
          self.figure.classList.add("is-dragging");
        }
        var p = self.svgPoint(e.clientX, e.clientY);
        var dx = p.x - press.start.x;
        var dy = p.y - press.start.y;
        if (press.id !== null) {
          self.moveNode(press.id, press.origin.x + dx / self.view.scale, press.origin.y + dy / self.view.scale);
        } else {
          self.view.x = press.origin.x + dx;
          self.view.y = press.origin.y + dy;
          self.apply();
        }
        e.preventDefault();
        return;
      }
      var over = self.nodeOf(e.target);
      self.highlight(over !== null ? over : self.focused);
    });

    function release(e) {
      if (!press || e.pointerId !== press.pointer) return;
      if (press.moved) {
        suppressClick = true; // a drag that ends on a node must not open it
        setTimeout(function () { suppressClick = false; }, 0);
      }
      if (svg.hasPointerCapture && svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
      self.figure.classList.remove("is-dragging");
      press = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    svg.addEventListener("pointerleave", function () { if (!press) self.highlight(self.focused); });

    svg.addEventListener("click", function (e) {
      if (suppressClick) {
        e.preventDefault();
        e.stopPropagation();
        suppressClick = false;
      }
    }, true);

    svg.addEventListener("focusin", function (e) {
      var id = self.nodeOf(e.target);
      if (id === null) return;
      self.focused = id;
      self.ensureVisible(id);
      self.highlight(id);
    });
    svg.addEventListener("focusout", function (e) {
      if (self.nodeOf(e.relatedTarget) === null) {
        self.focused = null;
        self.highlight(null);
      }
    });
    // dragging links would start the browser's own link drag
    svg.addEventListener("dragstart", function (e) { e.preventDefault(); });

    this.figure.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target.closest && e.target.closest(".db-graph__toolbar") && (e.key === "Enter" || e.key === " ")) return;
      var id = self.nodeOf(e.target);
      var arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (e.key === "Enter" && id !== null) {
        var href = self.nodes[id].el.getAttribute("href");
        if (href) {
          e.preventDefault();
          window.location.assign(href);
        }
      } else if (e.key === "+" || e.key === "=") {
        e.preventDefault();
        self.zoomBy(1.25);
      } else if (e.key === "-" || e.key === "_") {
        e.preventDefault();
        self.zoomBy(0.8);
      } else if (e.key === "0") {
        e.preventDefault();
        self.reset();
      } else if (arrows[e.key]) {
        e.preventDefault();
        var d = arrows[e.key];
        if (e.shiftKey && id !== null) {
          var pos = self.nodes[id].pos;
          self.moveNode(id, pos.x + d[0] * PAN_STEP / 2, pos.y + d[1] * PAN_STEP / 2);
          self.ensureVisible(id);
        } else {
          self.panBy(-d[0] * PAN_STEP, -d[1] * PAN_STEP);
        }
      }
    });
  };

  function init() {
    if (!document.createElementNS || !document.createElementNS(SVG_NS, "svg").createSVGPoint) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-graph]"), function (figure) {
      if (!figure.dbGraph) figure.dbGraph = new Graph(figure);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
