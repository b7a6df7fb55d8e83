/* The SPARQL editor: YASGUI on this site's own endpoint, offline (no prefix.cc, no LOV, no CORS
   proxy), with the project's prefixes, results that link to our own pages with labels, a shareable
   link and downloads for every query. Configuration comes from a JSON data block (no inline script). */
(function () {
  "use strict";
  var configEl = document.getElementById("sparql-config");
  var root = document.getElementById("yasgui");
  if (!configEl || !root || typeof Yasgui === "undefined") { return; }
  var cfg = JSON.parse(configEl.textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var base = cfg.base;
  var labelCache = new Map();

  // Offline: only the autocompleters that need no outside service, and only our own prefixes.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  var ownPrefixes = Object.keys(cfg.prefixes).map(function (p) { return p + ": <" + cfg.prefixes[p] + ">"; });
  if (Yasgui.Yasqe.Autocompleters && Yasgui.Yasqe.Autocompleters.prefixes) {
    Yasgui.Yasqe.Autocompleters.prefixes.get = function () { return Promise.resolve(ownPrefixes); };
  }
  Yasgui.Yasqe.defaults.createShareableLink = function (yasqe) { return shareUrl(yasqe.getValue()); };

  var yasgui = new Yasgui(root, {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9"
    },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    corsProxy: undefined,
    yasr: { prefixes: cfg.prefixes, defaultPlugin: "table" }
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
  yasqe.setValue(cfg.query);

  // -- shareable link and downloads ------------------------------------------------------------
  function shareUrl(query) {
    return window.location.origin + "/sparql?query=" + encodeURIComponent(query);
  }
  var shareInput = document.getElementById("sparql-share-url");
  var shareStatus = document.getElementById("sparql-share-status");
  var copyButton = document.getElementById("sparql-share-copy");
  var downloads = document.getElementById("sparql-downloads");
  var RESULT_FORMATS = [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
  var GRAPH_FORMATS = [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"]];

  function update() {
    var query = yasqe.getValue();
    if (shareInput) { shareInput.value = shareUrl(query); }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "/sparql?query=" + encodeURIComponent(query));
    }
    if (!downloads) { return; }
    var type = (yasqe.getQueryType && yasqe.getQueryType()) || "SELECT";
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
      var done = function () { if (shareStatus) { shareStatus.textContent = cfg.text.copied; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(shareInput.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  }

  // -- results: links to our own pages, with labels ----------------------------------------------
  var pending = new Set();
  var timer = null;

  function localPath(iri) { return "/" + iri.slice(base.length); }

  function applyLabel(a, iri) {
    var label = labelCache.get(iri);
    if (label) { a.textContent = label; }
  }

  function scan() {
    var anchors = root.querySelectorAll("a.iri:not([data-sb])");
    anchors.forEach(function (a) {
      var iri = a.getAttribute("href") || "";
      a.setAttribute("data-sb", "1");
      if (iri.indexOf(base) !== 0) { return; }
      a.title = iri;
      a.setAttribute("data-iri", iri);
      a.href = localPath(iri);
      a.removeAttribute("target");
      a.classList.add("sb-link");
      if (labelCache.has(iri)) { applyLabel(a, iri); } else { pending.add(iri); }
    });
    if (pending.size && !timer) { timer = window.setTimeout(fetchLabels, 30); }
  }

  function fetchLabels() {
    timer = null;
    var iris = Array.from(pending).slice(0, 500);
    iris.forEach(function (i) { pending.delete(i); });
    var body = new URLSearchParams();
    iris.forEach(function (i) { body.append("iri", i); });
    body.append("lang", cfg.lang);
    fetch(cfg.labels, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { labels: {} }; })
      .then(function (data) {
        iris.forEach(function (i) { labelCache.set(i, (data.labels || {})[i] || ""); });
        root.querySelectorAll("a.sb-link[data-iri]").forEach(function (a) { applyLabel(a, a.getAttribute("data-iri")); });
        if (pending.size) { fetchLabels(); }
      })
      .catch(function () { /* labels are a convenience: the links work without them */ });
  }

  new MutationObserver(function () { scan(); }).observe(root, { childList: true, subtree: true });
})();
