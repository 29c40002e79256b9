/* Repeating rows of a form (Django formsets), progressive enhancement: without JavaScript the form keeps
   one empty row per block and the button stays hidden; with it, "Ajouter une ligne" adds rows at will.
   Each new row is the formset's empty form with "__prefix__" replaced by the next index, and the
   management form's TOTAL_FORMS follows. Focus goes to the first field of the row the person asked for. */
(function () {
  "use strict";
  function setUp(block) {
    var prefix = block.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = block.querySelector("template[data-formset-empty]");
    var rows = block.querySelector("[data-formset-rows]");
    var button = block.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement(rows.tagName === "TBODY" ? "tbody" : "div");
      holder.innerHTML = html;
      var added = [];
      while (holder.firstChild) { added.push(holder.firstChild); rows.appendChild(holder.firstChild); }
      total.value = String(index + 1);
      for (var i = 0; i < added.length; i++) {
        if (added[i].querySelector) {
          var first = added[i].querySelector("input:not([type=hidden]), select, textarea");
          if (first) { first.focus(); break; }
        }
      }
    });
  }
  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
