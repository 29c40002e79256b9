"""Issue 16 in a real browser: the follow-up year picker, the rétroplanning's geometry (bars, milestones,
meetings, today's line at their dates), and the synthesis page's inline script allowed by its CSP nonce."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from contracts.models import Contract
from diagnostics.models import Diagnostic
from tests.browser.conftest import login

BAYEUX = "Contrat local de santé de Bayeux Intercom 2024-2028"


def test_follow_up_year_picker_shows_the_chosen_year(demo, page):
    contract = Contract.objects.get(nom=BAYEUX)
    login(page, "coordinateur")
    page.goto(f"/plan-action/contrat/{contract.pk}/suivi/")
    picker = page.get_by_label("Année de mise en œuvre")
    values = picker.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert values and all(v.isdigit() and len(v) == 4 for v in values), values
    shown = page.get_by_role("heading", level=2).filter(has_text="Année").first.inner_text()
    other = next(v for v in values if v not in shown)
    picker.select_option(other)
    page.get_by_role("button", name="Afficher").click()
    assert page.url.endswith(f"?annee={other}")
    expect(page.get_by_role("heading", name=f"Année {other}", level=2)).to_be_visible()
    expect(picker).to_have_value(other)


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


@pytest.mark.parametrize("width", [1280, 390])
def test_retroplanning_draws_each_mark_at_its_date(demo, page, width):
    contract = Contract.objects.get(nom=BAYEUX)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "coordinateur")
    page.goto(f"/cls/{contract.pk}/")
    page.get_by_role("link", name="Rétroplanning").first.click()
    expect(page.get_by_role("heading", name="Rétroplanning", level=1)).to_be_visible()
    # the sheets and their milestones are in the chart, not only the method's steps
    expect(page.get_by_role("columnheader", name="Fiches actions et jalons")).to_be_visible()
    geometry = page.evaluate("""() => {
      const ticks = [...document.querySelectorAll('.cls-gantt__tick')].map(t => +t.textContent || null);
      const rows = [...document.querySelectorAll('[data-gantt-row] .cls-gantt__track')].map(track => {
        const box = track.getBoundingClientRect();
        const marks = [...track.querySelectorAll('[data-date], [data-start]')].map(el => {
          const r = el.getBoundingClientRect();
          return {cls: el.className, start: el.dataset.start || el.dataset.date, end: el.dataset.end || null,
                  left: r.left, right: r.right, centre: r.left + r.width / 2, style: el.getAttribute('style')};
        });
        return {left: box.left, width: box.width, marks};
      });
      return {first: ticks[0], last: ticks[ticks.length - 1], rows,
              overflow: document.documentElement.scrollWidth > window.innerWidth + 1};
    }""")
    start = dt.date(geometry["first"], 1, 1)
    span = _days(start, dt.date(geometry["last"], 12, 31)) + 1
    kinds = set()
    for row in geometry["rows"]:
        assert row["width"] > 200, "le calendrier est trop étroit pour être lu"
        px_per_day = row["width"] / span
        for mark in row["marks"]:
            assert "," not in mark["style"], mark["style"]  # CSS positions with a point
            at = dt.date.fromisoformat(mark["start"])
            expected = row["left"] + _days(start, at) * px_per_day
            if "cls-gantt__bar" in mark["cls"]:
                kinds.add("bar")
                assert abs(mark["left"] - expected) <= 2, mark
                end = dt.date.fromisoformat(mark["end"]) + dt.timedelta(days=1)
                expected_right = row["left"] + _days(start, end) * px_per_day
                assert abs(mark["right"] - expected_right) <= 2 or mark["right"] - mark["left"] <= row["width"] * 0.007
            else:
                kinds.add(mark["cls"].split()[0])
                # today's line is centred on its day (2 px wide), milestones and meetings too
                assert abs(mark["centre"] - expected) <= 2, mark
    assert {"bar", "cls-gantt__today", "cls-gantt__milestone", "cls-gantt__meeting"} <= kinds, kinds
    assert not geometry["overflow"], "la page défile à l'horizontale"
    # a sheet of the chart leads to the sheet
    page.get_by_role("link", name="Fiche 1.1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accueillir internes")


def test_synthesis_print_button_runs_under_the_csp(demo, page):
    diagnostic = Diagnostic.objects.filter(contract__nom=BAYEUX).first()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("window.print = () => { window.__printed = true; };")
    login(page, "coordinateur")
    page.goto(f"/diagnostics/{diagnostic.pk}/synthese/")
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.__printed === true")
    assert refused == []
