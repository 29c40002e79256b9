"""The coordinator's next move in the phase « Diagnostic et élaboration du plan d'action »: « Diagnostic à
commencer » while the contract has none, « Diagnostic à terminer » while its first diagnostic is a draft,
« Plan d'action à construire » once the diagnostic is validated and the plan has no sheet; each with the due date of
the method's step, and only then (not while the diagnostic is reviewed, not once the plan has a sheet, not in another
phase, not on another coordinator's contract)."""

import datetime as dt

import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from cls_portal.core import worklist
from contracts.enums import Phase, StepKind
from contracts.models import Step
from diagnostics.enums import Statut as DiagStatut
from tests import factories as f
from tests.diagnostics.factories import DiagnosticFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
KINDS = {"diagnostic_a_commencer", "diagnostic_a_terminer", "plan_a_construire"}


@pytest.fixture
def contract(world):
    """A contract of the world's coordinator that has just entered the phase of diagnostic, with the method's
    steps of that phase."""
    own = world.own
    c = f.ContractFactory(nom="CLS en diagnostic", ars=own.delegation.ars, delegations=[own.delegation],
                          communes=own.communes, coordinators=[own.people["coordinateur"]], phase=Phase.DIAGNOSTIC,
                          date_signature=None, date_debut_prealable=dt.date(2026, 6, 1))
    for kind, due in [(StepKind.PREPARATION_DIAGNOSTIC, dt.date(2027, 1, 15)),
                      (StepKind.REALISATION_DIAGNOSTIC, dt.date(2027, 3, 1)),
                      (StepKind.PLAN_ACTION, dt.date(2027, 5, 31))]:
        Step.objects.create(contract=c, phase=Phase.DIAGNOSTIC, kind=kind, titre=kind.label, date_prevue=due)
    return c


def _items(world, contract):
    user = world.own.people["coordinateur"]
    user.__dict__.pop("_worklist_cache", None)  # the list is memoised for a request: read it again
    items = worklist.items_for(user, worklist.COORDINATEUR, TODAY)
    return [i for i in items if i.contract_id == contract.pk and i.kind in KINDS]


def test_no_diagnostic_yet_the_coordinator_is_told_to_start_it(client, world, contract):
    [item] = _items(world, contract)
    assert (item.kind, item.label, item.url) == ("diagnostic_a_commencer", "Diagnostic à commencer",
                                                  reverse("diagnostics:contract", args=[contract.pk]))
    assert item.due == dt.date(2027, 1, 15) and "15/01/2027" in item.detail
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("contracts:my_cls")).content.decode()
    section = html.split(f'id="cls-{contract.pk}"')[1].split('id="cls-')[0]
    assert "Diagnostic à commencer" in section and "Rien n'attend de votre part" not in section.replace("&#x27;", "'")
    assert reverse("diagnostics:contract", args=[contract.pk]) in section


def test_a_draft_diagnostic_the_coordinator_is_told_to_finish_it(client, world, contract):
    draft = DiagnosticFactory(contract=contract, statut=DiagStatut.BROUILLON)
    [item] = _items(world, contract)
    assert (item.kind, item.label, item.url) == ("diagnostic_a_terminer", "Diagnostic à terminer",
                                                  reverse("diagnostics:detail", args=[draft.pk]))
    # The step of the method the draft belongs to: the réalisation of the diagnostic (not its préparation).
    assert item.due == dt.date(2027, 3, 1) and "01/03/2027" in item.detail
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("contracts:my_cls")).content.decode()
    section = html.split(f'id="cls-{contract.pk}"')[1].split('id="cls-')[0]
    assert "Diagnostic à terminer" in section and reverse("diagnostics:detail", args=[draft.pk]) in section


@pytest.mark.parametrize("statut", [DiagStatut.SOUMIS, DiagStatut.A_MODIFIER])
def test_while_the_diagnostic_is_reviewed_no_move_is_listed(world, contract, statut):
    """Under review the move is the délégation's; sent back, « Diagnostic à modifier » (diagnostics' own list)."""
    DiagnosticFactory(contract=contract, statut=statut)
    assert _items(world, contract) == []


def test_a_new_version_drafted_after_a_validated_one_is_not_the_methods_step(world, contract):
    validated = DiagnosticFactory(contract=contract, statut=DiagStatut.VALIDE)
    axe = f.AxeFactory(contract=contract, numero=1)
    f.FicheActionFactory(axe=axe, numero=1)
    DiagnosticFactory(contract=contract, numero=2, previous=validated, statut=DiagStatut.BROUILLON)
    assert _items(world, contract) == []


def test_validated_diagnostic_and_empty_plan_the_coordinator_is_told_to_build_it(client, world, contract):
    DiagnosticFactory(contract=contract, statut=DiagStatut.VALIDE)
    axe = f.AxeFactory(contract=contract, numero=1)  # an axe without a sheet is still an empty plan
    f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.ABANDONNEE)  # out of the plan
    [item] = _items(world, contract)
    assert (item.kind, item.label, item.url) == ("plan_a_construire", "Plan d'action à construire",
                                                  reverse("actions:plan", args=[contract.pk]))
    assert item.due == dt.date(2027, 5, 31) and "31/05/2027" in item.detail
    client.force_login(world.own.people["coordinateur"])
    assert "Plan d'action à construire" in client.get(reverse("contracts:my_cls")).content.decode().replace(
        "&#x27;", "'")

    f.FicheActionFactory(axe=axe, numero=2)  # the first sheet: the plan is being built
    assert _items(world, contract) == []


@pytest.mark.parametrize("statut", [None, DiagStatut.BROUILLON, DiagStatut.VALIDE])
def test_without_steps_the_items_have_no_due_date(world, contract, statut):
    Step.objects.filter(contract=contract).delete()
    if statut:
        DiagnosticFactory(contract=contract, statut=statut)
    [item] = _items(world, contract)
    assert item.due is None and item.detail


@pytest.mark.parametrize("phase", [Phase.PREALABLE, Phase.MISE_EN_OEUVRE])
def test_other_phases_list_neither(world, contract, phase):
    contract.phase = phase
    contract.save()
    assert _items(world, contract) == []


def test_another_coordinators_contract_is_not_listed(world, contract):
    contract.coordinators.set([world.other.people["coordinateur"]])
    assert _items(world, contract) == []
