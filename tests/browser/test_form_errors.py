"""Browser: every form of the demo (one page per distinct form template, tests/browser/form_cases.py),
submitted with an error, says so the way a screen reader hears it: the title starts with « Erreur : » and
the count, focus is on the error summary at the top (above the h1 and the asterisk's note), and each of its
links leads to a field of the page (a click puts focus in that field)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login
from tests.browser.form_cases import cases

# Where the page has put what it says above the fields, as a screen reader meets it: the error summary first in
# <main>, then the h1, then the asterisk's note right before the form of the first asterisk (RGAA 11.10).
ORDER = """() => {
  const main = document.querySelector('main'), notes = document.querySelectorAll('#champs-obligatoires');
  const h1 = main.querySelector('h1'), note = notes[0];
  const star = [...main.querySelectorAll('span[aria-hidden=true]')].find(s => s.textContent.trim() === '*');
  const follows = (a, b) => !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {first: main.firstElementChild && main.firstElementChild.id, notes: notes.length,
          noteAfterH1: follows(h1, note), noteBeforeStarForm: !!(note && star && star.closest('form')
                       && note.nextElementSibling === star.closest('form'))};
}"""
TITLE = re.compile(r"^Erreur : \d+ (champs? à corriger|erreurs? à corriger) – ")


def _field(page, name):
    if name.startswith("*"):
        return page.locator(f'main [name$="{name[1:]}"]:not([type=hidden])').first
    if name.startswith("^"):
        return page.locator(f'main [name^="{name[1:]}"]:not([type=hidden])').first
    return page.locator(f'main [name="{name}"]:not([type=hidden])').first


def _break_and_submit(page, case):
    field = _field(page, case.field)
    expect(field).to_have_count(1)
    tag = field.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
    if tag.startswith("select"):
        field.evaluate("(el, v) => { if (![...el.options].some(o => o.value === v))"
                       " el.add(new Option(v, v)); el.value = v; }", case.value)
    elif tag.endswith(":file"):
        pass  # no file chosen
    else:
        field.fill(case.value)
    # the browser's own checks (a `required` attribute) would stop a form without `novalidate` before the server
    with page.expect_navigation():
        field.evaluate("el => { el.form.noValidate = true;"
                       " el.form.requestSubmit(el.form.querySelector('[type=submit]') || undefined); }")


@pytest.mark.slow
def test_every_form_rejected_says_so_in_the_title_and_focuses_a_summary_linking_to_the_fields(demo, browser,
                                                                                                live_server):
    pages = {}
    checked = []
    try:
        for case in cases():
            if case.role not in pages:
                context = browser.new_context(base_url=live_server.url, locale="fr-FR")
                context.set_default_timeout(20_000)
                pages[case.role] = context.new_page()
                if case.role:
                    login(pages[case.role], case.role)
            page = pages[case.role]
            response = page.goto(case.url)
            assert response.status == 200, (case, response.status)
            where = f"{case.role} {case.url} ({case.template})"
            try:
                _break_and_submit(page, case)
            except Exception as err:
                raise AssertionError(f"{where} : envoi impossible ({err})") from err
            assert TITLE.match(page.title()), f"{where} : titre « {page.title()} »"
            assert page.evaluate(ORDER) == {"first": "erreurs", "notes": 1, "noteAfterH1": True,
                                            "noteBeforeStarForm": True}, f"{where} : {page.evaluate(ORDER)}"
            summary = page.locator("#erreurs")
            expect(summary).to_be_visible()
            assert page.evaluate("document.activeElement && document.activeElement.id") == "erreurs", where
            assert summary.get_attribute("tabindex") == "-1"
            links = summary.locator("a[href^='#']")
            targets = [h[1:] for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
            assert targets, f"{where} : le résumé ne mène à aucun champ"
            for target in targets:
                assert page.locator(f"[id='{target}']").count() == 1, f"{where} : lien vers #{target} absent"
            n = int(re.match(r"Erreur : (\d+)", page.title()).group(1))
            assert n >= 1 and n == len(set(targets)) or "erreur" in page.title(), where
            links.first.click()
            assert page.evaluate("document.activeElement.id") == targets[0], f"{where} : le lien ne mène pas au champ"
            assert_accessible(page)
            checked.append(case.template)
    finally:
        for page in pages.values():
            page.context.close()
    templates = {t.split(" (")[0] for t in checked}
    assert len(templates) >= 14, templates
