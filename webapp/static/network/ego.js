/* The ego view (/verkennen/<kind>/<slug>): the network around one entity. Click a node for its
   card; double-click (or "Buren tonen" in the card) adds that node's own neighbours, fetched from
   its ego view's JSON twin. */
(function () {
  "use strict";
  var SB = window.SBNet;
  var container = document.getElementById("network");
  var payload = SB.readData("network-data");
  if (!container || !payload || !window.vis) { return; }

  var view = SB.draw(container, payload, {
    onClick: function (id) { SB.showCard(id, { onExpand: expand }); },
    onDoubleClick: expand
  });
  SB.bindPNG(view);
  SB.status(payload.counts.nodes + SB.t(" knopen, ", " nodes, ") + payload.counts.edges + SB.t(" verbindingen.", " links."));

  var expanded = {};
  function expand(id) {
    if (expanded[id]) { return; }
    var url = SB.fromTemplate(container.getAttribute("data-ego-template"), id);
    if (!url) { return; }
    expanded[id] = true;
    SB.status(SB.t("Buren laden…", "Loading neighbours…"));
    SB.getJSON(url).then(function (more) {
      var added = merge(view, SB.prepare(more), id);
      var n = view.meta[id];
      SB.status((n ? n.label : id) + ": " + added + SB.t(" nieuwe knopen.", " new nodes."));
    }).catch(function () {
      expanded[id] = false;
      SB.status(SB.t("Buren konden niet worden geladen.", "Could not load the neighbours."));
    });
  }

  window.SBNet.ego = { view: view, expand: expand, merge: merge };

  /* Add the nodes and edges of `more` that are not drawn yet, next to node `around`. */
  function merge(target, more, around) {
    var origin = target.network.getPositions([around])[around] || { x: 0, y: 0 };
    var added = 0;
    more.nodes.forEach(function (n, i) {
      if (target.meta[n.id]) { return; }
      target.meta[n.id] = n;
      var node = SB.visNode(n, target.groups);
      var angle = i * 2.399963;
      node.x = origin.x + 90 * Math.cos(angle);
      node.y = origin.y + 90 * Math.sin(angle);
      target.nodes.add(node);
      added += 1;
    });
    var have = {};
    target.edges.forEach(function (e) { have[e.from + " " + e.to] = true; });
    more.edges.forEach(function (e) {
      if (have[e.from + " " + e.to]) { return; }
      have[e.from + " " + e.to] = true;
      var edge = SB.visEdge(e);
      edge.id = "x" + target.edges.length + "-" + e.id;
      target.edges.add(edge);
    });
    return added;
  }
})();
