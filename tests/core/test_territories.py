import copy

import pytest
from django.db.models import Sum

from cls_portal.territories.importer import import_territories, load_compact
from cls_portal.territories.models import ARS, EPCI, Commune, Delegation, Departement, Organisation, Region


@pytest.fixture(scope="module")
def compact():
    return load_compact()


@pytest.mark.django_db
def test_import_counts_and_idempotence(compact):
    report = import_territories(copy.deepcopy(compact))
    assert report.changed
    assert Region.objects.count() == 18
    assert ARS.objects.count() == 18
    # Each ARS is an organisation of its région: the contract's form offers it as the ARS signatory.
    assert set(Organisation.objects.filter(type="ars").values_list("nom", "region_id")) == set(
        ARS.objects.values_list("nom", "region_id"))
    assert Departement.objects.count() >= 101
    assert Delegation.objects.count() == Departement.objects.count()
    assert 1250 <= EPCI.objects.count() <= 1260
    assert 34_000 <= Commune.objects.count() <= 36_000
    # Paris is one commune (its arrondissements are not imported), so nobody is counted twice.
    assert Commune.objects.filter(code="75056").exists()
    assert not Commune.objects.filter(code="75101").exists()

    second = import_territories(copy.deepcopy(compact))
    assert not second.changed


@pytest.mark.django_db
def test_departement_population_is_sum_of_its_communes(compact):
    import_territories(copy.deepcopy(compact))
    calvados = Commune.objects.filter(departement_id="14").aggregate(p=Sum("population"))["p"]
    expected = sum(c[4] for c in compact["communes"] if c[2] == "14")
    assert calvados == expected > 690_000


@pytest.mark.django_db
def test_newer_file_updates_names_and_populations(compact):
    import_territories(copy.deepcopy(compact))
    newer = copy.deepcopy(compact)
    for row in newer["communes"]:
        if row[0] == "14047":  # Bayeux
            row[1], row[4] = "Bayeux (nouveau nom)", row[4] + 10
    report = import_territories(newer)
    assert report.updated["communes"] == 1 and report.created["communes"] == 0
    assert Commune.objects.get(code="14047").nom == "Bayeux (nouveau nom)"


@pytest.mark.django_db
def test_delegation_contacts_from_the_sources(compact):
    import_territories(copy.deepcopy(compact))
    assert Delegation.objects.get(departement_id="14").email == "ars-normandie-dd14@ars.sante.fr"
    assert Delegation.objects.get(departement_id="52").email == "ars-grandest-dt52-delegue@ars.sante.fr"
    assert ARS.objects.get(region_id="44").email == "ars-grandest-cls@ars.sante.fr"
    assert Delegation.objects.get(departement_id="33").email == ""
    assert Delegation.objects.get(departement_id="14").nom == "Délégation départementale du Calvados"
