/* 'How are X and Y connected?' (/pad): draws the paths found; "Toon in netwerk" highlights one.
   The paths read from left to right (the server's grid: a column per step, a row per path). The grid
   is closed up to the width of the screen and long names wrap, so on a phone every label is
   readable at full size and none is cut off at the edges. */
(function () {
  "use strict";
  var SB = window.SBNet;
  var container = document.getElementById("network");
  var payload = SB.readData("network-data");
  if (!container || !payload || !payload.nodes.length || !window.vis) { return; }

  var MIN_LABEL = 126;   // narrowest wrapped label (canvas px): a long Dutch word still fits on a line
  var MAX_LABEL = 190;   // widest
  var GAP = 14;          // between the labels of neighbouring columns
  var MAX_SCALE = 1.1;   // a short path is not blown up
  var stagger = false;
  var column = function () { return 0; };

  /* Fit the grid into the canvas: label width and column step from the canvas width. */
  function fitGrid() {
    var grid = (payload.view || {}).grid;
    if (!grid || !grid.stepX) { return; }
    var columns = Math.max(grid.columns || 2, 2);
    var width = Math.max(container.clientWidth - 16, 200);
    var label = Math.max(MIN_LABEL, Math.min(MAX_LABEL, width / columns - GAP));
    // Too many columns for the width: the labels of every other column go above their nodes
    // (staggered), so neighbouring columns may come closer than a label is wide.
    stagger = (label + GAP) * (columns - 1) + label > width;
    var step = Math.max(stagger ? label / 2 + GAP : label + GAP, (width - label) / (columns - 1));
    column = function (x) { return Math.round(x / step); };
    var narrow = step < 170;
    var rowY = narrow ? Math.max(grid.rowY, 150) : grid.rowY;  // room for labels of four lines
    payload.nodes.forEach(function (n) {
      if (typeof n.x !== "number") { return; }
      n.x = n.x * step / grid.stepX;
      n.y = n.y * rowY / grid.rowY;
    });
    var options = payload.options;
    options.nodes = options.nodes || {};
    options.nodes.widthConstraint = { maximum: label };
    options.nodes.font = Object.assign({}, options.nodes.font || {}, { size: 14 });
    if (narrow) {
      // no room for relation names between the columns: the steps are listed above in words
      options.edges = options.edges || {};
      options.edges.font = Object.assign({}, options.edges.font || {}, { size: 0 });
      payload.edges.forEach(function (e) { delete e.label; });
      container.setAttribute("data-narrow", "1");
    }
  }

  /* Everything in view, labels included, at most at full size, centred. */
  function frame(view) {
    var network = view.network;
    var box = null;
    view.nodes.getIds().forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) { return; }
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right), top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    if (!box) { network.fit(); return; }
    var scale = Math.min(MAX_SCALE, (container.clientWidth - 12) / Math.max(box.right - box.left, 1),
                         (container.clientHeight - 12) / Math.max(box.bottom - box.top, 1));
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 }, scale: scale });
  }

  fitGrid();
  var view = SB.draw(container, payload, {
    onClick: function (id) { SB.showCard(id); },
    frame: frame
  });
  if (container.hasAttribute("data-narrow")) {  // the two ends stand out by their border; their names need the room
    view.nodes.update(payload.nodes.filter(function (n) { return n.role; }).map(function (n) { return { id: n.id, font: { size: 15 } }; }));
  }
  if (stagger) {
    // labels of odd columns above their node: moved up by their own height and the node's
    view.network.once("afterDrawing", function () {
      var body = view.network.body.nodes;
      view.nodes.update(payload.nodes.filter(function (n) { return column(n.x) % 2 === 1; }).map(function (n) {
        var node = body[n.id];
        var labelHeight = node && node.labelModule.size ? node.labelModule.size.height : 40;
        var nodeHeight = node && node.shape && node.shape.height ? node.shape.height : 30;
        var size = (node && node.options.font && node.options.font.size) || 14;
        return { id: n.id, font: { size: size, vadjust: -(labelHeight + nodeHeight + 6) } };
      }));
      container.setAttribute("data-staggered", "1");
      frame(view);
    });
  }
  SB.bindPNG(view);
  SB.status(payload.paths.length + SB.t(" pad(en), ", " path(s), ") + payload.counts.nodes + SB.t(" knopen.", " nodes."));

  function edgesOf(path) {
    var wanted = {};
    path.steps.forEach(function (step) {
      wanted[step.from + " " + step.to] = true;
      wanted[step.to + " " + step.from] = true;
    });
    return payload.edges.filter(function (e) { return wanted[e.from + " " + e.to]; }).map(function (e) { return e.id; });
  }

  document.querySelectorAll("[data-show-path]").forEach(function (button) {
    button.addEventListener("click", function () {
      var path = payload.paths[Number(button.getAttribute("data-show-path"))];
      if (!path) { return; }
      var ids = path.nodes.map(function (n) { return n.iri; });
      view.network.setSelection({ nodes: ids, edges: edgesOf(path) }, { highlightEdges: false });
      view.network.fit({ nodes: ids, animation: true });
      SB.status(path.sentence);
      container.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
  window.SBNet.paths = { view: view, frame: function () { frame(view); } };
})();
