"""Where the 40-sheet activity report's pages break: nothing that announces what follows ends a page alone.

The fixture of `test_pdf_text_unchanged` rendered as the task renders it, its text read by pdftotext in
layout mode (lines top to bottom, pages split on form feeds). On every page:
- a table's caption is followed, on the same page, by the table's header and its first row (it ended page
  5 alone, its table on page 6, before `caption { break-after: avoid }`);
- a table's header row is not the page's last line;
- a sheet's heading (h4) is followed on its page by its line of badges and the first line of what follows
  (the heading and its badges ended 7 pages before `.sheet__status { break-after: avoid }`), an axis' heading
  (h3) by its first sheet's heading;
- a chart's caption is on the page of its chart (its row of years).
"""

import re
import shutil
import subprocess

import pytest

from tests.reports.test_pdf_text_unchanged import fixture_data, render_fixture

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) manquant")

INDICATORS_HEADER = "Indicateur Référence Valeur 2025 Cible Cible atteinte"
STATUS_HEADER = "Statut Fiches"


def _flat(line: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", line).strip()


def layout_pages(pdf_bytes: bytes) -> list[list[str]]:
    """Each page's non-blank lines, top to bottom, whitespace folded; the footer (last line) left out."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf_bytes, capture_output=True,
                          check=True, timeout=120).stdout.decode()
    pages = [[_flat(line) for line in page.split("\n") if line.strip()] for page in text.split("\f")]
    return [lines[:-1] if lines and re.search(r"Page \d+ / \d+$", lines[-1]) else lines for lines in pages]


def _tables(data) -> list[tuple[str, str, str]]:
    """(caption, header row, start of the first row's first cell) of every captioned table of the report."""
    out = []
    for axe in data["plan"]["axes"]:
        for fiche in axe["fiches"]:
            if fiche["indicateurs"]:
                first = fiche["indicateurs"][0]
                label = f"{first['libelle']} ({first['unite']})" if first["unite"] else first["libelle"]
                out.append((f"Indicateurs de la fiche {fiche['code']}", INDICATORS_HEADER, label))
    if data["plan"]["status_counts"]:
        out.append(("Fiches actions par statut", STATUS_HEADER, data["plan"]["status_counts"][0][0]))
    return out


def _find(pages, line: str) -> list[tuple[int, int]]:
    return [(p, i) for p, lines in enumerate(pages) for i, text in enumerate(lines) if text == line]


def caption_problems(pages, tables) -> list[str]:
    problems = []
    for caption, header, first_cell in tables:
        # A caption may also be a chart's title (« Fiches actions par statut »): its table's is the one
        # followed by the header, or the first one.
        found = _find(pages, caption)
        if not found:
            problems.append(f"caption not found: {caption!r}")
            continue
        page, i = next(((p, i) for p, i in found if pages[p][i + 1:i + 2] == [header]), found[0])
        after = pages[page][i + 1:i + 3]
        if len(after) < 2 or after[0] != header or not after[1].startswith(first_cell[:25]):
            problems.append(f"page {page + 1}: {caption!r} followed by {after!r}, not its header and first row")
    return problems


def header_problems(pages) -> list[str]:
    return [f"page {p + 1} ends with a table header" for p, lines in enumerate(pages)
            if lines and lines[-1] in (INDICATORS_HEADER, STATUS_HEADER)]


def heading_problems(pages, data) -> list[str]:
    problems = []
    for axe in data["plan"]["axes"]:
        sheets = [f"Fiche {fiche['code']} — {fiche['titre']}" for fiche in axe["fiches"]]
        for page, i in _find(pages, f"Axe {axe['numero']} — {axe['titre']}"):
            if sheets and sheets[0] not in pages[page][i + 1:]:
                problems.append(f"page {page + 1}: axis {axe['numero']}'s heading without its first sheet")
        for heading in sheets:
            found = _find(pages, heading)
            if len(found) != 1:
                problems.append(f"sheet heading found {len(found)} times: {heading!r}")
            # Its line of badges and the first line of what follows are on its page (`.sheet__status`).
            problems += [f"page {page + 1}: {heading!r} ends the page alone" for page, i in found
                         if i == len(pages[page]) - 1]
            problems += [f"page {page + 1}: {heading!r} and its badges end the page" for page, i in found
                         if i == len(pages[page]) - 2]
    return problems


def chart_problems(pages, data) -> list[str]:
    problems = []
    for axe in data["plan"]["axes"]:
        for fiche in axe["fiches"]:
            for ind in fiche["indicateurs"]:
                if not ind["historique"]:
                    continue
                years = " ".join(str(year) for year, _ in ind["historique"])
                problems += [f"page {page + 1}: chart {fiche['code']} {ind['libelle']!r} split from its caption"
                             for page, i in _find(pages, f"Fiche {fiche['code']} — {ind['libelle']}")
                             if years not in pages[page][i + 1:]]
    return problems


@pytest.fixture(scope="module")
def pages():
    return layout_pages(render_fixture())


def test_a_table_caption_never_ends_a_page_without_its_table(pages):
    tables = _tables(fixture_data())
    assert len(tables) == 41
    assert caption_problems(pages, tables) == []
    assert header_problems(pages) == []


def test_a_chart_caption_stays_with_its_chart(pages):
    assert chart_problems(pages, fixture_data()) == []


def test_a_heading_never_ends_a_page_alone(pages):
    assert heading_problems(pages, fixture_data()) == []


def test_the_checks_see_a_stranded_caption_a_lone_header_a_lone_heading_and_a_split_chart():
    """What pages 5 and 6 looked like before: the checks must flag them."""
    data = fixture_data()
    fiche = data["plan"]["axes"][0]["fiches"][2]
    caption, header, first_cell = _tables(data)[2]
    heading = f"Fiche {fiche['code']} — {fiche['titre']}"
    stranded = [[heading, "En cours En cours, conforme au calendrier", "Réalisé en 2025 : …", caption],
                [header, f"{first_cell} 10 (2021) 100 100 (2025) oui"]]
    assert caption_problems(stranded, [(caption, header, first_cell)]) == [
        f"page 1: {caption!r} followed by [], not its header and first row"]
    assert caption_problems([[caption, header, f"{first_cell} 10 (2021) 100"]], [(caption, header, first_cell)]) == []
    assert header_problems([[caption, header], [f"{first_cell} 10"]]) == ["page 1 ends with a table header"]
    lone = [["…", heading], ["En cours En cours, conforme au calendrier", "Réalisé en 2025 : …"]]
    assert f"page 1: {heading!r} ends the page alone" in heading_problems(lone, data)
    badges = [["…", heading, "En cours En cours, conforme au calendrier"], ["Réalisé en 2025 : …"]]
    assert f"page 1: {heading!r} and its badges end the page" in heading_problems(badges, data)
    chart = f"Fiche {fiche['code']} — {fiche['indicateurs'][0]['libelle']}"
    assert f"page 1: chart {fiche['code']} {fiche['indicateurs'][0]['libelle']!r} split from its caption" in (
        chart_problems([["…", chart], ["100", "2021 2022 2023 2024 2025"]], data))
