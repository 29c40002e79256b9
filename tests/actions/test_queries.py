"""Query counts that must not grow with the number of sheets, indicators, years or queued sheets, and the
queries themselves as snapshots (tests/queries.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.enums import FicheStatut
from tests import factories as f
from tests.actions.factories import IndicateurFactory, SuiviFactory, ValeurFactory
from tests.queries import assert_snapshot_queries
from tests.worlds.actions import complete_fiche

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _plan_contract(world, n_sheets):
    own = world.own
    contract = f.ContractFactory(collectivite=own.collectivite, ars=own.contract.ars, delegations=[own.delegation],
                                 coordinators=[own.people["coordinateur"]])
    axes = [f.AxeFactory(contract=contract, numero=i + 1) for i in range(4)]
    pilot = own.people["pilote"]
    for i in range(n_sheets):
        fiche = f.FicheActionFactory(axe=axes[i % 4], numero=i + 1, pilote_personne=pilot,
                                     pilote_organisation=own.pilote_org,
                                     statut=[FicheStatut.BROUILLON, FicheStatut.EN_COURS, FicheStatut.REALISEE][i % 3])
        for _ in range(2):
            ind = IndicateurFactory(fiche=fiche)
            ValeurFactory(indicateur=ind, annee=2024)
    return contract


def test_plan_page_query_count_does_not_grow_with_sheets(client, world, snapshot):
    client.force_login(world.own.people["coordinateur"])
    small = _plan_contract(world, 10)
    large = _plan_contract(world, 60)
    n_small = _count(client, reverse("actions:plan", kwargs={"contract_pk": small.pk}))
    n_large = _count(client, reverse("actions:plan", kwargs={"contract_pk": large.pk}))
    assert n_small == n_large
    with assert_snapshot_queries(snapshot):
        client.get(reverse("actions:plan", kwargs={"contract_pk": large.pk}))


def _sheet(world, n_indicators, years):
    fiche = complete_fiche(f.FicheActionFactory(axe=world.own.axe, statut=FicheStatut.EN_COURS,
                                                pilote_personne=world.own.people["pilote"]))
    for _ in range(n_indicators):
        ind = IndicateurFactory(fiche=fiche)
        for y in years:
            ValeurFactory(indicateur=ind, annee=y, saisi_par=world.own.people["pilote"])
    for y in years:
        SuiviFactory(fiche=fiche, annee=y, saisi_par=world.own.people["pilote"])
    return fiche


def test_sheet_page_query_count_does_not_grow_with_years_or_indicators(client, world,
                                                                       snapshot):
    client.force_login(world.own.people["coordinateur"])
    one = _sheet(world, 1, [2024])
    five = _sheet(world, 4, [2024, 2025, 2026, 2027, 2028])
    _count(client, reverse("actions:fiche_detail", kwargs={"pk": one.pk}))  # warm the content-type cache
    n_one = _count(client, reverse("actions:fiche_detail", kwargs={"pk": one.pk}))
    n_five = _count(client, reverse("actions:fiche_detail", kwargs={"pk": five.pk}))
    assert n_one == n_five
    with assert_snapshot_queries(snapshot):
        r = client.get(reverse("actions:fiche_detail", kwargs={"pk": five.pk}))
    assert r.content.decode().count("<svg") == 4  # one chart per indicator with values


def test_review_queue_query_count_does_not_grow(client, world, snapshot):
    dd = world.own.people["delegation"]
    client.force_login(dd)
    url = reverse("actions:review_queue")
    n_before = _count(client, url)  # the world's one submitted sheet
    for i in range(20):
        f.FicheActionFactory(axe=world.own.axe, numero=100 + i, statut=FicheStatut.SOUMISE,
                             pilote_organisation=world.own.pilote_org)
    n_after = _count(client, url)
    assert n_before == n_after
    with assert_snapshot_queries(snapshot):
        r = client.get(url)
    assert len(r.context["page_obj"].object_list) == 21
    # Another département's sheets stay out of the queue.
    assert all(fi.contract_id == world.own.contract.pk for fi in r.context["page_obj"])
