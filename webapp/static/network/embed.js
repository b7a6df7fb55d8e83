/* The ego network embedded on resource pages (templates/network/_ego_embed.html): fetches the
   ego view's JSON twin and draws it. Click a node to name it; double-click opens its page. */
(function () {
  "use strict";
  var SB = window.SBNet;
  if (!SB || !window.vis) { return; }
  document.querySelectorAll("[data-ego-src]").forEach(function (container) {
    var caption = container.parentNode.querySelector(".net-embed-caption");
    SB.getJSON(container.getAttribute("data-ego-src")).then(function (payload) {
      var view = SB.draw(container, payload, {
        onClick: function (id) {
          var n = view.meta[id];
          if (!caption || !n) { return; }
          SB.clear(caption);
          caption.appendChild(SB.el("a", { href: n.url, text: n.label }));
          caption.appendChild(document.createTextNode(" · " + SB.kindLabel(n.kind)));
        },
        onDoubleClick: function (id) {
          var n = view.meta[id];
          if (n && n.url) { window.location.href = SB.safeHref(n.url); }
        }
      });
      if (caption) {
        caption.textContent = payload.counts.nodes + SB.t(" knopen, ", " nodes, ") + payload.counts.edges + SB.t(" verbindingen.", " links.");
      }
    }).catch(function () {
      if (caption) { caption.textContent = SB.t("Het netwerk kon niet worden geladen.", "Could not load the network."); }
    });
  });
})();
