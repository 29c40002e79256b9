/* The error summary of a rejected form (templates/includes/error_summary.html) receives focus when the page
   opens, so a screen reader reads it first; its links put focus in the field they name (a plain jump to an
   id only scrolls) and show the field's label with it. */
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!field) return;
    event.preventDefault();
    var label = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    (label || field).scrollIntoView({block: 'start'});
    field.focus({preventScroll: true});
  });
})();
