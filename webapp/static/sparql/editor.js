/* The SPARQL editor: YASQE (the query editor of the vendored YASGUI bundle) on this site's own
   endpoint, offline (no prefix.cc, no LOV, no CORS proxy), completing classes, properties and
   entities from our own /sparql/complete.json; results drawn by views.js in the site's language,
   with labels, plain values, readable errors, a shareable link and downloads for every query.
   Configuration and texts come from a JSON data block (no inline script). */
(function () {
  "use strict";
  var configEl = document.getElementById("sparql-config");
  var root = document.getElementById("yasqe");
  if (!configEl || !root || typeof Yasgui === "undefined" || !window.SBViews) { return; }
  var cfg = JSON.parse(configEl.textContent);
  var T = cfg.text;
  var Yasqe = Yasgui.Yasqe;
  var base = cfg.base;
  var labelCache = new Map();
  var numberFormat = new Intl.NumberFormat(cfg.lang === "en" ? "en-GB" : "nl-NL");

  // -- completion: our own prefixes, then classes, properties and entities from our own data -----
  var ownPrefixes = Object.keys(cfg.prefixes).map(function (p) { return p + ": <" + cfg.prefixes[p] + ">"; });
  Yasqe.Autocompleters.prefixes.get = function () { return Promise.resolve(ownPrefixes); };
  var iriTools = Yasqe.Autocompleters["class"];
  var lastLabels = {};
  function position(yasqe) {
    var token = yasqe.getCompleteToken();
    var previous = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, token);
    if (previous && (previous.string === "a" || previous.string === "rdf:type")) { return "class"; }
    if (token.state && token.state.possibleCurrent && token.state.possibleCurrent.indexOf("a") >= 0) { return "property"; }
    return "entity";
  }
  Yasqe.registerAutocompleter({
    name: "sociale-basis",
    bulk: false,
    autoShow: true,
    isValidCompletionPosition: function (yasqe) {
      var text = yasqe.getCompleteToken().string || "";
      if (!text || text[0] === "?" || text[0] === "$" || text[0] === "\"" || text[0] === "'") { return false; }
      return /^[A-Za-z][\w.-]*:/.test(text) || text[0] === "<";
    },
    preProcessToken: function (yasqe, token) { return iriTools.preProcessToken(yasqe, token); },
    postProcessSuggestion: function (yasqe, token, suggestion) { return iriTools.postProcessSuggestion(yasqe, token, suggestion); },
    postprocessHints: function (yasqe, hints) {
      hints.forEach(function (hint) {
        var label = lastLabels[hint.text];
        if (label) { hint.displayText = hint.text + "  —  " + label; }
      });
      return hints;
    },
    get: function (yasqe, token) {
      var typed = token && token.autocompletionString;
      if (!typed) { return Promise.resolve([]); }
      var url = cfg.complete + "?" + new URLSearchParams({ q: typed, position: position(yasqe), lang: cfg.lang });
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          lastLabels = {};
          return data.suggestions.map(function (s) {
            var text = iriTools.postProcessSuggestion(yasqe, token, s.iri);
            lastLabels[text] = s.label + (s.count ? " (" + numberFormat.format(s.count) + ")" : "");
            return s.iri;
          });
        }, function () { return []; });
    }
  }, true);
  Yasqe.defaults.autocompleters = ["variables", "prefixes", "sociale-basis"];

  var yasqe = new Yasqe(root, {
    value: cfg.query,
    persistenceId: null,
    showQueryButton: false,
    resizeable: true,
    editorHeight: "320px",
    createShareableLink: null,
    requestConfig: { endpoint: cfg.endpoint, method: "POST" }
  });
  var input = yasqe.getInputField();
  input.setAttribute("aria-label", T.editorLabel);
  input.setAttribute("aria-describedby", "sparql-keys");
  yasqe.query = function () { run(); return Promise.resolve(); };  // Ctrl-Enter runs our request

  // -- running a query --------------------------------------------------------------------------
  var runButton = document.getElementById("sparql-run");
  var status = document.getElementById("sparql-status");
  var errorBox = document.getElementById("sparql-error");
  var switcher = document.getElementById("sparql-views");
  var output = document.getElementById("sparql-output");
  var rawToggle = document.getElementById("sparql-raw");
  var current = null, currentView = null, errorLine = null, topology = null, municipalities = null;

  function form() {
    var type = (yasqe.getQueryType && yasqe.getQueryType()) || "SELECT";
    return String(type).toUpperCase();
  }
  function run() {
    var query = yasqe.getValue();
    var kind = form();
    var graph = kind === "CONSTRUCT" || kind === "DESCRIBE";
    clearError();
    status.textContent = T.running;
    runButton.disabled = true;
    var started = performance.now();
    var body = new URLSearchParams({ query: query });
    fetch(cfg.endpoint, {
      method: "POST", body: body,
      headers: { Accept: graph ? "application/n-triples" : "application/sparql-results+json", "Accept-Language": cfg.lang }
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) { throw { status: response.status, text: text }; });
      }
      return graph ? response.text().then(function (text) { return { form: kind, vars: [], rows: [], triples: parseNTriples(text) }; })
        : response.json().then(function (json) {
          if (typeof json.boolean === "boolean") { return { form: "ASK", vars: [], rows: [], triples: [], boolean: json.boolean }; }
          return { form: "SELECT", vars: json.head.vars, rows: json.results.bindings, triples: [] };
        });
    }).then(function (result) {
      current = result;
      var n = result.form === "ASK" ? 1 : result.form === "SELECT" ? result.rows.length : result.triples.length;
      var seconds = ((performance.now() - started) / 1000).toFixed(2);
      status.textContent = (result.form === "SELECT" ? T.rows : result.form === "ASK" ? T.answer : T.triples)
        .replace("%(n)s", numberFormat.format(n)).replace("%(seconds)s", seconds.replace(".", cfg.lang === "en" ? "." : ","));
      return prepare(result).then(function () { show(SBViews.requested(query)); });
    }).catch(function (problem) {
      status.textContent = "";
      showError(problem);
    }).then(function () { runButton.disabled = false; });
  }
  runButton.addEventListener("click", run);

  /* N-Triples as [s, p, o] SPARQL JSON terms (our own endpoint's output: one triple a line). */
  function parseNTriples(text) {
    var term = /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?/g;
    var out = [];
    text.split("\n").forEach(function (line) {
      var parts = [], m;
      term.lastIndex = 0;
      while ((m = term.exec(line)) !== null && parts.length < 3) {
        if (m[1] !== undefined) { parts.push({ type: "uri", value: m[1] }); }
        else if (m[2] !== undefined) { parts.push({ type: "bnode", value: m[2] }); }
        else {
          var t = { type: "literal", value: JSON.parse("\"" + m[3].replace(/\\U([0-9A-Fa-f]{8})/g, function (_s, h) { return String.fromCodePoint(parseInt(h, 16)); }) + "\"") };
          if (m[4]) { t.datatype = m[4]; }
          if (m[5]) { t["xml:lang"] = m[5]; }
          parts.push(t);
        }
      }
      if (parts.length === 3) { out.push(parts); }
    });
    return out;
  }

  // -- errors: the endpoint's message, with the line marked in the editor -------------------------
  function showError(problem) {
    var message = T.failed;
    if (problem && problem.text) {
      try { message = JSON.parse(problem.text).error || message; } catch (e) { message = problem.text.replace(/^\d{3} [^:]*: /, "").trim() || message; }
      if (problem.status === 504 || problem.status === 503 || problem.status === 429) { message = message + " (" + problem.status + ")"; }
    } else if (problem && problem.message) {
      message = T.failed + " (" + problem.message + ")";
    }
    errorBox.textContent = "";
    errorBox.appendChild(document.createTextNode(message));
    errorBox.hidden = false;
    var where = /(?:regel|line) (\d+), (?:kolom|column) (\d+)/.exec(message) || /line (\d+) column (\d+)/i.exec(message);
    if (where) {
      errorLine = yasqe.getDoc().getLineHandle(Number(where[1]) - 1);
      if (errorLine) { yasqe.addLineClass(errorLine, "background", "sparql-error-line"); }
    }
    output.textContent = "";
    switcher.hidden = true;
  }
  function clearError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    if (errorLine) { yasqe.removeLineClass(errorLine, "background", "sparql-error-line"); errorLine = null; }
  }

  // -- views ------------------------------------------------------------------------------------
  var ctx = {
    lang: cfg.lang, text: T, raw: false,
    number: function (n) { return numberFormat.format(n); },
    isLocal: isLocal,
    href: function (iri) { return isLocal(iri) ? "/" + iri.slice(base.length) : iri; },
    display: display,
    labelsChanged: function () { scanLabels(); },
    topology: function () {
      topology = topology || fetch(cfg.topology).then(function (r) { return r.json(); });
      return topology;
    },
    municipalities: null
  };
  function isLocal(iri) { return cfg.pages.some(function (p) { return iri.indexOf(p) === 0; }); }
  function prefixed(iri) {
    var best = "", name = "";
    Object.keys(cfg.prefixes).forEach(function (p) {
      var ns = cfg.prefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length) { best = ns; name = p; }
    });
    return best ? name + ":" + iri.slice(best.length) : iri;
  }
  function display(term) {
    if (!term) { return ""; }
    if (term.type === "uri") {
      if (ctx.raw) { return prefixed(term.value); }
      return labelCache.get(term.value) || prefixed(term.value);
    }
    if (term.type === "bnode") { return "_:" + term.value; }
    if (ctx.raw) {
      if (term["xml:lang"]) { return "\"" + term.value + "\"@" + term["xml:lang"]; }
      return term.datatype ? "\"" + term.value + "\"^^" + prefixed(term.datatype) : "\"" + term.value + "\"";
    }
    if (SBViews.isNumber(term)) { return numberFormat.format(Number(term.value)); }
    return term.value;
  }
  /* Our own IRIs in a result, for one labels request before drawing. */
  function localIris(result) {
    var found = new Set();
    function add(t) { if (t && t.type === "uri" && t.value.indexOf(base) === 0 && !labelCache.has(t.value)) { found.add(t.value); } }
    result.rows.forEach(function (row) { Object.keys(row).forEach(function (k) { add(row[k]); }); });
    result.triples.forEach(function (t) { t.forEach(add); });
    return Array.from(found).slice(0, 500);
  }
  function fetchLabels(iris) {
    if (!iris.length) { return Promise.resolve(); }
    var body = new URLSearchParams();
    iris.forEach(function (i) { body.append("iri", i); });
    body.append("lang", cfg.lang);
    return fetch(cfg.labels, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { labels: {} }; })
      .then(function (data) { iris.forEach(function (i) { labelCache.set(i, (data.labels || {})[i] || ""); }); })
      .catch(function () { /* labels are a convenience: the links work without them */ });
  }
  function scanLabels() {
    var missing = [];
    output.querySelectorAll("[data-iri]").forEach(function (a) {
      var iri = a.getAttribute("data-iri");
      if (!labelCache.has(iri)) { missing.push(iri); }
    });
    if (missing.length) {
      fetchLabels(missing.slice(0, 500)).then(function () {
        output.querySelectorAll("a.sb-link[data-iri]").forEach(function (a) {
          if (!ctx.raw) { a.textContent = labelCache.get(a.getAttribute("data-iri")) || a.textContent; }
        });
      });
    }
  }
  function needsMunicipalities(result) {
    return result.form === "SELECT" && !municipalities &&
      result.rows.some(function (row) { return Object.keys(row).some(function (k) { var t = row[k]; return (t.type === "uri" && t.value.indexOf(cfg.placePrefix) === 0) || /^GM\d{4}$/.test(t.value); }); });
  }
  function prepare(result) {
    var waits = [fetchLabels(localIris(result))];
    if (needsMunicipalities(result)) {
      waits.push(fetch(cfg.municipalities, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
        municipalities = { byIri: {}, byCode: {} };
        data.municipalities.forEach(function (m) { municipalities.byIri[m.iri] = m.code; municipalities.byCode[m.code] = m; });
      }).catch(function () { /* no map then */ }));
    }
    return Promise.all(waits).then(function () { ctx.municipalities = municipalities; });
  }
  function show(wanted) {
    if (!current) { return; }
    var fitting = SBViews.order.filter(function (name) { return SBViews[name].fits(current, ctx); });
    var view = wanted && fitting.indexOf(wanted) >= 0 ? wanted : fitting.indexOf(currentView) >= 0 && !wanted ? currentView : "table";
    currentView = view;
    switcher.hidden = current.form === "ASK";
    switcher.querySelectorAll("button[data-view]").forEach(function (b) {
      var name = b.getAttribute("data-view");
      b.disabled = fitting.indexOf(name) < 0;
      b.setAttribute("aria-pressed", String(name === view));
      b.title = b.disabled ? T.notFitting : "";
    });
    output.textContent = "";
    SBViews[view].draw(current, output, ctx);
    output.setAttribute("data-view", view);
  }
  switcher.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-view]");
    if (button && !button.disabled) { currentView = button.getAttribute("data-view"); show(currentView); }
  });
  if (rawToggle) {
    rawToggle.addEventListener("change", function () { ctx.raw = rawToggle.checked; show(currentView); });
  }

  // -- shareable link and downloads ------------------------------------------------------------
  var shareInput = document.getElementById("sparql-share-url");
  var shareStatus = document.getElementById("sparql-share-status");
  var copyButton = document.getElementById("sparql-share-copy");
  var downloads = document.getElementById("sparql-downloads");
  var RESULT_FORMATS = [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
  var GRAPH_FORMATS = [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"]];
  function shareUrl(query) { return window.location.origin + "/sparql?query=" + encodeURIComponent(query); }
  function update() {
    var query = yasqe.getValue();
    if (shareInput) { shareInput.value = shareUrl(query); }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "/sparql?query=" + encodeURIComponent(query));
    }
    if (!downloads) { return; }
    var type = form();
    var formats = (type === "CONSTRUCT" || type === "DESCRIBE") ? GRAPH_FORMATS : type === "ASK" ? RESULT_FORMATS.slice(2) : RESULT_FORMATS;
    while (downloads.childNodes.length > 1) { downloads.removeChild(downloads.lastChild); }
    formats.forEach(function (f, i) {
      downloads.appendChild(document.createTextNode(i ? " · " : " "));
      var a = document.createElement("a");
      a.href = "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[0];
      a.setAttribute("download", "sociale-basis-query." + (f[0] === "turtle" ? "ttl" : f[0] === "ntriples" ? "nt" : f[0] === "rdfxml" ? "rdf" : f[0]));
      a.textContent = f[1];
      downloads.appendChild(a);
    });
  }
  yasqe.on("change", update);
  update();
  if (copyButton && shareInput) {
    copyButton.addEventListener("click", function () {
      shareInput.select();
      var done = function () { if (shareStatus) { shareStatus.textContent = T.copied; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(shareInput.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  }
  root.setAttribute("data-ready", "1");
  if (cfg.run) { run(); }
})();
