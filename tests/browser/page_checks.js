(width) => {
  /* The checks of tests/browser/crawl.py, run inside each page: returns a list of French problem lines. */
  const out = [];
  const SEP = /[\u00a0\u202f\u2009]/;
  const push = (kind, detail) => { if (out.length < 60) out.push(kind + ' : ' + detail); };
  const short = (el) => el.outerHTML.slice(0, 160);
  // 1. values that are never prose: no separator, no decimal comma
  const attrs = ['href', 'src', 'action', 'style', 'id', 'for', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width',
                 'height', 'viewBox', 'points', 'd', 'cx', 'cy', 'r', 'transform'];
  for (const el of document.querySelectorAll('body *')) {
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v === null) continue;
      if (SEP.test(v) || /%C2%A0|%E2%80%AF/i.test(v)) push('séparateur dans un attribut', a + '="' + v.slice(0, 80) + '" ' + short(el));
      // Path data, point lists, viewBox and transforms separate their numbers with commas (SVG syntax):
      // only scalar values and CSS can carry a decimal comma.
      const LISTS = ['d', 'points', 'viewBox', 'transform'];
      if ((a === 'style' || (el.namespaceURI === 'http://www.w3.org/2000/svg' && !LISTS.includes(a))) && /\d,\d/.test(v))
        push('virgule décimale dans une valeur CSS/SVG', a + '="' + v.slice(0, 80) + '"');
    }
  }
  for (const el of document.querySelectorAll('option, input[type=hidden], input[type=number], input[type=date]')) {
    const v = el.getAttribute('value');
    if (v && SEP.test(v)) push('séparateur dans une valeur de formulaire', short(el));
  }
  // a year standing on its own, written as a quantity: "Année 2 025", "(2 023)", "INSEE, 2 021"
  const text = document.body.innerText;
  const yearRe = /(^|[^\d\u00a0\u202f\u2009])([12])[\u00a0\u202f\u2009](\d{3})(?![\u00a0\u202f\u2009]?\d)(?!\s?(?:€|%|[a-zà-ÿ]))/gi;
  for (const line of text.split(/[\n\t]/)) {
    // a number alone on its line or in its table cell is a quantity (a chart's tick, a population), not a
    // year in a sentence
    if (/^[\d\s\u00a0\u202f,]+(\s?[€%])?$/.test(line.trim())) continue;
    for (const m of line.matchAll(yearRe)) {
      const year = +(m[2] + m[3]);
      if (year >= 1990 && year <= 2100) push('année écrite avec un séparateur', JSON.stringify(line.slice(Math.max(0, m.index - 30), m.index + 30)));
    }
  }
  // 2. horizontal overflow at 390 and 320 px (WCAG 1.4.10), with every <details> open (a closed filter or
  //    export form hid its own overflow from the check)
  if (width <= 400) {
    const closed = Array.from(document.querySelectorAll('details:not([open])'));
    closed.forEach(d => { d.open = true; });
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      const culprits = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0) {
          let scroller = false;
          for (let p = el.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') { scroller = true; break; }
          }
          if (!scroller) culprits.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' (' + Math.round(r.right) + ' px)');
        }
        if (culprits.length >= 3) break;
      }
      push('la page défile à l\u2019horizontale', doc.scrollWidth + ' px pour ' + window.innerWidth + ' : ' + culprits.join(', '));
    }
    closed.forEach(d => { d.open = false; });
  }
  // 3. SVG text leaving its chart
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        push('texte hors du graphique', JSON.stringify(t.textContent) + ' (' + (svg.getAttribute('aria-labelledby') || '') + ')');
    }
  }
  // 4. one current menu item
  const current = document.querySelectorAll('#main-nav [aria-current="page"], #main-nav [aria-current="true"]');
  if (current.length > 1) push('plusieurs entrées de menu courantes', Array.from(current).map(e => e.textContent.trim()).join(', '));
  // 5. links and buttons have an accessible name
  const nameOf = (el) => {
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    const ids = el.getAttribute('aria-labelledby');
    if (ids && ids.split(/\s+/).some(id => (document.getElementById(id)?.textContent || '').trim())) return true;
    if ((el.textContent || '').trim()) return true;
    if ((el.getAttribute('title') || '').trim()) return true;
    if (el.querySelector('img[alt]:not([alt=""]), svg title')) return true;
    if (el.tagName === 'INPUT' && (el.value || '').trim()) return true;
    return false;
  };
  for (const el of document.querySelectorAll('a[href], button, [role=button], input[type=submit], input[type=button]')) {
    if (!nameOf(el)) push('lien ou bouton sans nom accessible', short(el));
  }
  // 6. no page reloads itself (WCAG 2.2.1: a meta refresh moved focus to the top every few seconds)
  for (const m of document.querySelectorAll('meta[http-equiv]')) {
    if (m.getAttribute('http-equiv').toLowerCase() === 'refresh') push('rechargement automatique (meta refresh)', short(m));
  }
  // 7. every id an ARIA relation names exists (a dangling aria-describedby describes nothing)
  for (const attr of ['aria-describedby', 'aria-labelledby']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) push(attr + ' vers un id absent', '#' + id + ' ' + short(el));
      }
    }
  }
  // 8. a table's visible caption stands above the table, not under its header row (a positioned <table> made
  //    DSFR's absolutely placed captions slide under the <thead>: the diagnostic's themes had no visible title)
  for (const cap of document.querySelectorAll('.fr-table:not(.fr-table--no-caption) caption:not(.fr-sr-only)')) {
    const head = cap.parentElement.querySelector('thead') || cap.parentElement.querySelector('tr');
    if (!head) continue;
    const c = cap.getBoundingClientRect(), h = head.getBoundingClientRect();
    if (c.height > 0 && c.bottom > h.top + 1 && c.top < h.bottom - 1)
      push('titre de tableau caché sous son en-tête', JSON.stringify(cap.textContent.trim().slice(0, 60)));
  }
  // 9. a button written with its words beside its icon shows them (DSFR clips the icon buttons of a
  //    fr-btns-group that does not declare fr-btns-group--icon-left/right to a bare square)
  for (const b of document.querySelectorAll('.fr-btn[class*="fr-btn--icon-"]')) {
    if (b.offsetWidth > 0 && b.scrollWidth > b.clientWidth + 1 && getComputedStyle(b).overflow === 'hidden')
      push('bouton réduit à son icône', JSON.stringify(b.textContent.trim().slice(0, 60)));
  }
  return out;
}
