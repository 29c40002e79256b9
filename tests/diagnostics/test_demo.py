"""The demo diagnostics: Coutances being written, Bayeux validated; seeding twice changes nothing."""

import pytest

from actions.models import Axe
from contracts.models import Contract
from diagnostics.demo import link_priorities_to_axes
from diagnostics.enums import Statut
from diagnostics.models import Diagnostic, Indicateur, Priorite
from tests.demo import seed_demo_data


@pytest.mark.django_db
def test_demo_diagnostics(client):
    seed_demo_data()
    counts = (Diagnostic.objects.count(), Indicateur.objects.count())
    seed_demo_data()
    assert (Diagnostic.objects.count(), Indicateur.objects.count()) == counts
    coutances = Diagnostic.objects.get(contract__nom__icontains="Coutances")
    assert coutances.statut == Statut.BROUILLON and coutances.population > 40000 and coutances.nb_communes > 40
    assert {i.source.split(" ")[0] for i in coutances.indicateurs.all()} >= {"INSEE,", "ORS", "Assurance"}
    assert coutances.consultations.count() == 3 and coutances.acteurs.filter(organisation__isnull=False).count() == 3
    bayeux = Diagnostic.objects.get(contract__nom__icontains="Bayeux")
    assert bayeux.statut == Statut.VALIDE and bayeux.valide_le.year == 2023 and bayeux.priorites.count() == 5
    # Priorities follow the action plan's axes as soon as they exist.
    contract = Contract.objects.get(pk=bayeux.contract_id)
    Priorite.objects.filter(diagnostic=bayeux).update(axe=None)
    for n in (1, 2):
        Axe.objects.get_or_create(contract=contract, numero=n, defaults={"titre": f"Axe {n}"})
    expected = Axe.objects.filter(contract=contract, numero__lte=5).count()
    assert link_priorities_to_axes(contract) == expected
    assert link_priorities_to_axes(contract) == 0
    linked = dict(bayeux.priorites.filter(axe__isnull=False).values_list("ordre", "axe__numero"))
    assert linked[1] == 1 and linked[2] == 2
    client.login(username="coordinateur2", password="demo")
    page = client.get(f"/diagnostics/{coutances.pk}/").content.decode()
    assert "Densité de médecins généralistes libéraux" in page and "Centre hospitalier de Coutances" in page
