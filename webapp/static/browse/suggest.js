/* Search-box completion: an ARIA 1.2 combobox on every <input data-suggest>.
   Suggestions come from /search/suggest.json; text is set with textContent only. */
(function () {
  "use strict";
  var counter = 0;
  var lang = document.documentElement.lang || "nl";

  function setup(input) {
    counter += 1;
    var listId = "suggest-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", lang === "en" ? "Suggestions" : "Suggesties");
    list.hidden = true;
    var holder = input.parentNode;
    holder.classList.add("suggest-holder");
    holder.appendChild(list);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    holder.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items = suggestions;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggest-label";
        name.textContent = s.label;
        if (s.lang && s.lang !== lang) { name.lang = s.lang; }
        var kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = s.kind_label;
        li.appendChild(name);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = s.url; });
        list.appendChild(li);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = suggestions.length + (lang === "en" ? " suggestions" : " suggesties");
      } else {
        close();
        status.textContent = "";
      }
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { render([]); lastQuery = q; return; }
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch("/search/suggest.json?q=" + encodeURIComponent(q), { signal: controller ? controller.signal : undefined, headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) { render(data.suggestions || []); } })
        .catch(function () { /* aborted or offline: no suggestions */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden && event.key !== "ArrowDown") { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, -1));
      } else if (event.key === "Enter" && active >= 0 && items[active]) {
        event.preventDefault();
        window.location.href = items[active].url;
      } else if (event.key === "Escape") {
        event.preventDefault();  /* close the list, keep what was typed */
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
