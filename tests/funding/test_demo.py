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


@pytest.mark.django_db
def test_demo_funding_is_dated_as_it_happened():
    """A past year of the demo was filed, taken up, decided, paid and settled on days of its own, in that order, and
    its history says so: the page does not read « Demande déposée le <the day the demo was loaded> » above
    « Décision du 08/04/2024 »."""
    import datetime as dt

    from django.utils import timezone

    from cls_portal.core.history import history_for

    seed_demo_data()
    bayeux = AnneeFinancement.objects.get(contract__nom__icontains="Bayeux", annee=2024)
    decision = bayeux.decisions.get()
    steps = [timezone.localdate(bayeux.deposee_le), timezone.localdate(bayeux.instruite_le),
             timezone.localdate(decision.created_at), *(timezone.localdate(v.created_at)
                                                        for v in bayeux.versements.order_by("date")),
             timezone.localdate(bayeux.bilan.updated_at)]
    assert steps == [dt.date(2024, 2, 26), dt.date(2024, 3, 18), dt.date(2024, 4, 8), dt.date(2024, 5, 15),
                     dt.date(2024, 11, 20), dt.date(2025, 3, 31)]
    assert decision.date_decision == dt.date(2024, 4, 8)
    lines = sorted(timezone.localdate(h.at) for h in history_for(bayeux))
    assert lines[0] == dt.date(2024, 2, 26) and lines[-1] == dt.date(2025, 3, 31)
    waiting = AnneeFinancement.objects.get(contract__nom__icontains="Bayeux", annee=2026)
    assert timezone.localdate(waiting.deposee_le) == timezone.localdate()  # still waiting: filed recently


def test_the_demo_clock_tells_the_past_only_and_gives_the_real_one_back():
    import datetime as dt

    from django.utils import timezone

    from cls_portal.core.demo_clock import happened_on

    with happened_on(dt.date(2024, 4, 8), 11) as start:
        first, second = timezone.now(), timezone.now()
        assert timezone.localdate() == dt.date(2024, 4, 8) and start == first < second
    assert timezone.now().year >= 2026
    with pytest.raises(ValueError):
        with happened_on(timezone.localdate() + dt.timedelta(days=2)):
            pass
    assert timezone.now().year >= 2026
