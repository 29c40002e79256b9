"""The indicator-values import with its optional « Période » column (issue 21 item 8): periods of a quarterly
indicator saved and the year's figure made from them; a whole-year value for a year that has periods, a period
of an annual indicator, an unknown or future period: each refused with its French reason on its row."""

import datetime as dt
from decimal import Decimal as D

import pytest

from actions.enums import ActionEvent, Frequence
from actions.models import Indicateur, ValeurIndicateur, ValeurPeriode
from imports import indicators
from tests.imports.test_history_imports import confirm, errors, history, region_client, upload, xlsx  # noqa: F401

pytestmark = pytest.mark.django_db


def test_quarters_are_imported_and_make_the_year(region_client, world):  # noqa: F811
    fiche = world.own.extra["fiche_validee"]
    ind = Indicateur.objects.create(fiche=fiche, libelle="Personnes reçues", frequence=Frequence.TRIMESTRIELLE)
    nom = world.own.contract.nom
    rows = [[nom, "1.12", "Personnes reçues", 2025, 10, "T1"], [nom, "1.12", "Personnes reçues", 2025, 20, "t2"],
            [nom, "1.12", "Personnes reçues", 2025, "12,5", "3"]]
    preview = upload(region_client, "values", xlsx(indicators.COLUMNS, rows))
    assert preview.context["preview"].errors == []
    page = preview.content.decode()
    assert "1er trimestre 2025" in page and "3e trimestre 2025" in page
    confirm(region_client, "values", preview)
    assert sorted(ValeurPeriode.objects.filter(indicateur=ind).values_list("periode", "valeur")) == [
        (1, D("10")), (2, D("20")), (3, D("12.5"))]
    year = ValeurIndicateur.objects.get(indicateur=ind, annee=2025)
    assert (year.valeur, year.periodes_renseignees) == (D("42.5"), 3)
    assert history(ActionEvent.VALEURS_IMPORTEES) == 1
    again = upload(region_client, "values", xlsx(indicators.COLUMNS, rows))
    assert [li["etat"][0] for li in again.context["lines"]] == ["Inchangée"] * 3


def test_period_rows_that_cannot_be_are_refused_in_french(region_client, world):  # noqa: F811
    fiche = world.own.extra["fiche_validee"]
    ind = Indicateur.objects.create(fiche=fiche, libelle="Personnes reçues", frequence=Frequence.TRIMESTRIELLE)
    ValeurPeriode.objects.create(indicateur=ind, annee=2024, periode=1, valeur=D("5"))
    nom, this_year = world.own.contract.nom, dt.date.today().year
    rows = [[nom, "1.12", "Personnes reçues", 2024, 50, ""],  # whole year, but 2024 has quarters
            [nom, "1.12", "Nombre de consultations", 2024, 50, "T1"],  # an annual indicator
            [nom, "1.12", "Personnes reçues", 2025, 5, "T5"],
            [nom, "1.12", "Personnes reçues", 2025, 5, "T1"], [nom, "1.12", "Personnes reçues", 2025, 6, "T1"]]
    if dt.date.today() < dt.date(this_year, 10, 1):
        rows.append([nom, "1.12", "Personnes reçues", this_year, 5, "T4"])
    e = errors(upload(region_client, "values", xlsx(indicators.COLUMNS, rows)))
    assert "a des valeurs par trimestres en 2024 : importez chacun de ses trimestres" in e[2]
    assert "prend une valeur par an (fréquence de recueil : annuelle) : laissez la colonne « Période » vide" in e[3]
    assert "« T5 » n'est pas une période" in e[4] and "T1 à T4" in e[4]
    assert "la valeur 1er trimestre 2025 de cet indicateur figure déjà à la ligne 5" in e[6]
    if len(rows) == 6:
        assert "n'a pas encore commencé" in e[7]
    # a whole-year value for a quarterly indicator stays possible while that year has no quarter
    ok = upload(region_client, "values", xlsx(indicators.COLUMNS, [[nom, "1.12", "Personnes reçues", 2025, 40, ""]]))
    assert ok.context["preview"].errors == []
