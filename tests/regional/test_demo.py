"""The regional demo's town contract, signed in January 2024 inside Flers Agglo's perimeter."""

import pytest
from django.utils import timezone

from contracts.enums import Phase, StepStatus
from contracts.models import Contract
from regional.demo import FLERS_VILLE


@pytest.mark.django_db
def test_the_town_contract_signed_in_2024_has_no_step_before_its_signature_left_overdue():
    """Created signed but with every step « à venir », it stood in the regional « À traiter » list with six
    « étapes en retard » (engagement, diagnostic, plan, signature) two years after its signature."""
    from tests.demo import seed_demo_data

    seed_demo_data()
    contract = Contract.objects.get(nom=FLERS_VILLE)
    assert contract.phase == Phase.MISE_EN_OEUVRE and contract.qpv and contract.nb_qpv == 1
    assert contract.prs == "PRS Normandie 2023-2028"
    before = contract.steps.filter(phase__in=[Phase.PREALABLE, Phase.DIAGNOSTIC])
    assert before.count() == 5
    assert set(before.values_list("statut", flat=True)) == {StepStatus.REALISEE}
    today = timezone.localdate()
    overdue = [s.titre for s in contract.steps.all() if s.is_overdue(today)]
    assert all(s.startswith("Évaluation continue") for s in overdue), overdue
