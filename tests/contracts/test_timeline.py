"""contracts.timeline: the rétroplanning's geometry, a pure function (no database)."""

import datetime as dt
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from contracts.timeline import Item, Mark, build


def _step(titre, start, end, done=None):
    return SimpleNamespace(titre=titre, date_debut_prevue=start, date_prevue=end, date_realisee=done,
                           statut="realisee" if done else "a_venir", get_statut_display=lambda: "Statut",
                           is_overdue=lambda today: not done and end < today)


def test_positions_are_css_percentages_with_a_point_at_their_dates():
    contract = SimpleNamespace(date_debut_prealable=dt.date(2024, 1, 1), date_fin=dt.date(2025, 12, 31))
    steps = [_step("Diagnostic", dt.date(2024, 7, 1), dt.date(2024, 12, 31))]
    meeting = SimpleNamespace(date=dt.date(2025, 1, 1))
    sheets = ("Fiches actions et jalons", [Item("Fiche 1.1", dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                                                marks=[Mark("Bilan", dt.date(2025, 7, 2), done=True)])])
    chart = build(contract, steps, [meeting], dt.date(2025, 4, 1), [sheets])
    span = 731  # 2024 (leap) and 2025
    (step_group, sheet_group) = chart["groups"]
    assert step_group["title"] == "Étapes de la démarche" and sheet_group["title"] == "Fiches actions et jalons"
    bar = step_group["rows"][0]["bar"]
    assert bar == {"left": f"{182 * 100 / span:.2f}".rstrip("0"), "width": f"{184 * 100 / span:.2f}".rstrip("0")}
    assert chart["meetings"][0]["left"] == f"{366 * 100 / span:.2f}".rstrip("0")
    assert sheet_group["rows"][0]["bar"]["left"] == chart["meetings"][0]["left"]
    assert sheet_group["rows"][0]["bar"]["width"] == f"{365 * 100 / span:.2f}".rstrip("0")
    assert sheet_group["rows"][0]["marks"][0]["left"] == f"{(366 + 182) * 100 / span:.2f}".rstrip("0")
    assert chart["today"] == f"{(366 + 90) * 100 / span:.2f}".rstrip("0")
    assert [t["label"] for t in chart["ticks"]] == ["2024", "2025"] and chart["ticks"][1]["left"] == "50.07"
    # rendered in a French page, a position keeps its point (no "left:14,28%")
    with translation.override("fr"):
        html = Template('<i style="left:{{ chart.today }}%"></i>').render(Context({"chart": chart}))
    assert "," not in html


def test_nothing_dated_gives_an_empty_chart():
    contract = SimpleNamespace(date_debut_prealable=None, date_fin=None)
    assert build(contract, [], [], dt.date(2025, 1, 1))["empty"] is True
