/* Programme comparison (/vergelijk): draws the programmes with what they touch. */
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
  SB.status(payload.counts.nodes + SB.t(" knopen, ", " nodes, ") + payload.counts.edges + SB.t(" verbindingen.", " links."));
  window.SBNet.compare = { view: view };
})();
