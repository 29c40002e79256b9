"""Names in French order (cls_portal.core.collation): in the database, whatever its own locale, and in Python."""

import pytest
from django.db import connection

from cls_portal.core.collation import FRENCH, fold, fold_query, french_key
from cls_portal.territories.models import Commune, Region
from contracts.models import Contract
from tests import factories as f

# In French order (PostgreSQL's ICU « fr » collation gives this order; byte order puts the capitals, then the
# accented initials, at the end).
NAMES = ["CLS de Fécamp", "CLS de l'Agglomération Caennaise", "CLS du Pays d'Auge", "CLS Évreux Portes de Normandie",
         "CLS Pays de Caux", "cote", "coté", "côte", "Côte", "Essonne", "Étampes", "eure", "Eure", "Eure-et-Loir",
         "Grand Est", "Hauts-de-France", "Île-de-France", "La Réunion", "Œuvre", "Oeuvrer", "Saint Denis",
         "Saint-Denis", "Saintes"]


def test_the_python_key_sorts_in_french_order():
    assert sorted(reversed(NAMES), key=french_key) == NAMES
    assert sorted(NAMES) != NAMES  # byte order would not do


@pytest.mark.django_db
def test_the_database_sorts_names_in_french_order_whatever_its_locale():
    regions = ["Provence-Alpes-Côte d'Azur", "Île-de-France", "Auvergne-Rhône-Alpes", "La Réunion", "Hauts-de-France",
               "Grand Est", "Occitanie"]
    for n, name in enumerate(regions):
        Region.objects.create(code=f"9{n}", nom=name)
    assert list(Region.objects.filter(code__startswith="9").order_by("nom").values_list("nom", flat=True)) == [
        "Auvergne-Rhône-Alpes", "Grand Est", "Hauts-de-France", "Île-de-France", "La Réunion", "Occitanie",
        "Provence-Alpes-Côte d'Azur"]


@pytest.mark.django_db
def test_contract_names_sort_with_accents_and_case_second():
    contracts = [f.ContractFactory(nom=name) for name in reversed(NAMES[:5])]
    assert list(Contract.objects.filter(pk__in=[c.pk for c in contracts]).order_by("nom")
                .values_list("nom", flat=True)) == NAMES[:5]


@pytest.mark.django_db
def test_the_databases_order_is_the_python_keys():
    """The same list sorted by the database (ICU on PostgreSQL, `french_key` on SQLite) and by Python."""
    values = " UNION ALL ".join(["SELECT %s AS nom"] * len(NAMES))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT nom FROM ({values}) t ORDER BY nom COLLATE "{FRENCH}"', list(reversed(NAMES)))
        assert [row[0] for row in cursor.fetchall()] == NAMES


def test_a_name_folds_as_people_type_it():
    assert fold("Saint-Étienne") == "saint etienne"
    assert fold("L'Haÿ-les-Roses") == "l hay les roses"
    assert fold("Châlons-en-Champagne") == "chalons en champagne"
    assert fold("Œuilly") == "oeuilly" and fold("ÉVREUX") == "evreux"
    assert fold("Saint-Pierre-et-Miquelon’s") == "saint pierre et miquelon s"
    assert fold_query("  Saint   étienne ") == "saint etienne"


TRICKY = ["Évreux", "L'Haÿ-les-Roses", "Œuilly", "Saint-Étienne-de-Tinée", "Châtel-Guyon", "Cœuvres-et-Valsery",
          "Plœmeur", "Aÿ-Champagne", "Montréal-la-Cluse", "Saint-Martin-d’Hères", "Îles-de-Glénan", "Éçé Ùñïçødé"]


@pytest.mark.django_db
def test_the_database_folds_names_as_python_does():
    """The generated column (SQL on PostgreSQL, the registered function on SQLite) and `fold` agree."""
    dep = f.DepartementFactory()
    for n, name in enumerate(TRICKY):
        f.CommuneFactory(code=f"9{n:04d}", nom=name, departement=dep)
    folded = dict(Commune.objects.filter(departement=dep).values_list("nom", "nom_recherche"))
    assert folded == {name: fold(name) for name in TRICKY}
    Commune.objects.filter(code="90000").update(nom="Évry-Courcouronnes")  # an update folds the new name
    assert Commune.objects.get(code="90000").nom_recherche == "evry courcouronnes"


def test_the_folded_name_is_never_a_change_of_its_own():
    """History and conflict messages list what a person changed: the generated column follows `nom`."""
    from cls_portal.core.history import snapshot

    assert "nom" in snapshot(Contract(nom="CLS d'Évreux")) and "nom_recherche" not in snapshot(Contract(nom="x"))
