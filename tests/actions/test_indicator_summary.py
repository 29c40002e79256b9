"""The end-of-contract summary of every indicator (issue 21 item 5, second part): baseline, each year of
implementation, target, reached or not; only the sheets the reader may open; constant queries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from actions import selectors
from actions.models import Indicateur, ValeurIndicateur
from actions.permissions import plan_scope
from tests.queries import assert_snapshot_queries

pytestmark = pytest.mark.django_db


def _indicator(fiche, libelle, **kw):
    return Indicateur.objects.create(fiche=fiche, libelle=libelle, **kw)


def test_each_indicator_with_its_years_target_and_whether_it_is_reached(world):
    own = world.own
    contract = own.contract
    years = selectors.contract_years(contract, dt.date(2026, 6, 1))
    assert years, "the world's contract is signed"
    ind = _indicator(own.fiche_validee, "Personnes formées", valeur_reference=D("0"), annee_reference=years[0] - 1,
                     cible=D("120"), hausse_attendue=True)
    ValeurIndicateur.objects.create(indicateur=ind, annee=years[0], valeur=D("40"))
    ValeurIndicateur.objects.create(indicateur=ind, annee=years[-1], valeur=D("130"))
    lost = _indicator(own.fiche_validee, "Délai d'attente (jours)", cible=D("30"), hausse_attendue=False)
    ValeurIndicateur.objects.create(indicateur=lost, annee=years[0], valeur=D("45"))
    got_years, rows = selectors.indicator_summary(contract, today=dt.date(2026, 6, 1))
    assert got_years == years
    row = next(r for r in rows if r.indicateur == ind)
    assert row.values[0] == D("40") and row.values[-1] == D("130") and row.reached is True
    assert (row.last, row.last_year) == (D("130"), years[-1])
    assert next(r for r in rows if r.indicateur == lost).reached is False  # 45 days, 30 expected at most


def test_the_page_shows_only_the_sheets_the_reader_may_open_at_constant_queries(client, world, snapshot):
    own = world.own
    _indicator(own.fiche_validee, "Indicateur d'une fiche validée")
    _indicator(own.fiche, "Indicateur d'un brouillon")  # a draft: not for elected officials
    url = reverse("actions:indicator_summary", args=[own.contract.pk])
    client.force_login(own.people["coordinateur"])
    page = client.get(url).content.decode().replace("&#x27;", "'")
    assert "Indicateur d'une fiche validée" in page and "Indicateur d'un brouillon" in page
    # an elected official reads the validated plan only: the draft's indicator is not in his summary either
    elu = own.people["elu"]
    assert plan_scope(elu, own.contract) is not None
    client.force_login(elu)
    page = client.get(url).content.decode().replace("&#x27;", "'")
    assert "Indicateur d'une fiche validée" in page and "Indicateur d'un brouillon" not in page
    client.force_login(own.people["coordinateur"])
    client.get(url)
    with assert_snapshot_queries(snapshot):
        client.get(url)
    for i in range(5):
        ind = _indicator(own.fiche_validee, f"Indicateur {i}")
        ValeurIndicateur.objects.create(indicateur=ind, annee=own.contract.date_signature.year, valeur=D(i))
    with assert_snapshot_queries(snapshot):
        client.get(url)
