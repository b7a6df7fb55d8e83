/* 'How are X and Y connected?' (/pad): draws the paths found; "Toon in netwerk" highlights one. */
(function () {
  "use strict";
  var SB = window.SBNet;
  var container = document.getElementById("network");
  var payload = SB.readData("network-data");
  if (!container || !payload || !payload.nodes.length || !window.vis) { return; }

  var view = SB.draw(container, payload, {
    onClick: function (id) { SB.showCard(id); }
  });
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
  window.SBNet.paths = { view: view };
})();
