"""The activity report's « L'année en bref » and « Avancement du plan » read as French sentences whatever the
sheets' statuses: no « dont 0 en cours », the same « fiches actions » as the headings around them."""

import re
from html import unescape

import pytest

from reports import rendering
from tests.reports.test_pdf_text_unchanged import fixture_data


def _text(total, en_cours, realisees) -> str:
    data = fixture_data()
    data = dict(data, plan=dict(data["plan"], total=total, en_cours=en_cours, realisees=realisees))
    html = rendering.render_html(kind="activite", year=2025, data=data)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("total,en_cours,realisees,expected", [
    (10, 7, 1, "Fiches actions 10 fiches, dont 7 en cours et 1 réalisée Suivi"),
    (5, 0, 5, "Fiches actions 5 fiches, toutes réalisées Suivi"),  # Flers Agglo, in its final evaluation
    (1, 0, 1, "Fiches actions 1 fiche, réalisée Suivi"),
    (4, 4, 0, "Fiches actions 4 fiches, toutes en cours Suivi"),
    (6, 0, 2, "Fiches actions 6 fiches, dont 2 réalisées Suivi"),
    (6, 3, 0, "Fiches actions 6 fiches, dont 3 en cours Suivi"),
    (3, 0, 0, "Fiches actions 3 fiches Suivi"),
])
def test_the_year_in_brief_counts_the_sheets_in_plain_french(total, en_cours, realisees, expected):
    text = _text(total, en_cours, realisees)
    assert expected in text
    assert "dont 0" not in text


def test_the_plan_progress_says_fiches_actions_like_its_table():
    text = _text(10, 7, 1)
    assert "10 fiches actions : 1 réalisée, 7 en cours ;" in text
    assert "Fiches actions par statut" in text
