"""Work lists read a constant number of queries whatever the number of pending items (pinned exactly), the
menu counts them in one query, and the count always equals the list."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.enums import FicheStatut
from actions.models import Indicateur, Jalon
from cls_portal.core import worklist
from contracts.enums import Phase, ProposalStatus
from contracts.models import Step, TransitionProposal
from diagnostics.enums import Statut as DiagStatut
from funding.enums import Statut as FundStatut
from funding.models import AnneeFinancement
from tests import factories as f
from tests.diagnostics.factories import DiagnosticFactory
from tests.queries import SNAPSHOT_MOMENT
from tests.reports.factories import ReportFactory

# The pages run one query per kind of item, and some kinds are due only in a season (last year's reports from
# 1 March, the dialogue de gestion after 31 October): the counts are pinned on the query snapshots' day.
TODAY = timezone.localtime(SNAPSHOT_MOMENT).date()
LAST_YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def _on_the_snapshot_day():
    with time_machine.travel(SNAPSHOT_MOMENT, tick=True):
        yield


def _year(contract, annee, statut, **extra):
    return AnneeFinancement.objects.create(
        contract=contract, annee=annee, statut=statut, etp=D("1"), mois_pourvus=12, cout_salaire=D("30000"),
        cout_charges=D("10000"), cout_fonctionnement=D("2000"), demande_ars=D("20000"),
        demande_collectivite=D("20000"), **extra)


def add_pending(world, n):
    """`n` more contracts of the world's délégation and coordinator, each with one item of every kind."""
    own = world.own
    pilote, coordinateur = own.people["pilote"], own.people["coordinateur"]
    for i in range(n):
        c = f.ContractFactory(nom=f"CLS en attente {i:02d}", ars=own.delegation.ars, delegations=[own.delegation],
                              communes=own.communes, coordinators=[coordinateur],
                              date_signature=dt.date(LAST_YEAR - 1, 3, 1))
        Step.objects.create(contract=c, phase=Phase.MISE_EN_OEUVRE, kind="autre", titre=f"Étape {i}",
                            date_prevue=TODAY - dt.timedelta(days=3))
        TransitionProposal.objects.create(contract=c, transition="clore", from_phase=c.phase, to_phase=Phase.CLOS,
                                          status=ProposalStatus.PENDING)
        axe = f.AxeFactory(contract=c, numero=1)
        f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.SOUMISE)
        f.FicheActionFactory(axe=axe, numero=2, statut=FicheStatut.A_MODIFIER)
        running = f.FicheActionFactory(axe=axe, numero=3, statut=FicheStatut.EN_COURS, pilote_personne=pilote)
        Indicateur.objects.create(fiche=running, libelle="Participants")
        Jalon.objects.create(fiche=running, libelle="Lancement", date_prevue=TODAY - dt.timedelta(days=10))
        DiagnosticFactory(contract=c, statut=DiagStatut.SOUMIS, soumis_le=timezone.now())
        _year(c, TODAY.year, FundStatut.DEPOSEE)
        _year(c, LAST_YEAR, FundStatut.DECIDEE, montant_accorde=D("20000"))
        ReportFactory(contract=c, ready=True)
        # In the phase of diagnostic: one without a diagnostic ("Diagnostic à commencer"), one with its diagnostic
        # being written ("Diagnostic à terminer"), one with its diagnostic validated and no sheet yet ("Plan d'action
        # à construire"), the coordinator's next moves.
        f.ContractFactory(nom=f"CLS à diagnostiquer {i:02d}", ars=own.delegation.ars, delegations=[own.delegation],
                          communes=own.communes, coordinators=[coordinateur], phase=Phase.DIAGNOSTIC,
                          date_signature=None)
        DiagnosticFactory(contract=f.ContractFactory(
            nom=f"CLS au diagnostic à terminer {i:02d}", ars=own.delegation.ars, delegations=[own.delegation],
            communes=own.communes, coordinators=[coordinateur], phase=Phase.DIAGNOSTIC, date_signature=None),
            statut=DiagStatut.BROUILLON)
        DiagnosticFactory(contract=f.ContractFactory(
            nom=f"CLS au plan à construire {i:02d}", ars=own.delegation.ars, delegations=[own.delegation],
            communes=own.communes, coordinators=[coordinateur], phase=Phase.DIAGNOSTIC, date_signature=None),
            statut=DiagStatut.VALIDE)
        # Past its end date, not closed: "Contrat arrivé à échéance" (the délégation's and the region's lists).
        f.ContractFactory(nom=f"CLS échu {i:02d}", ars=own.delegation.ars, delegations=[own.delegation],
                          communes=own.communes, date_signature=dt.date(TODAY.year - 6, 3, 1))


PAGES = [("delegation", "contracts:delegation_dashboard"), ("coordinateur", "contracts:my_cls"),
         ("pilote", "actions:my_sheets"), ("region", "regional:dashboard")]


@pytest.mark.django_db
@pytest.mark.parametrize("role,url_name", PAGES)
def test_landing_page_query_count_is_constant_and_pinned(client, world, django_assert_num_queries, role, url_name):
    user = world.users[role]
    client.force_login(user)
    url = reverse(url_name)
    add_pending(world, 1)
    few_html = client.get(url).content.decode()
    few_items = few_html.count("data-work-item=")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_pending(world, 6)
    # region: 9, then the QPV covered and their reference list (2), the sheets per field of action (1) and the
    # work list's counts per kind and département (1: the page reads no item, worklist.RollUp; 10 fewer since
    # 04/12, when it read the first items of each of the 10 rolled-up kinds; the contracts per phase and per year
    # of signature, and the ARS funding of the year, are counted from the figures' rows since 05/12: 3 fewer).
    # delegation: the four kinds of funding years in one query since 05/12 (3 fewer); the contracts past their end
    # date and not closed, a kind of item of their own since 06/12 (1 more: one query a kind on a list page).
    # region: the set-up list's flags (délégation agents invited, a funding rule) since 06/12, one query (1 more).
    # coordinateur: the next move of the phase of diagnostic (« Diagnostic à commencer », « Plan d'action à
    # construire »), one query for both kinds since 06/12 (1 more); « Diagnostic à terminer » since 06/12 too, in that
    # same query (no more).
    expected = {"delegation": 16, "coordinateur": 18, "pilote": 8, "region": 14}[role]
    with django_assert_num_queries(expected):
        html = client.get(url).content.decode()
    assert len(few.captured_queries) == expected
    if role == "region":  # the regional view counts the items per département and kind (no item listed)
        heading = re.compile(r"À traiter dans vos départements \((\d+)\)")
        assert int(heading.search(html).group(1)) > int(heading.search(few_html).group(1))
    else:
        assert html.count("data-work-item=") > few_items  # the pinned page did list the new items


@pytest.mark.django_db
@pytest.mark.parametrize("role,audience", [("delegation", worklist.DELEGATION), ("region", worklist.REGION),
                                           ("coordinateur", worklist.COORDINATEUR), ("pilote", worklist.PILOTE)])
def test_menu_count_is_one_query_and_equals_the_list(world, django_assert_num_queries, role, audience):
    add_pending(world, 3)
    user = world.users[role]
    user.roles(), user.departement_codes(), user.region_codes()  # read once per request by every page
    with django_assert_num_queries(1):
        count = worklist.count_for(user, audience, TODAY)
    items = worklist.items_for(user, audience, TODAY)
    assert count == len(items) >= 3
    with django_assert_num_queries(0):  # the page listed them: the menu reuses the list
        assert worklist.count_for(user, audience, TODAY) == count


@pytest.mark.django_db
def test_other_tenants_items_never_listed(client, world):
    add_pending(world, 2)
    other = world.other.contract
    for role, audience in [("delegation", worklist.DELEGATION), ("region", worklist.REGION),
                           ("coordinateur", worklist.COORDINATEUR), ("pilote", worklist.PILOTE)]:
        items = worklist.items_for(world.users[role], audience, TODAY)
        assert items and all(i.contract_id != other.pk for i in items), role
