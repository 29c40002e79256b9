"""The demo funding data: realistic figures, every stage of the lifecycle, idempotent."""

from decimal import Decimal as D

import pytest

from funding.enums import Statut
from funding.models import AnneeFinancement, DialogueGestion, RegleFinancement, rule_for
from tests.demo import seed_demo_data


@pytest.mark.django_db
def test_demo_funding():
    seed_demo_data()
    counts = (AnneeFinancement.objects.count(), DialogueGestion.objects.count(), RegleFinancement.objects.count())
    seed_demo_data()
    assert counts == (AnneeFinancement.objects.count(), DialogueGestion.objects.count(),
                      RegleFinancement.objects.count())
    assert rule_for("44", 2025).etp_minimum == D("0.5") and rule_for("28", 2025).etp_minimum == D("0")

    def year(name, annee):
        return AnneeFinancement.objects.get(contract__nom__icontains=name, annee=annee)

    bayeux = year("Bayeux", 2024)
    assert (bayeux.cout_eligible, bayeux.statut, bayeux.bilan.montant_a_reverser) == (
        D("46000"), Statut.SOLDEE, D("0"))
    assert year("Bayeux", 2026).statut == Statut.DEPOSEE
    assert year("Grand Langres", 2025).etp == D("0.5")
    assert year("Grand Langres", 2026).statut == Statut.EN_INSTRUCTION
    flers = year("Flers", 2025)
    assert (flers.mois_pourvus, flers.montant_accorde, flers.total_verse) == (9, D("18750"), D("18750"))
    caux = year("Caux Seine Agglo 2023", 2024)
    assert caux.montant_a_reverser == D("3000.00")  # actual cost 40 000 €: the ARS owed 20 000 €, paid 23 000 €
    for a in AnneeFinancement.objects.exclude(montant_accorde=None):
        assert a.total_verse <= a.montant_accorde
        assert a.decisions.get(remplacee_par=None).document.read().startswith(b"%PDF")
