"""The RGAA audit's sample (docs/accessibilite/), visited in Chromium: what a script can decide, it decides.

For each page of the sample, as its role, on the demo data, `rgaa_checks.js` and axe-core report problems
by RGAA criterion, and four views a person would try are checked: 320 px wide (10.11), a 640 px window
standing for a 1280 px window at 200 % zoom (10.4), the WCAG text spacing (10.12) and the keyboard focus
(10.7). The test fails when the audit judges a criterion conforming (C) on a page where a problem is
found, or not applicable (NA) on a page that holds its subject (an image, a table, a form…), or
conforming where the page holds no such subject: the audit cannot claim what the pages do not do.

Evidence (JSON per page, PNG at 1280 and 320 px) in var/rgaa/; the judgements a script cannot make
(relevance of an alternative, of a title, of a link's name…) are the auditor's, with their note, in
docs/accessibilite/audit.csv.
"""

import json
import re
from pathlib import Path

import pytest

from cls_portal.accounts import rgaa
from tests.browser.a11y import AXE_SOURCE
from tests.browser.conftest import login

CHECKS_JS = (Path(__file__).parent / "rgaa_checks.js").read_text(encoding="utf-8")
EVIDENCE = Path(__file__).resolve().parents[2] / "var" / "rgaa"
# axe-core rules -> the RGAA criterion they bear on (RGAA 4.1 correspondence table; unlisted rules count
# against 8.2, the catch-all of markup errors, so no violation is ever dropped).
AXE_TO_RGAA = {
    "color-contrast": "3.2", "image-alt": "1.1", "svg-img-alt": "1.1", "role-img-alt": "1.1", "frame-title": "2.1",
    "link-name": "6.2", "button-name": "11.9", "label": "11.1", "select-name": "11.1", "input-button-name": "11.9",
    "list": "9.3", "listitem": "9.3", "heading-order": "9.1", "empty-heading": "9.1", "page-has-heading-one": "9.1",
    "document-title": "8.5", "html-has-lang": "8.3", "html-lang-valid": "8.4", "valid-lang": "8.8",
    "duplicate-id": "8.2", "duplicate-id-aria": "8.2", "duplicate-id-active": "8.2", "bypass": "12.7",
    "landmark-one-main": "12.6", "region": "12.6", "landmark-unique": "12.6", "landmark-no-duplicate-banner": "12.6",
    "landmark-no-duplicate-contentinfo": "12.6", "td-headers-attr": "5.7", "th-has-data-cells": "5.7",
    "scope-attr-valid": "5.7", "table-duplicate-name": "5.5", "meta-refresh": "13.1", "autocomplete-valid": "11.13",
    "aria-hidden-focus": "10.8", "nested-interactive": "7.1", "aria-allowed-attr": "7.1", "aria-required-attr": "7.1",
    "aria-valid-attr-value": "7.1", "aria-roles": "7.1", "aria-command-name": "7.1", "target-size": "13.11",
}
SPACING_CSS = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
               " p { margin-bottom: 2em !important; }")

OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Text cut by a box that hides its overflow (screen-reader-only helpers excluded: they are meant to be 1 px).
CLIPPED_JS = """() => [...document.querySelectorAll('body *')].filter(el => {
  const s = getComputedStyle(el);
  if (!['hidden', 'clip'].includes(s.overflowY) && !['hidden', 'clip'].includes(s.overflowX)) return false;
  if (el.clientWidth <= 2 || el.clientHeight <= 2 || /sr-only/.test(el.className)) return false;
  // a select scrolls its options; an icon-only DSFR button shows its icon and keeps its text as its name
  const iconOnly = /fr-icon-/.test(el.className) && !/icon-(left|right)/.test(el.className);
  if (el.tagName === 'SELECT' || iconOnly) return false;
  if (!el.textContent.trim() || s.display === 'none' || s.visibility === 'hidden') return false;
  return el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2;
}).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' +
  String(el.className).split(' ').slice(0, 2).join('.'))"""
# The focused element, its ::before (DSFR's enlarged links) or an ancestor drawing the ring (:focus-within).
FOCUS_JS = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
  const ring = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  let visible = ring(getComputedStyle(el)) || ring(getComputedStyle(el, '::before'))
    || ring(getComputedStyle(el, '::after'));
  for (let a = el.parentElement, i = 0; a && i < 4 && !visible; a = a.parentElement, i++) {
    visible = ring(getComputedStyle(a));
  }
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.value || '').trim().slice(0, 30), visible}; }"""


def resolve(address: str) -> str:
    """`/cls/{cls:Bayeux}/` -> `/cls/12/` on the demo data."""
    from actions.models import FicheAction
    from contracts.models import Contract
    from diagnostics.models import Diagnostic

    def one(match):
        kind, arg = match.group(1), match.group(2)
        if kind == "cls":
            return str(Contract.objects.filter(nom__icontains=arg).order_by("-pk").values_list("pk", flat=True)[0])
        if kind == "diagnostic":
            return str(Diagnostic.objects.filter(contract__nom__icontains=arg).order_by("-pk")
                       .values_list("pk", flat=True)[0])
        if kind == "fiche":
            return str(FicheAction.objects.filter(pilote_personne__username=arg).order_by("pk")
                       .values_list("pk", flat=True)[0])
        if kind == "rencontre":
            from network.models import Event

            return str(Event.objects.filter(titre__icontains=arg).order_by("pk").values_list("pk", flat=True)[0])
        raise ValueError(f"Adresse d'échantillon inconnue : {match.group(0)}")

    return re.sub(r"\{(\w+):([^}]+)\}", one, address)


def _visit(browser, base_url, sample: rgaa.SamplePage) -> dict:
    path = resolve(sample.adresse)
    found: dict[str, list[str]] = {}
    facts = {"adresse": path}
    ctx = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, locale="fr-FR")
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    try:
        if sample.role != "anonyme":
            login(page, sample.role)
        response = page.goto(path)
        assert response.status == 200, f"{sample.id} : {path} répond {response.status}"
        result = page.evaluate(CHECKS_JS)
        found.update(result["problems"])
        facts["absent"] = result["absent"]
        page.evaluate(AXE_SOURCE)
        axe = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',"
                            " values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
        for v in axe["violations"]:
            found.setdefault(AXE_TO_RGAA.get(v["id"], "8.2"), []).append(
                f"axe {v['id']} ({v['impact']}) : {v['help']} — {v['nodes'][0]['target']}")
        EVIDENCE.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(EVIDENCE / f"{sample.id}-1280.png"), full_page=True)
        # 10.7: the first 20 stops of the keyboard each show where the focus is
        found.setdefault("10.7", [])
        for _ in range(20):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_JS)
            if focus and not focus["visible"]:
                found["10.7"].append(f"focus invisible sur {focus['tag']} « {focus['text']} »")
        # 10.12: WCAG text spacing, nothing cut and nothing pushed sideways
        page.goto(path)
        page.add_style_tag(content=SPACING_CSS)
        found["10.12"] = [f"texte coupé avec l'espacement augmenté : {x}" for x in page.evaluate(CLIPPED_JS)]
        if page.evaluate(OVERFLOW_JS) > 1:
            found["10.12"].append("la page défile à l'horizontale avec l'espacement augmenté")
        # 10.4: 200 % zoom of a 1280 px window = a 640 px window
        page.set_viewport_size({"width": 640, "height": 900})
        page.goto(path)
        found["10.4"] = ["la page défile à l'horizontale à 200 %"] if page.evaluate(OVERFLOW_JS) > 1 else []
        # 10.11: 320 px wide, no sideways scrolling
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(path)
        found["10.11"] = ["la page défile à l'horizontale à 320 px"] if page.evaluate(OVERFLOW_JS) > 1 else []
        page.screenshot(path=str(EVIDENCE / f"{sample.id}-320.png"), full_page=True)
    finally:
        ctx.close()
    facts["problemes"] = {k: v for k, v in sorted(found.items()) if v}
    facts["verifies"] = sorted(found)
    (EVIDENCE / f"{sample.id}.json").write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
    return facts


@pytest.mark.slow
def test_the_audit_claims_only_what_the_sample_pages_do(demo, browser, live_server):
    audit = rgaa.load()
    disagreements = []
    for sample in audit.pages:
        facts = _visit(browser, live_server.url, sample)
        for critere in facts["verifies"]:
            judged = audit.judgements[critere, sample.id].statut
            problems = facts["problemes"].get(critere, [])
            if problems and judged == "C":
                disagreements += [f"{sample.id} {critere} jugé conforme, mais : {p}" for p in problems]
            if judged == "NA":
                disagreements.append(f"{sample.id} {critere} jugé non applicable, mais la page le concerne")
        for critere in facts["absent"]:
            if audit.judgements[critere, sample.id].statut != "NA":
                disagreements.append(f"{sample.id} {critere} jugé {audit.judgements[critere, sample.id].statut}, "
                                     "mais la page n'en contient pas l'objet (non applicable)")
    assert not disagreements, "\n".join(disagreements)
