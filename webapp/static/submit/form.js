// "Voeg zelf kennis toe": autocomplete against the graph, more name fields, and taking over
// suggestions. Progressive enhancement only: the form works without it. Data is put in the page
// with textContent and value, never as HTML.
(function () {
  "use strict";

  var DELAY = 200;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function groupFor(field) {
    return document.querySelector('fieldset.entity-field[data-field="' + field + '"]');
  }

  function fill(datalist, results) {
    while (datalist.firstChild) datalist.removeChild(datalist.firstChild);
    results.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.label;
      option.textContent = r.label + " (" + r.kind + ")";
      datalist.appendChild(option);
    });
  }

  function attach(input, group) {
    var datalist = document.getElementById(input.getAttribute("list"));
    if (!datalist || input.dataset.autocomplete === "on") return;
    input.dataset.autocomplete = "on";
    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) return;
      var url = "/bijdragen/entiteiten.json?soort=" + encodeURIComponent(group.dataset.kinds) + "&q=" + encodeURIComponent(q);
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) { fill(datalist, body.results || []); })
        .catch(function () { /* autocomplete is a help, not a must */ });
    }, DELAY);
    input.addEventListener("input", lookup);
  }

  function addInput(group, value) {
    var inputs = group.querySelectorAll(".entity-inputs input");
    var last = inputs[inputs.length - 1];
    var copy = last.cloneNode(false);
    copy.value = value || "";
    delete copy.dataset.autocomplete;
    var label = (last.getAttribute("aria-label") || "").replace(/\s\d+$/, "");
    copy.setAttribute("aria-label", label + " " + (inputs.length + 1));
    last.parentNode.appendChild(copy);
    attach(copy, group);
    return copy;
  }

  function putValue(field, value) {
    var group = groupFor(field);
    if (!group) return;
    var inputs = group.querySelectorAll(".entity-inputs input");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value.trim().toLowerCase() === value.toLowerCase()) return;
    }
    for (var j = 0; j < inputs.length; j++) {
      if (!inputs[j].value.trim()) { inputs[j].value = value; return; }
    }
    addInput(group, value);
  }

  document.querySelectorAll("fieldset.entity-field").forEach(function (group) {
    group.querySelectorAll(".entity-inputs input").forEach(function (input) { attach(input, group); });
    var add = group.querySelector("button.add-entry");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () { addInput(group, "").focus(); });
    }
  });

  document.querySelectorAll("button.use-entity").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      putValue(button.dataset.field, button.dataset.value);
      button.disabled = true;
    });
  });

  document.querySelectorAll("button.use-pillar").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var box = document.getElementById("f-pillars-" + button.dataset.pillar);
      if (box) box.checked = true;
      button.disabled = true;
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();
