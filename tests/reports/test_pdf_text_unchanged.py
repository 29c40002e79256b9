"""The 40-sheet activity report says the same thing whatever is done to make it faster (issue 19).

`fixtures/activity_40_sheets.json` is `report_data()` of the bench's 40-sheet contract (`seed_scale`, 100
contracts, « CLS échelle CC du Pays de Pontchâteau St-Gildas-des-Bois », 2025), with its Decimals, dates
and tuples tagged. `fixtures/activity_40_sheets.expected.txt` is the text pdftotext (poppler-utils)
extracted from the PDF that the code of `main` produced from it before the report pipeline was tuned for
WeasyPrint, whitespace normalised. The PDF rendered now must hold the same words, each as many times
(every figure, label, heading, chart value and axis tick), and the headings in the same order. Only where
a chart's labels sit in the text flow may move (the print charts draw them as HTML), hence a multiset.
"""

import datetime as dt
import json
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from reports import rendering

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) manquant")

FIXTURES = Path(__file__).parent / "fixtures"
PRODUCED_AT = dt.datetime(2026, 1, 15, 10, 0)


def _untag(value):
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if isinstance(value, dict):
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$tuple" in value:
            return tuple(_untag(v) for v in value["$tuple"])
        return {k: _untag(v) for k, v in value.items()}
    return value


def pdftotext(pdf_bytes: bytes) -> str:
    """The PDF's text as poppler reads it, pages separated by form feeds."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf_bytes, capture_output=True, check=True,
                          timeout=120).stdout.decode()


def normalise(text: str) -> str:
    """French spaces (no-break, narrow no-break), line and page breaks read as one space; the dot leaders
    of the table of contents (as many dots as fit the line) as one "…"."""
    return re.sub(r"\.{4,}", " … ", re.sub(r"[\s\u00a0\u202f]+", " ", text)).replace("  ", " ").strip()


def fixture_data() -> dict:
    return _untag(json.loads((FIXTURES / "activity_40_sheets.json").read_text(encoding="utf-8")))


def render_fixture() -> bytes:
    return rendering.render_pdf(kind="activite", year=2025, data=fixture_data(),
                                produced_at=timezone.make_aware(PRODUCED_AT))


def _headings(data) -> list[str]:
    """Every heading of the report, in reading order: sections, axes, sheets."""
    axes = data["plan"]["axes"]
    out = ["Sommaire", "1. L'année 2025 en bref", "Dates clés", "Instances de gouvernance réunies", "Avenants",
           "2. Mise en œuvre du plan d'action"]
    for axe in axes:
        out.append(f"Axe {axe['numero']} — {axe['titre']}")
        out += [f"Fiche {f['code']} — {f['titre']}" for f in axe["fiches"]]
    return out + ["3. Avancement du plan", "Fiches actions par statut", "4. Priorités pour 2026"]


@pytest.fixture(scope="module")
def raw_text():
    return pdftotext(render_fixture())


@pytest.fixture(scope="module")
def rendered_text(raw_text):
    return normalise(raw_text)


def test_the_report_holds_the_same_words_as_before(raw_text, rendered_text):
    expected = normalise((FIXTURES / "activity_40_sheets.expected.txt").read_text(encoding="utf-8"))
    before, now = Counter(expected.split(" ")), Counter(rendered_text.split(" "))
    missing, extra = before - now, now - before
    assert not missing and not extra, f"missing: {dict(missing.most_common(20))}; extra: {dict(extra.most_common(20))}"
    assert raw_text.count("\f") > 40  # every page still there (form feed after each)


def test_the_headings_come_in_the_same_order(rendered_text):
    # After the table of contents (which repeats the section and axis titles).
    body = rendered_text[rendered_text.index("1. L'année 2025 en bref", rendered_text.index("Dates clés") - 400):]
    position = 0
    for heading in _headings(fixture_data())[1:]:
        found = body.find(heading, position)
        assert found >= 0, f"heading missing or out of order: {heading!r}"
        position = found + len(heading)


def test_the_comparison_fails_when_a_figure_or_a_heading_is_lost(rendered_text):
    expected = (FIXTURES / "activity_40_sheets.expected.txt").read_text(encoding="utf-8")
    words = Counter(rendered_text.split(" "))
    sheet = _headings(fixture_data())[7]
    assert sheet in expected and sheet in rendered_text
    lost_heading = Counter(rendered_text.replace(sheet, "", 1).split(" "))
    lost_figure = Counter(rendered_text.replace(" 2023 ", " ", 1).split(" "))
    assert words - lost_heading and words - lost_figure  # the multiset comparison sees both
