/* The concept map (/verkennen): an overview (programmes, their organisations, initiatives) or the
   whole network, with filters by kind, pillar, sphere and source, a search box that focuses a node,
   a card per clicked node, and double-click to show a node's neighbours whatever the filters say.
   On the whole network filters run in the browser; on the overview they ask the server, which
   holds the rest. Both are mirrored in the address and the download links. */
(function () {
  "use strict";
  var SB = window.SBNet;
  var container = document.getElementById("network");
  var form = document.getElementById("map-filters");
  var payload = SB.readData("network-data");
  if (!container || !payload || !window.vis) { return; }

  var conceptIri = {};
  payload.filters.pillars.concat(payload.filters.spheres).forEach(function (c) { conceptIri[c.slug] = c.iri; });
  var sourceBySlug = {};
  payload.sources.forEach(function (s, i) { sourceBySlug[s.iri.split("/").pop()] = i; });

  var neighbours = {};
  payload.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
    (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
  });

  var state = readForm();
  var shown = {};      // ids shown because of expansion or search, whatever the filters
  var visible = {};    // ids currently passing (recomputed in apply)

  function readForm() {
    var data = new FormData(form);
    return {
      kinds: data.getAll("soort").filter(Boolean),
      pillar: data.get("pijler") || "",
      sphere: data.get("sfeer") || "",
      source: data.get("bron") || "",
      derived: data.get("gesteld") !== "1",
      expanded: data.getAll("open").filter(Boolean)
    };
  }

  function has(list, value) { return !!list && list.indexOf(value) >= 0; }

  function passes(n) {
    if (state.kinds.length && state.kinds.indexOf(n.kind) < 0) { return false; }
    if (state.pillar && n.id !== conceptIri[state.pillar] &&
        !has(n.pillars, state.pillar) && !(state.derived && has(n.editorialPillars, state.pillar))) { return false; }
    if (state.sphere && n.id !== conceptIri[state.sphere] && !has(n.spheres, state.sphere) &&
        !(state.derived && has(n.editorialSpheres, state.sphere))) { return false; }
    if (state.source && !has(n.sources, sourceBySlug[state.source])) { return false; }
    return true;
  }

  function recompute() {
    visible = {};
    payload.nodes.forEach(function (n) { if (passes(n)) { visible[n.id] = true; } });
    Object.keys(shown).forEach(function (id) { visible[id] = true; });
    state.expanded.forEach(function (id) {
      visible[id] = true;
      (neighbours[id] || []).forEach(function (other) { visible[other] = true; });
    });
  }

  function edgePasses(item) {
    if (!visible[item.from] || !visible[item.to]) { return false; }
    if (!state.source || state.expanded.length) { return true; }
    var index = sourceBySlug[state.source];
    var edge = edgeById[item.id];
    return edge.relations.some(function (r) { return r.sources.indexOf(index) >= 0; });
  }
  var edgeById = {};
  payload.edges.forEach(function (e) { edgeById[e.id] = e; });

  recompute();
  var view = SB.draw(container, payload, {
    nodeFilter: function (item) { return !!visible[item.id]; },
    edgeFilter: edgePasses,
    onClick: function (id) { SB.showCard(id, { onExpand: expand }); },
    onDoubleClick: expand
  });
  SB.bindPNG(view);

  function count() {
    var n = Object.keys(visible).length;
    SB.status(n === payload.nodes.length
      ? SB.t("Alle ", "All ") + n + SB.t(" knopen zichtbaar.", " nodes shown.")
      : n + SB.t(" van ", " of ") + payload.nodes.length + SB.t(" knopen zichtbaar.", " nodes shown."));
  }

  function query() {
    var params = new URLSearchParams();
    state.kinds.forEach(function (k) { params.append("soort", k); });
    if (state.pillar) { params.set("pijler", state.pillar); }
    if (!state.derived) { params.set("gesteld", "1"); }
    if (state.sphere) { params.set("sfeer", state.sphere); }
    if (state.source) { params.set("bron", state.source); }
    state.expanded.forEach(function (id) { params.append("open", id); });
    if (!partial) { params.set("alles", "1"); }
    var lang = new URLSearchParams(window.location.search).get("lang");
    if (lang) { params.set("lang", lang); }
    return params.toString();
  }

  function syncLinks() {
    var q = query();
    document.querySelectorAll("[data-export]").forEach(function (link) {
      var base = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", base + (q ? "?" + q : ""));
    });
    var here = window.location.pathname + (q ? "?" + q : "");
    window.history.replaceState(null, "", here);
    form.querySelectorAll("input[name=open]").forEach(function (input) { input.remove(); });
    state.expanded.forEach(function (id) { form.appendChild(SB.el("input", { type: "hidden", name: "open", value: id })); });
  }

  function apply(fit) {
    recompute();
    if (view.nodeView) { view.nodeView.refresh(); }
    if (view.edgeView) { view.edgeView.refresh(); }
    count();
    syncLinks();
    if (fit) { view.network.fit({ animation: payload.nodes.length < 1500 }); }
  }

  // The overview holds part of the network: filters and opened nodes are then asked of the server.
  var partial = !(payload.view && payload.view.shown === "everything");

  function reload() {
    var q = query();
    window.location.assign(window.location.pathname + (q ? "?" + q : ""));
  }

  function expand(id) {
    if (state.expanded.indexOf(id) < 0) { state.expanded.push(id); }
    if (partial) { reload(); return; }  // its neighbours may lie outside the overview
    apply(false);
    var around = [id].concat(neighbours[id] || []);
    var fit = function () { view.network.fit({ nodes: around, animation: payload.nodes.length < 1500 }); };
    fit();
    if (payload.layout === "physics") { view.network.once("stabilized", fit); }
    var n = view.meta[id];
    SB.status((n ? n.label : id) + ": " + (neighbours[id] || []).length + SB.t(" buren getoond. ", " neighbours shown. ") +
      Object.keys(visible).length + SB.t(" knopen zichtbaar.", " nodes shown."));
    view.network.selectNodes([id]);
  }

  form.addEventListener("change", function () {
    var expanded = state.expanded;
    state = readForm();
    state.expanded = expanded;
    if (partial) { reload(); return; }
    apply(true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var expanded = state.expanded;
    state = readForm();
    state.expanded = expanded;
    if (partial) { reload(); return; }
    apply(true);
  });
  var reset = document.getElementById("map-reset");
  if (reset) {
    reset.addEventListener("click", function (event) {
      event.preventDefault();
      form.reset();
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
      form.querySelectorAll("select").forEach(function (select) { select.value = ""; });
      state = readForm();
      state.expanded = [];
      shown = {};
      apply(true);
    });
  }

  var input = document.getElementById("map-search");
  var list = document.getElementById("map-search-list");
  if (input && list) {
    var searchUrl = input.getAttribute("data-search-url");
    SB.suggest(input, list, function (q) {
      // The overview holds part of the network: search all of it on the server.
      return partial && searchUrl ? SB.searchEntities(searchUrl, q, 12) : SB.searchNodes(view.meta, q, 12);
    }, function (item) {
      input.value = item.label;
      if (partial && !view.meta[item.id]) {  // not drawn yet: open it, with its neighbours
        state.expanded.push(item.id);
        reload();
        return;
      }
      focusNode(item.id);
    });
  }
  if (partial && state.expanded.length) {  // just opened: focus the last opened node
    var last = state.expanded[state.expanded.length - 1];
    if (view.meta[last]) {
      view.network.once("afterDrawing", function () { view.network.selectNodes([last]); SB.showCard(last, { onExpand: expand }); });
    }
  }

  function focusNode(id) {
    if (!visible[id]) {
      shown[id] = true;
      apply(false);
    }
    view.network.selectNodes([id]);
    view.network.focus(id, { scale: 1.4, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    SB.showCard(id, { onExpand: expand });
    var n = view.meta[id];
    SB.status(SB.t("Gevonden: ", "Found: ") + (n ? n.label : id));
  }

  count();
  if (state.kinds.length || state.pillar || state.sphere || state.source || state.expanded.length) {
    view.network.once("afterDrawing", function () { view.network.fit(); });
  }
  window.SBNet.map = { view: view, expand: expand, focus: focusNode, state: function () { return state; } };
})();
