"""Steps of a phase the contract has left are done. « Préparation du diagnostic », « Réalisation du diagnostic » and
« Construction du plan d'action » stayed « À venir » after the signature (and turned « en retard »), while
« Engagement de la collectivité » and the signature's step were closed. Now every step of the phases left behind is
done, on its planned date (today when that is still to come), as the XLSX import does for the phases already
past; the step a phase change concludes is done that day; validating the diagnostic completes its two steps."""

import datetime as dt

import pytest
from django.utils import timezone

from contracts import services
from contracts.enums import Phase, StepKind, StepStatus
from diagnostics import services as diagnostic_services
from diagnostics.enums import Transition

pytestmark = pytest.mark.django_db

DIAGNOSTIC_STEPS = [StepKind.PREPARATION_DIAGNOSTIC, StepKind.REALISATION_DIAGNOSTIC, StepKind.PLAN_ACTION]


def _step(contract, kind):
    return contract.steps.get(kind=kind)


def test_signing_completes_the_steps_of_the_diagnostic_phase(setup, today):
    today(dt.date(2024, 6, 10))
    s = setup(Phase.DIAGNOSTIC)  # started 10/01/2023: the diagnostic's steps were planned in 2023
    s.ready_to_leave_prealable()
    s.ready_to_sign()
    extra = services.step_add(actor=s.ars_user, contract=s.contract, titre="Réunion publique", phase=Phase.DIAGNOSTIC,
                              date_prevue=dt.date(2025, 1, 31))  # planned after the signature
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                               date_signature=dt.date(2024, 6, 1))
    for kind in DIAGNOSTIC_STEPS:
        step = _step(s.contract, kind)
        assert step.statut == StepStatus.REALISEE, kind
        assert step.date_realisee == step.date_prevue < dt.date(2024, 6, 10)  # on its planned date
    assert _step(s.contract, StepKind.SIGNATURE).date_realisee == dt.date(2024, 6, 10)  # the day it was decided
    extra.refresh_from_db()
    assert extra.statut == StepStatus.REALISEE and extra.date_realisee == dt.date(2024, 6, 10)
    # The steps of the phase entered stay open.
    assert _step(s.contract, StepKind.MISE_EN_OEUVRE).statut != StepStatus.REALISEE
    assert not any(st.is_overdue(dt.date(2024, 6, 10)) for st in s.contract.steps.filter(
        phase__in=[Phase.PREALABLE, Phase.DIAGNOSTIC]))


def test_leaving_the_prealable_completes_its_steps_only(setup, today):
    today(dt.date(2023, 5, 10))
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    extra = services.step_add(actor=s.ars_user, contract=s.contract, titre="Rencontre des élus",
                              phase=Phase.PREALABLE, date_prevue=dt.date(2023, 3, 1))
    s.contract.coordinators.clear()
    services.transition_fire(actor=s.ars_user, contract=s.contract, transition="engager", by_delegation=True)
    extra.refresh_from_db()
    assert extra.statut == StepStatus.REALISEE and extra.date_realisee == dt.date(2023, 3, 1)
    assert _step(s.contract, StepKind.ENGAGEMENT).date_realisee == dt.date(2023, 5, 10)
    assert all(_step(s.contract, kind).statut == StepStatus.A_VENIR for kind in DIAGNOSTIC_STEPS)


def test_validating_the_diagnostic_completes_its_preparation_and_realisation(world):
    d, coord, dd = world.own.diagnostic, world.users["coordinateur"], world.users["delegation"]
    contract = d.contract
    assert _step(contract, StepKind.REALISATION_DIAGNOSTIC).statut != StepStatus.REALISEE
    diagnostic_services.diagnostic_transition(actor=coord, diagnostic_id=d.pk, action=Transition.SOUMETTRE)
    diagnostic_services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.VALIDER)
    for kind in (StepKind.PREPARATION_DIAGNOSTIC, StepKind.REALISATION_DIAGNOSTIC):
        step = _step(contract, kind)
        assert step.statut == StepStatus.REALISEE and step.date_realisee == timezone.localdate(), kind
    assert _step(contract, StepKind.PLAN_ACTION).statut != StepStatus.REALISEE  # the plan is still to build
