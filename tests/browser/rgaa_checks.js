// Facts an RGAA 4.1 auditor reads off one page, for the criteria a script can decide
// (tests/browser/test_rgaa_sample.py). Returns {criterion: [problems]} for every criterion it checks:
// an empty list means the criterion holds on this page as far as the script can tell; `absent` lists the
// criteria whose subject the page does not contain (images, frames, media, tables, forms…).
(() => {
  const out = {};
  const absent = [];
  const add = (crit, msg) => { (out[crit] = out[crit] || []).push(msg); };
  const checked = (...crits) => crits.forEach((c) => { out[c] = out[c] || []; });
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.display !== "none" && s.visibility !== "hidden" && (r.width > 0 || r.height > 0);
  };
  const hiddenFromAT = (el) => !!el.closest('[aria-hidden="true"], [hidden]');
  const byId = (id) => document.getElementById(id);
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
    return `${el.tagName.toLowerCase()}${id}${name}`;
  };
  const textOf = (el) => (el.textContent || "").replace(/\s+/g, " ").trim();
  const labelled = (el) => {
    if (el.getAttribute("aria-label")?.trim()) return true;
    const lb = el.getAttribute("aria-labelledby");
    if (lb && lb.split(/\s+/).some((id) => byId(id) && textOf(byId(id)))) return true;
    if (el.labels && [...el.labels].some((l) => textOf(l))) return true;
    return !!el.getAttribute("title")?.trim();
  };

  // 8.1 doctype, 8.3 / 8.4 language, 8.5 title
  checked("8.1", "8.3", "8.4", "8.5", "8.6");
  if (!document.doctype || document.doctype.name.toLowerCase() !== "html") add("8.1", "pas de doctype HTML");
  const lang = document.documentElement.getAttribute("lang") || "";
  if (!lang) add("8.3", "pas d'attribut lang sur html");
  else if (!/^fr(-FR)?$/i.test(lang)) add("8.4", `lang="${lang}" pour une page en français`);
  const title = document.title.trim();
  if (!title) add("8.5", "titre de page vide");
  const h1s = [...document.querySelectorAll("h1")].filter(visible);
  // 8.6 (part): the title starts with what the page is (the first word of its h1), not only the site's name
  const firstWord = h1s.length ? textOf(h1s[0]).split(" ")[0].toLowerCase() : "";
  if (firstWord && title && !title.split(" — ")[0].toLowerCase().includes(firstWord)) {
    add("8.6", `le titre « ${title} » ne dit pas ce qu'est la page (titre principal « ${textOf(h1s[0])} »)`);
  }
  // 8.2 (part): ids are unique, a prerequisite of a valid document
  checked("8.2");
  const seen = new Map();
  document.querySelectorAll("[id]").forEach((el) => seen.set(el.id, (seen.get(el.id) || 0) + 1));
  for (const [id, n] of seen) if (n > 1) add("8.2", `id « ${id} » présent ${n} fois`);
  // aria references point to existing ids (1.1 names, 11.1 labels, descriptions)
  document.querySelectorAll("[aria-describedby], [aria-labelledby], [aria-controls]").forEach((el) => {
    for (const attr of ["aria-describedby", "aria-labelledby"]) {
      for (const id of (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean)) {
        if (!byId(id)) add("8.2", `${describe(el)} : ${attr} vers « ${id} » qui n'existe pas`);
      }
    }
  });

  // 1.1 / 1.2 images
  const imgs = [...document.querySelectorAll("img, svg, [role=img], input[type=image], area")];
  if (!imgs.length) absent.push("1.1", "1.2");
  else checked("1.2");
  const informative = imgs.filter((el) => !hiddenFromAT(el) && (el.getAttribute("alt")?.trim()
    || el.getAttribute("role") === "img"));
  if (informative.length) checked("1.1");
  else if (imgs.length) absent.push("1.1");
  for (const el of imgs) {
    if (hiddenFromAT(el)) continue;
    const tag = el.tagName.toLowerCase();
    if (tag === "img" && !el.hasAttribute("alt")) add("1.1", `${describe(el)} sans attribut alt`);
    if (tag === "svg") {
      const role = el.getAttribute("role");
      if (role === "img" && !labelled(el) && !el.querySelector("title")) add("1.1", `svg role=img sans nom : ${describe(el)}`);
      if (!role && !el.closest("a, button") && el.querySelector("text")) {
        add("1.2", `svg avec du texte, ni role=img ni aria-hidden : ${describe(el)}`);
      }
    }
  }

  // 2.1 frames
  const frames = [...document.querySelectorAll("iframe, frame")];
  if (!frames.length) absent.push("2.1", "2.2");
  else { checked("2.1"); frames.forEach((f) => { if (!f.getAttribute("title")?.trim()) add("2.1", "cadre sans titre"); }); }

  // 4.x media
  if (!document.querySelector("video, audio, object, embed")) {
    absent.push("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10", "4.11", "4.12", "4.13");
  }

  // 5.x tables: data tables declare their headers; layout tables do not exist
  const tables = [...document.querySelectorAll("table")].filter((t) => !hiddenFromAT(t));
  if (!tables.length) absent.push("5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8");
  else checked("5.6");
  if (tables.some((t) => t.querySelector("caption"))) checked("5.4");
  if (tables.some((t) => ["presentation", "none"].includes(t.getAttribute("role")))) checked("5.8");
  for (const t of tables) {
    const role = t.getAttribute("role");
    if (role === "presentation" || role === "none") {
      if (t.querySelector("th, caption, thead")) add("5.8", "tableau de mise en forme avec des éléments de tableau de données");
      continue;
    }
    if (!t.querySelector("th")) add("5.6", `tableau de données sans en-tête (${textOf(t).slice(0, 40)}…)`);
    const cap = t.querySelector("caption");
    if (cap && !textOf(cap)) add("5.4", "caption vide");
    if (t.rows.length === 0 || (t.tBodies.length && [...t.tBodies].every((b) => b.rows.length === 0))) {
      add("5.6", "tableau de données vide");
    }
  }

  // 6.2 links have a name
  checked("6.2");
  document.querySelectorAll("a[href]").forEach((a) => {
    if (hiddenFromAT(a) || !visible(a)) return;
    const name = a.getAttribute("aria-label") || textOf(a) || a.querySelector("img[alt]")?.getAttribute("alt")
      || a.getAttribute("title");
    if (!name?.trim()) add("6.2", `lien sans intitulé vers ${a.getAttribute("href")}`);
  });
  // 6.1 (part): a link named only by a number or a vague word needs its context in its name
  checked("6.1");
  document.querySelectorAll("a[href]").forEach((a) => {
    if (hiddenFromAT(a) || !visible(a) || a.getAttribute("aria-label") || a.getAttribute("title")) return;
    const name = textOf(a);
    if (/^(\d[\d\s\u00a0]*|ici|cliquez ici|voir|lire la suite|en savoir plus|plus|lien)$/i.test(name)) {
      add("6.1", `lien « ${name} » vers ${a.getAttribute("href")} : intitulé qui n'a de sens que par son contexte`);
    }
  });

  // 9.1 headings: one h1, no empty heading
  checked("9.1");
  if (h1s.length !== 1) add("9.1", `${h1s.length} titres h1 visibles`);
  document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]").forEach((h) => {
    if (visible(h) && !textOf(h)) add("9.1", `titre vide : ${describe(h)}`);
  });
  // 9.3 lists: li only in ul / ol / menu
  checked("9.3");
  document.querySelectorAll("li").forEach((li) => {
    if (!li.parentElement || !["UL", "OL", "MENU"].includes(li.parentElement.tagName) && li.parentElement.getAttribute("role") !== "list") {
      add("9.3", `li hors d'une liste : ${describe(li.parentElement || li)}`);
    }
  });

  // 11.x forms
  const fields = [...document.querySelectorAll("input, select, textarea")]
    .filter((f) => !["hidden", "submit", "button", "reset", "image"].includes(f.type) && !hiddenFromAT(f));
  if (!fields.length) absent.push("11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.8", "11.10", "11.11", "11.12", "11.13");
  else checked("11.1");
  if (fields.some((f) => ["username", "password", "new_password1", "new_password2"].includes(f.getAttribute("name")))) {
    checked("11.13");
  }
  if (document.querySelector("fieldset")) checked("11.6");
  for (const f of fields) {
    if (!labelled(f)) add("11.1", `champ sans étiquette : ${describe(f)}`);
  }
  document.querySelectorAll("fieldset").forEach((fs) => {
    const legend = fs.querySelector(":scope > legend");
    if (!legend || !textOf(legend)) add("11.6", "regroupement de champs sans légende");
  });
  // 11.13: the fields about the user themself say what they are for (sign-in and password fields; an e-mail
  // field elsewhere is usually someone else's address: judged by hand)
  for (const f of fields) {
    const n = (f.getAttribute("name") || "").toLowerCase();
    const want = { username: "username", password: "current-password", new_password1: "new-password",
      new_password2: "new-password" }[n];
    const tokens = (f.getAttribute("autocomplete") || "").split(/\s+/);
    if (want && !tokens.includes(want)) {
      add("11.13", `${describe(f)} : autocomplete="${f.getAttribute("autocomplete") || ""}" (attendu ${want})`);
    }
  }
  // 11.9 buttons of a form have a name
  if (document.querySelector("form")) checked("11.9");
  document.querySelectorAll("button, input[type=submit], input[type=button]").forEach((b) => {
    if (hiddenFromAT(b) || !visible(b)) return;
    const name = b.getAttribute("aria-label") || textOf(b) || b.value || b.getAttribute("title");
    if (!name?.trim()) add("11.9", `bouton sans intitulé : ${describe(b)}`);
  });

  // 12.6 landmarks, 12.7 skip link
  checked("12.6", "12.7");
  if (!document.querySelector("header, [role=banner]")) add("12.6", "pas de zone d'en-tête (banner)");
  if (document.querySelectorAll("main, [role=main]").length !== 1) add("12.6", "pas exactement une zone principale (main)");
  if (!document.querySelector("footer, [role=contentinfo]")) add("12.6", "pas de pied de page (contentinfo)");
  const skip = [...document.querySelectorAll("a[href^='#']")].find((a) => /contenu/i.test(textOf(a)));
  if (!skip) add("12.7", "pas de lien d'évitement vers le contenu");
  else if (!byId(skip.getAttribute("href").slice(1))) add("12.7", `le lien d'évitement vise ${skip.getAttribute("href")} qui n'existe pas`);

  // 13.1 no automatic refresh (a problem when found; its absence is judged by hand: other time limits)
  if (document.querySelector("meta[http-equiv=refresh i]")) add("13.1", "meta refresh : la page se recharge seule");
  // 6.1: a link opening a new window says so in its name
  document.querySelectorAll("a[target=_blank]").forEach((a) => {
    const said = `${a.getAttribute("title") || ""} ${textOf(a)} ${a.getAttribute("aria-label") || ""}`;
    if (!/nouvel(le)? (fenêtre|onglet)/i.test(said)) add("6.1", `lien ouvrant une nouvelle fenêtre sans le dire : ${a.href}`);
  });
  // 13.8: nothing moves or blinks (a problem when found)
  if (document.querySelector("marquee, blink, video[autoplay], [autoplay]")) add("13.8", "contenu en mouvement automatique");
  document.getAnimations?.().forEach((an) => {
    if (an.effect?.getTiming?.().iterations === Infinity) add("13.8", "animation infinie");
  });

  return { problems: out, absent };
})();
