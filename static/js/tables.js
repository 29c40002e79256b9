/* A table wider than the screen scrolls inside its DSFR wrapper (fr-table). A keyboard user must be able
   to reach and scroll it too (WCAG 2.1.1; axe: scrollable-region-focusable): every scrolling part of a
   .fr-table becomes a focusable region named after the table's caption. Progressive enhancement. */
(function () {
  "use strict";
  var SELECTOR = ".fr-table, .fr-table > *, .fr-table__wrapper, .fr-table__container, .fr-table__content, .fr-table table";

  function mark() {
    var nodes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var overflow = window.getComputedStyle(el).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        var table = el.tagName === "TABLE" ? el : el.querySelector("table");
        var caption = table && table.querySelector("caption");
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-cls-scroll", "");
        if (el.tagName !== "TABLE") {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau");
        }
      } else if (!scrolls && el.hasAttribute("data-cls-scroll")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-cls-scroll");
        if (el.tagName !== "TABLE") { el.removeAttribute("role"); el.removeAttribute("aria-label"); }
      }
    }
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; mark(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
  window.addEventListener("load", mark);
  window.addEventListener("resize", schedule);
  // The DSFR script adds its own wrappers (fr-table__shadow) after the page has loaded.
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
})();
