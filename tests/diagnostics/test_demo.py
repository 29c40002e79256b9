"""The demo diagnostics: Coutances being written, Bayeux validated and answered by the action plan's axes;
seeding twice changes nothing."""

import pytest

from diagnostics.enums import Statut
from diagnostics.models import Diagnostic, Indicateur
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
    assert bayeux.statut == Statut.VALIDE and bayeux.valide_le.year == 2023 and bayeux.priorites.count() == 4
    # The action plan's demo (run after this one) builds Bayeux's axes from these priorities.
    linked = {p.ordre: p.axe for p in bayeux.priorites.select_related("axe")}
    assert all(axe is not None and axe.contract_id == bayeux.contract_id for axe in linked.values())
    assert [linked[n].numero for n in (1, 2, 3, 4)] == [1, 2, 3, 4]
    client.login(username="coordinateur2", password="demo")
    page = client.get(f"/diagnostics/{coutances.pk}/").content.decode()
    assert "Densité de médecins généralistes libéraux" in page and "Centre hospitalier de Coutances" in page
