/* The pillar x sphere matrix (/matrix): the table is the view; "PNG" paints it onto a canvas
   (cell colours and texts as the browser shows them) and offers it as a download. */
(function () {
  "use strict";
  var SB = window.SBNet;
  var table = document.getElementById("matrix-table");
  if (!SB || !table) { return; }

  function paint() {
    var scale = window.devicePixelRatio || 1;
    var box = table.getBoundingClientRect();
    var canvas = document.createElement("canvas");
    canvas.width = Math.ceil(box.width * scale);
    canvas.height = Math.ceil(box.height * scale);
    var ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, box.width, box.height);
    table.querySelectorAll("th, td").forEach(function (cell) {
      var r = cell.getBoundingClientRect();
      var x = r.left - box.left;
      var y = r.top - box.top;
      var style = window.getComputedStyle(cell);
      ctx.fillStyle = style.backgroundColor && style.backgroundColor !== "rgba(0, 0, 0, 0)" ? style.backgroundColor : "#ffffff";
      ctx.fillRect(x, y, r.width, r.height);
      ctx.strokeStyle = "#ffffff";
      ctx.strokeRect(x, y, r.width, r.height);
      var link = cell.querySelector("a") || cell;
      ctx.fillStyle = window.getComputedStyle(link).color || "#1d2330";
      var lines = cell.innerText.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      lines.forEach(function (line, i) {
        ctx.font = (i === 0 && cell.tagName === "TD" ? "bold 20px " : "13px ") + "system-ui, sans-serif";
        ctx.fillText(line, x + 8, y + 22 + i * 18, r.width - 16);
      });
    });
    return canvas;
  }

  document.querySelectorAll(".net-png").forEach(function (button) {
    button.addEventListener("click", function () {
      SB.downloadCanvas(paint(), button.getAttribute("data-png-name") || "matrix");
    });
  });
  table.setAttribute("data-ready", "1");
})();
