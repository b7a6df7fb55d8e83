/* The concept map (/verkennen): an overview (programmes, their organisations, initiatives) or the
   whole network, with filters by kind, pillar, sphere and source, a search box that focuses a node,
   a card per clicked node, and double-click to show a node's neighbours whatever the filters say.
   Colour by theme or community (?groep=, computed by the server: each node's `group` in the data)
   and fold each group into one node with vis-network's own clustering.
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

  // The labels of this many best connected nodes are readable (READABLE_PX on screen) when the map
  // opens; fewer on a phone, where the map opens on the biggest hubs and the rest is a pan away.
  var READABLE_COUNT = container.clientWidth < 600 ? 5 : 8;
  var READABLE_PX = 11;
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
      group: data.get("groep") || "",
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

  // Kumu-like reading: label sizes grow with the square root of a node's links (mid-sized hubs stay
  // readable beside the biggest), and springs to nodes with one link are short, those between hubs
  // long, so the hubs and their labels stand apart.
  var degreeInView = {};
  payload.edges.forEach(function (e) {
    degreeInView[e.from] = (degreeInView[e.from] || 0) + 1;
    degreeInView[e.to] = (degreeInView[e.to] || 0) + 1;
  });
  var scaling = ((payload.options || {}).nodes || {}).scaling;
  var physics = (payload.options || {}).physics || {};
  if (container.clientWidth < 600 && scaling && scaling.label && physics.forceAtlas2Based) {
    // A phone: larger labels in a tighter picture, so the hubs' names are readable at once.
    scaling.label.min = Math.round(scaling.label.min * 1.5);
    scaling.label.max = Math.round(scaling.label.max * 1.5);
    var width = payload.options.nodes.widthConstraint;
    if (width && width.maximum) { width.maximum = Math.round(width.maximum * 1.4); }
    physics.forceAtlas2Based.gravitationalConstant = Math.round(physics.forceAtlas2Based.gravitationalConstant * 0.6);
    physics.forceAtlas2Based.springLength = Math.round(physics.forceAtlas2Based.springLength * 0.75);
  }
  if (scaling) {
    scaling.customScalingFunction = function (min, max, total, value) {
      return max === min ? 0.5 : Math.sqrt(Math.max(0, (value - min) / (max - min)));
    };
  }

  recompute();
  var view = SB.draw(container, payload, {
    edgeLength: payload.layout === "physics" ? function (e) {
      return 50 + 80 * Math.min(Math.min(degreeInView[e.from], degreeInView[e.to]) - 1, 3);
    } : null,
    frame: function (v) { SB.frameReadable(v, READABLE_COUNT, READABLE_PX); },
    freeze: true,
    nodeFilter: function (item) { return !!visible[item.id]; },
    edgeFilter: edgePasses,
    onClick: function (id) {
      if (isGroupNode(id)) { SB.status(SB.t("Dubbelklik om deze groep te openen.", "Double-click to open this group.")); return; }
      SB.showCard(id, { onExpand: expand });
    },
    onDoubleClick: function (id) {
      if (isGroupNode(id)) { openGroup(id); return; }
      expand(id);
    }
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
    if (state.group && state.group !== "soort") { params.set("groep", state.group); }
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
    uncluster();
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
    uncluster();
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

  /* Grouping: the colours come with the data; the select asks the server for another grouping. */
  var grouping = payload.grouping || null;
  var groupSelect = document.getElementById("f-groep");
  if (groupSelect) {
    groupSelect.addEventListener("change", function () {
      state.group = groupSelect.value;
      reload();
    });
  }
  var clusterButton = document.getElementById("map-cluster");
  function groupName(g) {
    if (g.label) { return g.label; }
    if (g.id === "none") { return grouping.by === "theme" ? SB.t("Geen thema", "No theme") : SB.t("Zonder gemeenschap", "In no community"); }
    return grouping.by === "theme" ? SB.t("Andere thema's", "Other themes") : SB.t("Kleinere gemeenschappen", "Smaller communities");
  }
  function isGroupNode(id) { return !!view.network.body.nodes[id] && view.network.isCluster(id); }
  function clustered() { return !!clusterButton && clusterButton.getAttribute("aria-pressed") === "true"; }
  function markClustered(on) {
    if (!clusterButton) { return; }
    clusterButton.setAttribute("aria-pressed", on ? "true" : "false");
    clusterButton.textContent = clusterButton.getAttribute(on ? "data-label-on" : "data-label-off");
  }
  /* One vis-network cluster per group (vis-network's own clustering), sized by its members. */
  function clusterGroups() {
    if (!grouping) { return; }
    grouping.groups.forEach(function (g) {
      view.network.cluster({
        joinCondition: function (options) { return options.group === g.id; },
        processProperties: function (options, members) {
          options.label = groupName(g) + " (" + members.length + ")";
          options.value = members.length;
          return options;
        },
        clusterNodeProperties: {
          id: "groep:" + g.id, shape: "dot", borderWidth: 2, font: { size: 16 },
          color: { background: g.color, border: "#1d2330", highlight: { background: g.color, border: "#000000" } }
        }
      });
    });
    markClustered(true);
    view.network.fit();
    SB.status(SB.t("Eén knoop per groep. Dubbelklik op een groep om die te openen.", "One node per group. Double-click a group to open it."));
  }
  function openGroup(id) {
    view.network.openCluster(id);
    if (!grouping.groups.some(function (g) { return isGroupNode("groep:" + g.id); })) { markClustered(false); }
    count();
  }
  function uncluster() {
    if (!grouping || !clustered()) { return; }
    grouping.groups.forEach(function (g) {
      if (isGroupNode("groep:" + g.id)) { view.network.openCluster("groep:" + g.id); }
    });
    markClustered(false);
  }
  if (clusterButton) {
    clusterButton.addEventListener("click", function () {
      if (clustered()) { uncluster(); view.network.fit(); count(); } else { clusterGroups(); }
    });
  }

  count();
  if (state.kinds.length || state.pillar || state.sphere || state.source || state.expanded.length) {
    view.network.once("afterDrawing", function () { SB.frameReadable(view, READABLE_COUNT, READABLE_PX); });
  }
  window.SBNet.map = { view: view, expand: expand, focus: focusNode, state: function () { return state; }, cluster: clusterGroups, uncluster: uncluster };
})();
