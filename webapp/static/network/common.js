/* Shared code of the network views (window.SBNet): draw a vis-network from the view's JSON,
   node cards in the side panel, hover labels, suggestion lists and PNG export.
   Labels and descriptions are data: they only ever go into textContent or canvas text, never
   into innerHTML, and no HTML tooltips are used (vis-network draws labels on a canvas). */
(function () {
  "use strict";
  if (window.SBVisShim) { window.SBVisShim.restore(); }

  var lang = (document.documentElement.getAttribute("lang") || "nl").slice(0, 2) === "en" ? "en" : "nl";
  function t(nl, en) { return lang === "en" ? en : nl; }

  /* Build an element: attributes, then text or child nodes (strings become text nodes). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "href") { node.setAttribute("href", safeHref(value)); }
      else { node.setAttribute(key, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Links from data are site paths or http(s) URLs; anything else (javascript:, data:) becomes '#'. */
  function safeHref(url) {
    var text = String(url || "");
    if (text.charAt(0) === "/" && text.charAt(1) !== "/") { return text; }
    if (/^https?:\/\//i.test(text)) { return text; }
    return "#";
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function readData(id) {
    var block = document.getElementById(id || "network-data");
    if (!block) { return null; }
    return prepare(JSON.parse(block.textContent));
  }

  /* Edges come without ids (smaller pages); give them stable ones. */
  function prepare(payload) {
    if (payload && payload.edges) {
      payload.edges.forEach(function (e, i) { if (!e.id) { e.id = "e" + i; } });
    }
    return payload;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  var KIND_LABELS = {
    programma: t("programma", "programme"), onderdeel: t("programmaonderdeel", "programme component"),
    initiatief: t("initiatief", "initiative"), publicatie: t("publicatie", "publication"),
    organisatie: t("organisatie", "organisation"), plaats: t("plaats", "place"), persoon: t("persoon", "person"),
    begrip: t("begrip", "concept"), bron: t("bron", "source")
  };
  function kindLabel(kind) { return KIND_LABELS[kind] || kind || ""; }

  /* Our node dict -> a vis-network node (only what vis needs; no `title`, so no HTML tooltip). */
  function visNode(n, groups) {
    var node = { id: n.id, label: n.label, group: n.kind, value: n.value };
    if (n.group) {
      // coloured by theme or community (the payload's own vis-network group), shaped by kind
      var byKind = (groups || {})[n.kind] || {};
      node.group = n.group;
      if (byKind.shape) { node.shape = byKind.shape; }
      if (byKind.shapeProperties) { node.shapeProperties = byKind.shapeProperties; }
    }
    if (typeof n.x === "number") { node.x = n.x; node.y = n.y; }
    if (n.role === "focus" || n.role === "endpoint") {
      var group = (groups || {})[n.kind];
      var fill = group && group.color ? group.color.background : "#0b4f6c";
      node.borderWidth = 4;
      node.borderWidthSelected = 5;
      node.color = { background: fill, border: "#1d2330", highlight: { background: fill, border: "#000000" }, hover: { background: fill, border: "#000000" } };
      node.font = { size: 18 };
    }
    return node;
  }

  function visEdge(e, length) {
    var edge = { id: e.id, from: e.from, to: e.to };
    if (e.label) { edge.label = e.label; }
    if (length) { edge.length = length; }
    return edge;
  }

  /* Draw `payload` in `container`. opts: nodeFilter / edgeFilter (DataView filters), onClick(id),
     onDoubleClick(id), edgeLength(edge) (spring length for the physics), frame(view) (how the
     picture is framed once laid out; default: fit with room for the labels), freeze (physics off
     once the layout is stable).
     Returns {network, nodes, edges, meta, nodeView, edgeView}. */
  function draw(container, payload, opts) {
    opts = opts || {};
    prepare(payload);
    var meta = {};
    payload.nodes.forEach(function (n) { meta[n.id] = n; });
    var groups = (payload.options || {}).groups || {};
    var nodes = new vis.DataSet(payload.nodes.map(function (n) { return visNode(n, groups); }));
    var edges = new vis.DataSet(payload.edges.map(function (e) { return visEdge(e, opts.edgeLength ? opts.edgeLength(e) : null); }));
    var nodeView = opts.nodeFilter ? new vis.DataView(nodes, { filter: opts.nodeFilter }) : null;
    var edgeView = opts.edgeFilter ? new vis.DataView(edges, { filter: opts.edgeFilter }) : null;
    var network = new vis.Network(container, { nodes: nodeView || nodes, edges: edgeView || edges }, payload.options);
    var view = { network: network, nodes: nodes, edges: edges, meta: meta, nodeView: nodeView, edgeView: edgeView, container: container, groups: groups };
    keepScroll(container);
    var framing = function () {
      if (opts.frame) { opts.frame(view); } else { fitWithLabels(network, payload.nodes.length); }
    };
    // Labels are measured when first drawn: frame, draw, and frame again with the measured sizes.
    var frame = function () {
      framing();
      network.once("afterDrawing", function () {
        framing();
        container.setAttribute("data-framed", "1");
      });
      network.redraw();
    };

    network.once("afterDrawing", function () {
      container.setAttribute("data-ready", "1");
      window.SBNetTiming = window.SBNetTiming || {};
      window.SBNetTiming.firstDraw = performance.now();
    });
    if (payload.layout === "physics" && payload.nodes.length > 1) {
      network.once("stabilizationIterationsDone", function () {
        // a frozen picture stays as framed (the physics would otherwise drift it for a while)
        if (opts.freeze) { network.setOptions({ physics: { enabled: false } }); }
        frame();
        container.setAttribute("data-stable", "1");
      });
      // the physics settles a little after the stabilisation rounds: frame it again once it rests
      network.once("stabilized", frame);
    } else {
      network.once("afterDrawing", frame);
      container.setAttribute("data-stable", "1");
    }
    hoverLabels(view);
    network.on("click", function (params) {
      if (params.nodes.length && opts.onClick) { opts.onClick(params.nodes[0]); }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length && opts.onDoubleClick) { opts.onDoubleClick(params.nodes[0]); }
    });
    window.SBNet.views.push(view);
    return view;
  }

  /* fit() frames the nodes, not their labels: a small view is framed on the box of every node with
     its label (vis-network's getBoundingBox), so long labels at the left and right edges are not cut
     off ("rtmoeders (SAAAM)") on a phone either, and the drawing stays centred. */
  function fitWithLabels(network, count) {
    network.fit();
    if (count < 1 || count > 80) { return; }
    // the nodes' boxes are brought up to date by drawing: frame on them once the fit is drawn
    network.once("afterDrawing", function () { frameBoxes(network); });
  }

  function frameBoxes(network) {
    var box = null;
    Object.keys(network.body.nodes).forEach(function (id) {
      if (network.body.nodeIndices.indexOf(id) < 0) { return; }
      var b = network.getBoundingBox(id);
      if (!b) { return; }
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right), top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    var canvas = network.canvas.frame.canvas;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    if (!box || !width || !height) { return; }
    var scale = Math.min(width / Math.max(box.right - box.left, 1), height / Math.max(box.bottom - box.top, 1)) * 0.94;
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                     scale: Math.min(scale, network.getScale(), 1.5) });
    network.body.container.setAttribute("data-fitted", "1");
  }

  /* Frame a view so that the labels of its `count` best connected nodes (by `value`) are at least
     `minPx` pixels on screen: fit everything, and where that makes those labels too small, zoom in on
     them (the rest stays a pan or a zoom away). Kumu-like: the hubs are readable at once. */
  function frameReadable(view, count, minPx) {
    var network = view.network;
    network.fit();
    var drawn = network.body.nodes;
    var top = Object.keys(view.meta).filter(function (id) { return drawn[id] && !network.isCluster(id); })
      .sort(function (a, b) { return (view.meta[b].value || 0) - (view.meta[a].value || 0) || (a < b ? -1 : 1); })
      .slice(0, count);
    if (!top.length) { return; }
    var smallest = Math.min.apply(null, top.map(function (id) { return drawn[id].options.font.size || 14; }));
    var scale = network.getScale();
    if (smallest * scale >= minPx) {
      if (view.nodes.length <= 80) { network.once("afterDrawing", function () { frameBoxes(network); }); }
      return;
    }
    var box = null;
    top.forEach(function (id) {
      var b = network.getBoundingBox(id);
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right), top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    var width = view.container.clientWidth, height = view.container.clientHeight;
    var fits = Math.min(width / Math.max(box.right - box.left, 1), height / Math.max(box.bottom - box.top, 1)) * 0.9;
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 }, scale: Math.max(scale, Math.min(minPx / smallest, fits)) });
  }

  /* vis-network's frame is focusable (for its keyboard controls); a click would focus it and the
     browser would scroll a partly visible network into view between press and release, so the
     click lands elsewhere. Focus it without scrolling instead. */
  function keepScroll(container) {
    var frame = container.querySelector(".vis-network");
    if (!frame) { return; }
    frame.addEventListener("mousedown", function (event) {
      event.preventDefault();
      frame.focus({ preventScroll: true });
    }, true);
  }

  /* A plain-text label near the pointer while hovering a node (instead of vis's HTML tooltips). */
  function hoverLabels(view) {
    var tip = el("div", { "class": "net-tooltip", hidden: true, "aria-hidden": "true" });
    view.container.appendChild(tip);
    view.network.on("hoverNode", function (params) {
      var n = view.meta[params.node];
      if (!n) { return; }
      tip.textContent = n.label + " · " + kindLabel(n.kind);
      var p = params.pointer && params.pointer.DOM ? params.pointer.DOM : { x: 10, y: 10 };
      tip.style.left = Math.min(p.x + 12, view.container.clientWidth - 160) + "px";
      tip.style.top = (p.y + 12) + "px";
      tip.hidden = false;
    });
    view.network.on("blurNode", function () { tip.hidden = true; });
    view.network.on("dragStart", function () { tip.hidden = true; });
  }

  /* The side panel's card for one node, fetched from the card API. */
  function showCard(iri, opts) {
    opts = opts || {};
    var panel = document.getElementById("net-card");
    var host = document.getElementById("net-panel");
    if (!panel || !host) { return; }
    var url = host.getAttribute("data-card-url") + "?iri=" + encodeURIComponent(iri);
    clear(panel);
    panel.appendChild(el("p", { "class": "muted", text: t("Laden…", "Loading…") }));
    getJSON(url).then(function (card) {
      clear(panel);
      var box = el("div", { "class": "net-card" });
      box.appendChild(el("p", { "class": "muted", text: card.kindLabel }));
      box.appendChild(el("h3", { text: card.label }));
      if (card.altLabels && card.altLabels.length) {
        box.appendChild(el("p", { "class": "muted", text: t("Ook: ", "Also: ") + card.altLabels.join(", ") }));
      }
      if (card.description) { box.appendChild(el("p", { text: card.description })); }
      box.appendChild(el("p", { text: t("Verbonden met ", "Connected to ") + card.degree + t(" entiteiten.", " entities.") }));
      if (card.sources && card.sources.length) {
        var list = el("ul", {});
        card.sources.forEach(function (s) { list.appendChild(el("li", {}, [el("a", { href: s.url, text: s.label })])); });
        box.appendChild(el("p", { "class": "muted", text: t("Bronnen:", "Sources:") }));
        box.appendChild(list);
      }
      var actions = el("div", { "class": "net-card-actions" });
      actions.appendChild(el("a", { href: card.resourceUrl, text: t("Open de pagina", "Open the page") }));
      actions.appendChild(el("a", { href: card.egoUrl, text: t("Netwerk rond deze entiteit", "Network around this entity") }));
      actions.appendChild(el("a", { href: card.pathUrl, text: t("Hoe hangt dit samen met…?", "How is this connected to…?") }));
      if (opts.onExpand) {
        var button = el("button", { type: "button", "class": "linkish", "data-expand": card.iri, text: t("Buren tonen", "Show neighbours") });
        button.addEventListener("click", function () { opts.onExpand(card.iri); });
        actions.appendChild(button);
      }
      box.appendChild(actions);
      panel.appendChild(box);
    }).catch(function () {
      clear(panel);
      panel.appendChild(el("p", { text: t("Details konden niet worden geladen.", "Could not load the details.") }));
    });
  }

  /* A suggestion list under an input. source(query) returns items [{id, label, kind}] or a Promise
     of them; onPick(item) is called with the chosen one. Keyboard: arrows, Enter, Escape. */
  function suggest(input, list, source, onPick) {
    var items = [];
    var active = -1;
    var timer = null;
    var serial = 0;
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function render(found) {
      items = found || [];
      clear(list);
      items.forEach(function (item, i) {
        var li = el("li", { id: list.id + "-" + i, role: "option", "aria-selected": "false" }, [
          el("span", { text: item.label }), el("span", { "class": "net-kind", text: kindLabel(item.kind) })
        ]);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }
    function mark(i) {
      var options = list.querySelectorAll("li");
      options.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }
    function pick(i) {
      var item = items[i];
      close();
      if (item) { onPick(item); }
    }
    input.addEventListener("input", function () {
      var query = input.value.trim();
      clearTimeout(timer);
      if (!query) { render([]); return; }
      var mine = ++serial;
      timer = setTimeout(function () {
        Promise.resolve(source(query)).then(function (found) { if (mine === serial) { render(found); } })
          .catch(function () { render([]); });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) { event.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp" && items.length) { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && !list.hidden && items.length) { event.preventDefault(); pick(active >= 0 ? active : 0); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  /* Local search over a view's nodes: prefix matches first, then shorter labels. */
  /* Entities of the whole network whose label matches `query`, from the server's search API
     (/api/netwerk/zoek), as suggestion items. `kind` narrows them to one kind. */
  function searchEntities(url, query, limit, kind) {
    var params = new URLSearchParams({ q: query, n: String(limit) });
    if (kind) { params.set("soort", kind); }
    return getJSON(url + "?" + params.toString()).then(function (hits) {
      return hits.map(function (h) { return { id: h.iri, label: h.label, kind: h.kind }; });
    });
  }

  function searchNodes(meta, query, limit) {
    var wanted = query.toLocaleLowerCase();
    var found = [];
    Object.keys(meta).forEach(function (id) {
      var n = meta[id];
      var label = String(n.label).toLocaleLowerCase();
      var at = label.indexOf(wanted);
      if (at >= 0) { found.push({ score: at === 0 ? 0 : 1, id: id, label: n.label, kind: n.kind }); }
    });
    found.sort(function (a, b) { return a.score - b.score || a.label.length - b.label.length || (a.label < b.label ? -1 : 1); });
    return found.slice(0, limit || 10);
  }

  /* PNG of a drawn network: the canvas on a white background, offered as a download. */
  function downloadCanvas(canvas, name) {
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob(function (blob) {
      var link = el("a", { download: name + ".png" });
      link.href = URL.createObjectURL(blob);
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 2000);
    }, "image/png");
  }

  function bindPNG(view) {
    document.querySelectorAll(".net-png").forEach(function (button) {
      if (button.hasAttribute("data-png-bound")) { return; }
      button.setAttribute("data-png-bound", "1");
      button.addEventListener("click", function () {
        var canvas = view.container.querySelector("canvas");
        if (canvas) { downloadCanvas(canvas, button.getAttribute("data-png-name") || "netwerk"); }
      });
    });
  }

  function status(text) {
    var node = document.getElementById("net-status");
    if (node) { node.textContent = text; }
  }

  /* 'https://w3id.org/sociale-basis/id/programma/gala' -> URL from a template with __kind__/__slug__. */
  function fromTemplate(template, iri) {
    var parts = String(iri).split("/id/")[1];
    if (!template || !parts) { return null; }
    var pieces = parts.split("/");
    return template.replace("__kind__", encodeURIComponent(pieces[0])).replace("__slug__", encodeURIComponent(pieces[1]));
  }

  window.SBNet = {
    lang: lang, t: t, el: el, clear: clear, safeHref: safeHref, readData: readData, prepare: prepare, getJSON: getJSON,
    kindLabel: kindLabel, visNode: visNode, visEdge: visEdge, draw: draw, frameReadable: frameReadable, fitWithLabels: fitWithLabels, showCard: showCard, suggest: suggest,
    searchNodes: searchNodes, searchEntities: searchEntities, downloadCanvas: downloadCanvas, bindPNG: bindPNG, status: status,
    fromTemplate: fromTemplate, views: []
  };
})();
