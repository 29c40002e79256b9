"""The 40-sheet activity report says the same thing whatever is done to make it faster (issue 19).

`fixtures/activity_40_sheets.json` is `report_data()` of the bench's 40-sheet contract (`seed_scale`, 100
contracts, « CLS échelle CC du Pays de Pontchâteau St-Gildas-des-Bois », 2025), with its Decimals, dates
and tuples tagged. `fixtures/activity_40_sheets.expected.txt` is the text pdftotext (poppler-utils)
extracted from the PDF that the code of `main` produced from it before the report pipeline was tuned for
WeasyPrint, whitespace normalised. The PDF rendered now must hold the same words, each as many times
(every figure, label, heading, chart value and axis tick), and the headings in the same order. Only where
a chart's labels sit in the text flow may move (the print charts draw them as HTML), hence a multiset.

What depends on where the pages break rather than on what the report says is read apart, so that a better
page break (a sheet's heading kept with its first lines) is not taken for lost content: each page's footer
(the contract's name and « Page n / N »), the page numbers of the table of contents, and a table's header
row, which WeasyPrint repeats on each page the table runs over. Each has its own test: every page but the
cover has its footer with the right numbers, every entry of the contents gives the page its heading is on,
every table has its header.
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


FOOTER = re.compile(r"Page (\d+) / (\d+)")
# A table's header row, with a word found nowhere else in the report: how many times the header was drawn.
HEADERS = (("Indicateur Référence Valeur 2025 Cible Cible atteinte", "atteinte"), ("Statut Fiches", "Statut"))


def _times(words: str, n: int) -> Counter:
    return Counter({word: count * n for word, count in Counter(words.split()).items()})


def content_words(text: str, title: str) -> Counter:
    """The words of a normalised text, less what depends on the page breaks: the footers (the contract's
    name and « Page n / N » on each page), the page numbers of the contents, the header rows of the tables
    (drawn again on each page a table runs over)."""
    footers = len(FOOTER.findall(text))
    words = Counter(re.sub(r" … \d+", " …", FOOTER.sub(" ", text)).split())
    furniture = _times(title, footers)
    for header, sentinel in HEADERS:
        furniture += _times(header, words[sentinel])
    assert not furniture - words, f"page furniture not found in the text: {dict(furniture - words)}"
    return words - furniture


def legend_additions(data) -> Counter:
    """Words the charts' legends hold since 6/12 (a change of content, not of speed): the target named as on the
    sheet's page, « Cible 2025 », and « ≤ » before a ceiling (an indicator expected to fall), as in the table."""
    added = Counter()
    for axe in data["plan"]["axes"]:
        for fiche in axe["fiches"]:
            for ind in fiche["indicateurs"]:
                if ind["cible"] is not None:  # its chart names it, in its legend or its sentence
                    added.update(([str(ind["annee_cible"])] if ind["annee_cible"] else [])
                                 + ([] if ind["hausse_attendue"] else ["≤"]))
    return added


def test_the_report_holds_the_same_words_as_before(raw_text, rendered_text):
    title = fixture_data()["cover"]["nom"]
    expected = normalise((FIXTURES / "activity_40_sheets.expected.txt").read_text(encoding="utf-8"))
    before = content_words(expected, title) + legend_additions(fixture_data())
    now = content_words(rendered_text, title)
    missing, extra = before - now, now - before
    assert not missing and not extra, f"missing: {dict(missing.most_common(20))}; extra: {dict(extra.most_common(20))}"
    assert raw_text.count("\f") > 40  # every page still there (form feed after each)


def test_every_page_but_the_cover_has_its_footer(raw_text):
    pages = raw_text.split("\f")[:-1]  # a form feed ends each page
    title = normalise(fixture_data()["cover"]["nom"])
    assert not FOOTER.search(pages[0])
    for number, page in enumerate(pages[1:], start=2):
        text = normalise(page)
        assert FOOTER.findall(text) == [(str(number), str(len(pages)))], f"page {number}"
        assert title in text, f"page {number}"


def test_every_table_has_its_header(rendered_text):
    plan = fixture_data()["plan"]
    tables = sum(1 for axe in plan["axes"] for fiche in axe["fiches"] if fiche["indicateurs"])
    assert rendered_text.count(HEADERS[0][0]) >= 1
    assert Counter(rendered_text.split())["atteinte"] >= tables == 40
    assert rendered_text.count(HEADERS[1][0]) >= 1


def test_the_contents_give_the_page_of_each_heading(raw_text):
    pages = [normalise(page) for page in raw_text.split("\f")[:-1]]
    contents = pages[1]
    entries = re.findall(r"(\S.*?) … (\d+)", contents[contents.index("Sommaire") + len("Sommaire"):])
    assert len(entries) >= 8  # the sections, the axes
    for heading, number in entries:
        heading = heading.strip()
        found = [n for n, page in enumerate(pages[2:], start=3) if heading in page]
        assert found and found[0] == int(number), f"{heading!r}: contents say {number}, found on {found[:3]}"


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
    title = fixture_data()["cover"]["nom"]
    words = content_words(rendered_text, title)
    sheet = _headings(fixture_data())[7]
    assert sheet in expected and sheet in rendered_text
    lost_heading = content_words(rendered_text.replace(sheet, "", 1), title)
    lost_figure = content_words(rendered_text.replace(" 2023 ", " ", 1), title)
    lost_footer = content_words(re.sub(r" Page 7 / \d+ ", " ", rendered_text, count=1), title)
    header_cut = content_words(rendered_text.replace(" Statut Fiches ", " Statut ", 1), title)
    assert words - lost_heading and words - lost_figure  # the multiset comparison sees both
    # Page furniture is read apart (the tests above), but not blindly: the contract's name without its « Page
    # n / N » is content, and a header row with a word missing is not a header row.
    assert lost_footer - words and words - header_cut


def test_a_long_unbroken_word_wraps_inside_the_margins(tmp_path):
    """A pasted address or a word of 300 letters in « Ce qui a été réalisé » wraps, as a person would expect, instead
    of running off the page (found by a walk-through: cut at the page's edge)."""
    data = fixture_data()
    word = "https://exemple.fr/" + "a" * 300
    data["plan"]["axes"][0]["fiches"][0]["suivi"]["realise"] = word
    pdf = rendering.render_pdf(kind="activite", year=2025, data=data, produced_at=timezone.make_aware(PRODUCED_AT))
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "6", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
                   check=True, timeout=120)
    from PIL import Image, ImageChops

    page_mm = 210
    for png in sorted(tmp_path.glob("p-*.png")):
        page = Image.open(png).convert("L")
        right = ImageChops.invert(page).getbbox()[2]
        assert right / page.width * page_mm < page_mm - 10, png.name  # ink stays 10 mm from the right edge
    assert normalise(pdftotext(pdf)).replace(" ", "").count("a" * 300) == 1  # every letter still there, once
