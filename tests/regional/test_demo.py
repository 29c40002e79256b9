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


@pytest.mark.django_db
def test_each_demo_contract_names_the_regional_health_plan_of_its_time():
    """Flers Agglo, signed in February 2022, read « PRS Normandie 2023-2028 »."""
    from tests.demo import seed_demo_data

    seed_demo_data()
    prs = dict(Contract.objects.values_list("nom", "prs"))
    assert prs["Contrat local de santé de Flers Agglo 2022-2026"] == "PRS Normandie 2018-2023"
    assert prs["Contrat local de santé de Caux Seine Agglo 2020-2022"] == "PRS Normandie 2018-2023"
    assert prs["Contrat local de santé de Bayeux Intercom 2024-2028"] == "PRS Normandie 2023-2028"
    assert prs["Contrat local de santé du Grand Langres 2023-2027"] == "PRS Grand Est 2018-2028"
