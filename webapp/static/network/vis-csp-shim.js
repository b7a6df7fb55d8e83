/* vis-network's standalone build injects its CSS through <style> elements when it loads. The
   site's Content-Security-Policy (no 'unsafe-inline') refuses them, with one console error each,
   and the network views do not use the widgets that CSS styles (tooltips, navigation buttons,
   configurator). So, only while the library loads, <style> elements appended to <head> are
   dropped; common.js calls SBVisShim.restore() right after. Nothing else is touched. */
(function () {
  "use strict";
  var head = document.head;
  if (!head || window.SBVisShim) { return; }
  var append = head.appendChild;
  var insert = head.insertBefore;
  function isStyle(node) { return node && node.nodeName === "STYLE"; }
  head.appendChild = function (node) { return isStyle(node) ? node : append.call(this, node); };
  head.insertBefore = function (node, ref) { return isStyle(node) ? node : insert.call(this, node, ref); };
  window.SBVisShim = {
    restore: function () {
      delete head.appendChild;
      delete head.insertBefore;
    }
  };
})();
