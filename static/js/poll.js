/* A page that waits for reports (reports/views.py, POLL_SECONDS): asks its own view for `?etat=1` and puts
   each part that changed (`data-poll-part`) in place. The state part is a polite live region (role=status):
   a screen reader says the change without losing its place. Focus never moves: a part that holds the focus
   waits until the focus leaves it. Stops when the answer says `data-poll-done="1"`, after repeated errors,
   or after an hour. Without JavaScript, the page shows a « Rafraîchir » link instead. */
(function () {
  'use strict';
  var root = document.querySelector('[data-poll-url]');
  if (!root || !window.fetch || !window.DOMParser) return;
  var url = root.getAttribute('data-poll-url');
  var delay = Math.max(1, parseInt(root.getAttribute('data-poll-seconds'), 10) || 3) * 1000;
  var deadline = Date.now() + 3600 * 1000;
  var failures = 0;
  var pending = {};

  function showScripted(scope) {
    scope.querySelectorAll('[data-poll-refresh]').forEach(function (el) { el.hidden = true; });
    scope.querySelectorAll('[data-poll-auto]').forEach(function (el) { el.hidden = false; });
  }

  function place(name, html) {
    var target = root.querySelector('[data-poll-part="' + name + '"]');
    if (!target) return;
    if (target.contains(document.activeElement) && document.activeElement !== document.body) {
      pending[name] = html;  // the person is inside: update once they leave
      return;
    }
    delete pending[name];
    if (target.innerHTML.trim() === html.trim()) return;  // unchanged: nothing to announce
    target.innerHTML = html;
    showScripted(target);
  }

  root.addEventListener('focusout', function () {
    setTimeout(function () {
      Object.keys(pending).forEach(function (name) { place(name, pending[name]); });
    }, 0);
  });

  function tick() {
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}, cache: 'no-store'})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (text) {
        failures = 0;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        doc.querySelectorAll('[data-poll-part]').forEach(function (part) {
          place(part.getAttribute('data-poll-part'), part.innerHTML);
        });
        var done = doc.querySelector('[data-poll-done="1"]');
        if (!done && Date.now() < deadline) setTimeout(tick, delay);
        else if (!done) showFallback();
      })
      .catch(function () {
        failures += 1;
        if (failures < 5 && Date.now() < deadline) setTimeout(tick, delay * (failures + 1));
        else showFallback();
      });
  }

  function showFallback() {
    root.querySelectorAll('[data-poll-refresh]').forEach(function (el) { el.hidden = false; });
    root.querySelectorAll('[data-poll-auto]').forEach(function (el) { el.hidden = true; });
  }

  showScripted(root);
  setTimeout(tick, delay);
})();
