/* Tables wider than the page scroll inside their wrapper. A scrolling wrapper gets keyboard
   focus and a name (WCAG 2.1.1), taken from the table's caption or the heading before it, so a
   keyboard user can scroll it with the arrow keys; a wrapper that fits gets neither. */
(function () {
  "use strict";
  function name(wrap) {
    var table = wrap.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    return document.documentElement.lang === "en" ? "Table" : "Tabel";
  }
  function update() {
    document.querySelectorAll(".db-table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", name(wrap));
          wrap.setAttribute("data-named", "");
        }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        if (wrap.hasAttribute("data-named")) { wrap.removeAttribute("aria-label"); wrap.removeAttribute("data-named"); }
      }
    });
  }
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update); else update();
})();
