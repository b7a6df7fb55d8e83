/* Result views of the SPARQL editor: table, chart (bar or line), timeline, map and graph.
   Each view says whether it fits a result (`fits`) and draws it into an element (`draw`). A result is
   {form, vars, rows: [{var: term}], triples: [[s, p, o]], boolean} with SPARQL JSON terms
   ({type, value, datatype, "xml:lang"}). Text reaches the page through textContent and
   setAttribute only; the map uses the vendored d3-geo and topojson, the graph vis-network. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"].map(function (t) { return XSD + t; });
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"].map(function (t) { return XSD + t; });
  var PAGE = 200;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function svgEl(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function isNumber(t) {
    return !!t && t.type !== "uri" && t.type !== "bnode" && (NUMERIC.indexOf(t.datatype) >= 0) && isFinite(Number(t.value));
  }
  function isDate(t) {
    return !!t && t.type !== "uri" && (DATES.indexOf(t.datatype) >= 0 || /^-?\d{4}(-\d\d(-\d\d)?)?$/.test(t.value)) &&
      /^-?\d{4}/.test(t.value);
  }
  /* A date's position in fractional years (2019-07-01 -> 2019.5). */
  function yearOf(t) {
    var m = /^(-?\d{4})(?:-(\d\d)(?:-(\d\d))?)?/.exec(t.value);
    if (!m) { return NaN; }
    return Number(m[1]) + ((m[2] ? Number(m[2]) - 1 : 0) + (m[3] ? (Number(m[3]) - 1) / 31 : 0)) / 12;
  }
  function column(result, test) {
    return result.vars.filter(function (v) {
      var seen = 0;
      var all = result.rows.every(function (row) { if (!row[v]) { return true; } seen += 1; return test(row[v]); });
      return all && seen > 0;
    });
  }
  function otherColumn(result, not) {
    return result.vars.filter(function (v) { return not.indexOf(v) < 0 && result.rows.some(function (r) { return !!r[v]; }); })[0];
  }
  /* The drawing width in CSS pixels, so that text in the SVG is the size it says (13px). */
  function width(box) { return Math.max(300, Math.min(820, box.clientWidth || 820)); }
  function sizeNote(ctx, shown, total) {
    return shown < total ? el("p", { "class": "muted" }, ctx.text.firstOf.replace("%(shown)s", ctx.number(shown)).replace("%(total)s", ctx.number(total))) : null;
  }
  function termNode(term, ctx) {
    if (!term) { return document.createTextNode(""); }
    var text = ctx.display(term);
    if (term.type === "uri") {
      var a = el("a", { href: ctx.href(term.value), title: term.value }, text);
      if (ctx.isLocal(term.value)) { a.setAttribute("data-iri", term.value); a.className = "sb-link"; } else { a.rel = "noopener"; }
      return a;
    }
    var span = el("span", {}, text);
    if (term["xml:lang"]) { span.setAttribute("lang", term["xml:lang"]); }
    if (term.datatype && ctx.raw) { span.title = term.datatype; }
    return span;
  }

  // -- table ----------------------------------------------------------------------------------
  function drawTable(result, box, ctx) {
    if (result.form === "ASK") {
      box.appendChild(el("p", { "class": "ask-answer" }, result.boolean ? ctx.text.yes : ctx.text.no));
      return;
    }
    var vars = result.form === "SELECT" ? result.vars : ["subject", "predicate", "object"];
    var rows = result.form === "SELECT" ? result.rows : result.triples.map(function (t) { return { subject: t[0], predicate: t[1], object: t[2] }; });
    if (!rows.length) {
      box.appendChild(el("p", { "class": "notice" }, ctx.text.empty));
      return;
    }
    var wrap = el("div", { "class": "table-scroll" });
    var table = el("table", { "class": "results sparql-results" });
    table.appendChild(el("caption", { "class": "visually-hidden" }, ctx.text.results));
    var head = el("thead"), tr = el("tr");
    vars.forEach(function (v) { tr.appendChild(el("th", { scope: "col" }, v)); });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody");
    table.appendChild(body);
    var shown = 0;
    function more() {
      rows.slice(shown, shown + PAGE).forEach(function (row) {
        var r = el("tr");
        vars.forEach(function (v) { var td = el("td"); td.appendChild(termNode(row[v], ctx)); r.appendChild(td); });
        body.appendChild(r);
      });
      shown = Math.min(rows.length, shown + PAGE);
      button.hidden = shown >= rows.length;
      button.textContent = ctx.text.more.replace("%(n)s", ctx.number(Math.min(PAGE, rows.length - shown)));
      ctx.labelsChanged();
    }
    var button = el("button", { type: "button", "class": "button-secondary" });
    button.addEventListener("click", more);
    wrap.appendChild(table);
    box.appendChild(wrap);
    box.appendChild(button);
    more();
  }

  // -- chart ----------------------------------------------------------------------------------
  function chartColumns(result) {
    if (result.form !== "SELECT" || !result.rows.length) { return null; }
    var numbers = column(result, isNumber);
    if (!numbers.length) { return null; }
    var label = otherColumn(result, numbers);
    if (!label) { return null; }
    var line = column(result, isDate).indexOf(label) >= 0;
    return { value: numbers[0], label: label, second: line ? undefined : otherColumn(result, numbers.concat([label])), line: line };
  }
  function drawChart(result, box, ctx) {
    var cols = chartColumns(result);
    var rows = result.rows.filter(function (r) { return r[cols.label] && r[cols.value]; });
    if (cols.line) { drawLine(rows, cols, box, ctx); return; }
    rows = rows.slice(0, 100);
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r[cols.value].value); }).concat([0]));
    var W = width(box), labelW = Math.round(W * 0.42), barH = 22, gap = 6, top = 24;
    var H = top + rows.length * (barH + gap);
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "class": "sb-chart", "aria-label": ctx.text.chartOf.replace("%(value)s", cols.value).replace("%(label)s", cols.label) });
    svg.appendChild(svgEl("text", { x: labelW + 4, y: 14, "class": "axis-label" }, cols.value));
    rows.forEach(function (row, i) {
      var value = Number(row[cols.value].value);
      var y = top + i * (barH + gap);
      var width = max > 0 ? Math.max(1, (W - labelW - 70) * value / max) : 1;
      var name = ctx.display(row[cols.label]) + (cols.second && row[cols.second] ? " · " + ctx.display(row[cols.second]) : "");
      var room = Math.floor((labelW - 12) / 7);
      var g = svgEl("g", {});
      g.appendChild(svgEl("title", {}, name + ": " + ctx.number(value)));
      g.appendChild(svgEl("text", { x: labelW - 8, y: y + barH * 0.7, "text-anchor": "end", "class": "bar-label" }, name.length > room ? name.slice(0, room - 1) + "…" : name));
      g.appendChild(svgEl("rect", { x: labelW, y: y, width: width, height: barH, "class": "bar" }));
      g.appendChild(svgEl("text", { x: labelW + width + 6, y: y + barH * 0.7, "class": "bar-value" }, ctx.number(value)));
      svg.appendChild(g);
    });
    box.appendChild(svg);
    var note = sizeNote(ctx, rows.length, result.rows.length);
    if (note) { box.appendChild(note); }
  }
  function drawLine(rows, cols, box, ctx) {
    var points = rows.map(function (r) { return { x: yearOf(r[cols.label]), y: Number(r[cols.value].value), row: r }; })
      .filter(function (p) { return isFinite(p.x); }).sort(function (a, b) { return a.x - b.x; });
    var W = width(box), H = Math.round(Math.min(360, W * 0.6)), left = 60, right = 20, top = 20, bottom = 40;
    var xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    var x0 = Math.floor(Math.min.apply(null, xs)), x1 = Math.ceil(Math.max.apply(null, xs)) + 1;
    var y1 = Math.max.apply(null, ys.concat([0])) || 1;
    function sx(v) { return left + (W - left - right) * (v - x0) / (x1 - x0); }
    function sy(v) { return H - bottom - (H - top - bottom) * v / y1; }
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "class": "sb-chart", "aria-label": ctx.text.chartOf.replace("%(value)s", cols.value).replace("%(label)s", cols.label) });
    yearTicks(x0, x1).forEach(function (year) {
      svg.appendChild(svgEl("line", { x1: sx(year), x2: sx(year), y1: top, y2: H - bottom, "class": "grid" }));
      svg.appendChild(svgEl("text", { x: sx(year), y: H - bottom + 18, "text-anchor": "middle", "class": "axis-label" }, String(year)));
    });
    [0, y1 / 2, y1].forEach(function (v) {
      svg.appendChild(svgEl("text", { x: left - 8, y: sy(v) + 4, "text-anchor": "end", "class": "axis-label" }, ctx.number(Math.round(v))));
    });
    svg.appendChild(svgEl("polyline", { points: points.map(function (p) { return sx(p.x) + "," + sy(p.y); }).join(" "), "class": "line" }));
    points.forEach(function (p) {
      var dot = svgEl("circle", { cx: sx(p.x), cy: sy(p.y), r: 4, "class": "dot" });
      dot.appendChild(svgEl("title", {}, p.row[cols.label].value + ": " + ctx.number(p.y)));
      svg.appendChild(dot);
    });
    box.appendChild(svg);
  }
  function yearTicks(x0, x1) {
    var span = x1 - x0, step = span > 40 ? 10 : span > 16 ? 5 : span > 8 ? 2 : 1, out = [];
    for (var y = Math.ceil(x0 / step) * step; y <= x1; y += step) { out.push(y); }
    return out;
  }

  // -- timeline -------------------------------------------------------------------------------
  function timelineColumns(result) {
    if (result.form !== "SELECT" || !result.rows.length) { return null; }
    var dates = column(result, isDate).filter(function (v) { return column(result, isNumber).indexOf(v) < 0; });
    if (!dates.length) { return null; }
    var uris = column(result, function (t) { return t.type === "uri"; });
    var label = uris[0] || otherColumn(result, dates);
    // A note beside the label: the plain-text column nearest to the label column (preceding first).
    var plain = result.vars.filter(function (v) {
      return v !== label && dates.indexOf(v) < 0 && result.rows.every(function (r) { return !r[v] || (r[v].type === "literal" && !r[v].datatype); });
    });
    var at = result.vars.indexOf(label);
    plain.sort(function (a, b) {
      var da = result.vars.indexOf(a) - at, db = result.vars.indexOf(b) - at;
      return (Math.abs(da) - Math.abs(db)) || (da - db);
    });
    var note = uris.length ? plain[0] : undefined;
    return label ? { date: dates[0], label: label, note: note } : null;
  }
  function drawTimeline(result, box, ctx) {
    var cols = timelineColumns(result);
    var items = result.rows.filter(function (r) { return r[cols.date] && r[cols.label]; })
      .map(function (r) { return { x: yearOf(r[cols.date]), row: r }; }).filter(function (i) { return isFinite(i.x); })
      .sort(function (a, b) { return a.x - b.x; });
    var total = items.length;
    items = items.slice(0, 300);
    var W = width(box), left = 20, right = 20, top = 34, narrow = W < 600, lane = narrow ? 40 : 22;
    var xs = items.map(function (i) { return i.x; });
    var x0 = Math.floor(Math.min.apply(null, xs)), x1 = Math.floor(Math.max.apply(null, xs)) + 1;
    if (x1 - x0 < 2) { x0 -= 1; x1 += 1; }
    function sx(v) { return left + (W - left - right) * (v - x0) / (x1 - x0); }
    var H = top + items.length * lane + 10;
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "group", "class": "sb-timeline", "aria-label": ctx.text.timelineOf.replace("%(date)s", cols.date) });
    yearTicks(x0, x1).forEach(function (year) {
      svg.appendChild(svgEl("line", { x1: sx(year), x2: sx(year), y1: top - 10, y2: H, "class": "grid" }));
      svg.appendChild(svgEl("text", { x: sx(year), y: 16, "text-anchor": "middle", "class": "axis-label" }, String(year)));
    });
    items.forEach(function (item, i) {
      var y = top + i * lane + (narrow ? 8 : lane / 2), x = sx(item.x), term = item.row[cols.label];
      var text = item.row[cols.date].value + "  " + ctx.display(term) + (cols.note && item.row[cols.note] ? " (" + item.row[cols.note].value + ")" : "");
      // Beside the dot where there is room; on a phone, on a line of its own under it.
      var right = !narrow && x > W / 2;
      var room = Math.floor(((narrow ? W - 4 : right ? x - left : W - x - 4) - 12) / 7);  // characters of about 7 units
      var g = svgEl("g", {});
      g.appendChild(svgEl("title", {}, text));
      g.appendChild(svgEl("circle", { cx: x, cy: y, r: 5, "class": "dot" }));
      var at = narrow ? { x: 4, y: y + 20, "text-anchor": "start" } : { x: right ? x - 9 : x + 9, y: y + 4, "text-anchor": right ? "end" : "start" };
      at["class"] = "item-label";
      var label = svgEl("text", at,
        text.length > room ? text.slice(0, Math.max(8, room - 1)) + "…" : text);
      if (term.type === "uri") {
        var a = svgEl("a", { href: ctx.href(term.value) });
        if (ctx.isLocal(term.value)) { a.setAttribute("data-iri", term.value); }
        a.appendChild(label);
        g.appendChild(a);
      } else {
        g.appendChild(label);
      }
      svg.appendChild(g);
    });
    box.appendChild(svg);
    var note = sizeNote(ctx, items.length, total);
    if (note) { box.appendChild(note); }
  }

  // -- map ------------------------------------------------------------------------------------
  var CODE = /^(?:GM)?(\d{4})$/;
  function mapColumns(result, ctx) {
    if (result.form !== "SELECT" || !result.rows.length || !ctx.municipalities) { return null; }
    var byIri = ctx.municipalities.byIri;
    var place = column(result, function (t) { return (t.type === "uri" && !!byIri[t.value]) || (t.type === "literal" && CODE.test(t.value)); })[0];
    if (!place) { return null; }
    var numbers = column(result, isNumber).filter(function (v) { return v !== place; });
    return { place: place, value: numbers[0] };
  }
  function codeOf(term, ctx) {
    if (term.type === "uri") { return ctx.municipalities.byIri[term.value]; }
    var m = CODE.exec(term.value);
    return m ? "GM" + m[1] : null;
  }
  function drawMap(result, box, ctx) {
    var cols = mapColumns(result, ctx);
    var values = {};
    result.rows.forEach(function (r) {
      if (!r[cols.place]) { return; }
      var code = codeOf(r[cols.place], ctx);
      if (!code) { return; }
      values[code] = (values[code] || 0) + (cols.value ? Number(r[cols.value].value) : 1);
    });
    var figure = el("figure", { "class": "nl-map sparql-map" });
    box.appendChild(figure);
    ctx.topology().then(function (topology) {
      var name = Object.keys(topology.objects)[0];
      var geo = window.topojson.feature(topology, topology.objects[name]);
      var width = 600, height = 720;
      var path = window.d3.geoPath(window.d3.geoMercator().fitSize([width, height], geo));
      var nums = Object.keys(values).map(function (k) { return values[k]; });
      var max = Math.max.apply(null, nums.concat([1]));
      var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "group", "aria-label": ctx.text.mapOf.replace("%(value)s", cols.value || ctx.text.count) });
      geo.features.forEach(function (feature) {
        var code = feature.properties.statcode, value = values[code];
        var step = value === undefined ? 0 : Math.min(4, 1 + Math.floor(3.999 * value / max));
        var shape = svgEl("path", { d: path(feature) || "", "class": "muni step-" + step, "data-code": code });
        var info = ctx.municipalities.byCode[code];
        var title = (info ? info.label : feature.properties.statnaam) + ": " + (value === undefined ? ctx.text.none : ctx.number(value));
        shape.appendChild(svgEl("title", {}, title));
        if (value !== undefined && info) {
          var a = svgEl("a", { href: info.url, "aria-label": title });
          a.appendChild(shape);
          svg.appendChild(a);
        } else {
          svg.appendChild(shape);
        }
      });
      figure.appendChild(svg);
      var legend = el("figcaption", { "class": "muted" }, ctx.text.mapLegend.replace("%(n)s", ctx.number(nums.length)).replace("%(max)s", ctx.number(max)));
      figure.appendChild(legend);
      figure.setAttribute("data-drawn", String(nums.length));
    }, function () { figure.appendChild(el("p", { "class": "notice" }, ctx.text.mapFailed)); });
  }

  // -- graph ----------------------------------------------------------------------------------
  function edges(result) {
    if (result.form === "CONSTRUCT" || result.form === "DESCRIBE") { return result.triples.map(function (t) { return { from: t[0], to: t[2], label: t[1] }; }); }
    if (result.form !== "SELECT") { return []; }
    var uris = column(result, function (t) { return t.type === "uri" || t.type === "bnode"; });
    var out = [];
    result.rows.forEach(function (r) {
      for (var i = 0; i + 1 < uris.length; i++) {
        if (r[uris[i]] && r[uris[i + 1]]) { out.push({ from: r[uris[i]], to: r[uris[i + 1]], label: null }); }
      }
    });
    return out;
  }
  function drawGraph(result, box, ctx) {
    var nodes = new Map(), links = [], total = 0;
    function node(term) {
      var key = term.type + ":" + term.value;
      if (!nodes.has(key)) {
        var literal = term.type === "literal";
        nodes.set(key, { id: key, label: ctx.display(term).slice(0, 40), title: term.value, shape: literal ? "box" : "dot", group: literal ? "literal" : term.type, term: term });
      }
      return key;
    }
    edges(result).forEach(function (e) {
      total += 1;
      if (nodes.size > 400) { return; }
      links.push({ from: node(e.from), to: node(e.to), label: e.label ? ctx.display(e.label) : undefined, arrows: "to" });
    });
    var canvas = el("div", { "class": "sb-graph", role: "img", "aria-label": ctx.text.graphOf.replace("%(n)s", ctx.number(nodes.size)) });
    box.appendChild(canvas);
    var note = sizeNote(ctx, links.length, total);
    if (note) { box.appendChild(note); }
    if (!window.vis) { return; }
    var network = new window.vis.Network(canvas, { nodes: new window.vis.DataSet(Array.from(nodes.values())), edges: new window.vis.DataSet(links) }, {
      nodes: { font: { size: 14, color: "#1b1b1b" }, color: { background: "#cfe3f5", border: "#1f5f99" } },
      edges: { font: { size: 11, align: "middle", color: "#333" }, color: "#6a7a8a", smooth: { type: "continuous" } },
      groups: { literal: { color: { background: "#fff7d6", border: "#8a6d00" } } },
      physics: { stabilization: { iterations: 200 } }
    });
    network.on("doubleClick", function (params) {
      var n = params.nodes.length ? nodes.get(params.nodes[0]) : null;
      if (n && n.term.type === "uri") { window.location.href = ctx.href(n.term.value); }
    });
    canvas.setAttribute("data-nodes", String(nodes.size));
  }

  window.SBViews = {
    order: ["table", "chart", "timeline", "map", "graph"],
    table: { fits: function () { return true; }, draw: drawTable },
    chart: { fits: function (r) { return !!chartColumns(r); }, draw: drawChart },
    timeline: { fits: function (r) { return !!timelineColumns(r); }, draw: drawTimeline },
    map: { fits: function (r, ctx) { return !!mapColumns(r, ctx); }, draw: drawMap },
    graph: { fits: function (r) { return edges(r).length > 0; }, draw: drawGraph },
    /* The view a `#defaultView:` comment asks for, by the Wikidata Query Service's names. */
    requested: function (query) {
      var m = /#\s*defaultView\s*:\s*([A-Za-z]+)/.exec(query || "");
      if (!m) { return null; }
      var name = m[1].toLowerCase();
      return { table: "table", barchart: "chart", linechart: "chart", chart: "chart", timeline: "timeline", map: "map", graph: "graph" }[name] || null;
    },
    isNumber: isNumber
  };
}());
