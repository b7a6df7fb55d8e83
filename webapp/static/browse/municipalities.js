// The municipality map: the boundaries (TopoJSON served by the app) drawn with d3-geo as SVG,
// each municipality coloured by its value in the page's JSON twin and linked to its page.
// No inline script, no outside request; names reach the page as text (textContent) only.
(function () {
  "use strict";
  var figure = document.getElementById("nl-map");
  if (!figure || !window.d3 || !window.topojson) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var canvas = figure.querySelector(".nl-map-canvas");

  function step(value) {
    if (!value) { return 0; }
    if (value === 1) { return 1; }
    if (value === 2) { return 2; }
    return value <= 4 ? 3 : 4;
  }

  function draw(topology, data) {
    var byCode = {};
    data.municipalities.forEach(function (m) { byCode[m.code] = m; });
    var name = Object.keys(topology.objects)[0];
    var geo = window.topojson.feature(topology, topology.objects[name]);
    var width = 600, height = 720;
    var projection = window.d3.geoMercator().fitSize([width, height], geo);
    var path = window.d3.geoPath(projection);
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("role", "group");  // a group of links: "img" would hide them (nested-interactive)
    svg.setAttribute("aria-label", figure.dataset.label);
    geo.features.forEach(function (feature) {
      var code = feature.properties.statcode;
      var m = byCode[code];
      var shape = document.createElementNS(SVG, "path");
      shape.setAttribute("d", path(feature) || "");
      shape.setAttribute("class", "muni step-" + step(m ? m.value : 0));
      shape.setAttribute("data-code", code);
      var title = document.createElementNS(SVG, "title");
      title.textContent = (m ? m.label : feature.properties.statnaam) + ": " +
        (m && m.value ? String(m.value) : figure.dataset.none);
      shape.appendChild(title);
      if (m) {
        var link = document.createElementNS(SVG, "a");
        link.setAttribute("href", m.url);
        link.setAttribute("aria-label", title.textContent);
        link.appendChild(shape);
        svg.appendChild(link);
      } else {
        svg.appendChild(shape);
      }
    });
    canvas.textContent = "";
    canvas.appendChild(svg);
    figure.setAttribute("data-drawn", String(geo.features.length));
  }

  Promise.all([
    fetch(figure.dataset.topo).then(function (r) { return r.json(); }),
    fetch(figure.dataset.json, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
  ]).then(function (parts) { draw(parts[0], parts[1]); });
}());
