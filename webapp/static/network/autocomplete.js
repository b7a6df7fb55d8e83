/* Entity autocomplete for forms: [data-combobox] holds a text box (the label, shown) and a hidden
   field (the chosen entity's IRI, submitted). Typing clears the hidden field, so the server then
   resolves the typed text; picking a suggestion fills both. Suggestions come from the search API. */
(function () {
  "use strict";
  var SB = window.SBNet;
  document.querySelectorAll("[data-combobox]").forEach(function (box) {
    var text = box.querySelector("input[type=text]");
    var hidden = box.querySelector("input[type=hidden]");
    var list = box.querySelector("[role=listbox]");
    var url = box.getAttribute("data-search-url");
    var kind = box.getAttribute("data-kind");
    if (!text || !hidden || !list || !url) { return; }
    text.addEventListener("input", function () { hidden.value = ""; });
    SB.suggest(text, list, function (query) { return SB.searchEntities(url, query, 10, kind); }, function (item) {
      text.value = item.label;
      hidden.value = item.id;
    });
  });
})();
