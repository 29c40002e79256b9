"""Names in French order (cls_portal.core.collation): in the database, whatever its own locale, and in Python."""

import pytest
from django.db import connection

from cls_portal.core.collation import FRENCH, french_key
from cls_portal.territories.models import Region
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
