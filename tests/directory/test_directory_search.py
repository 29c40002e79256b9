"""Issue 15, item 6: a resident finds the CLS of his commune by its name or INSEE code, whether the commune is
in an EPCI's perimeter or listed one by one, and is told when no CLS covers it; every délégation's contact is
listed, with or without an active CLS; the map colours each département by the share of population covered."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.enums import Phase
from tests import factories as f

pytestmark = pytest.mark.django_db


def _commune_line(html, code):
    m = re.search(rf'data-commune="{code}">(.*?)</p>', html, re.S)
    assert m, f"commune {code} absente"
    return m.group(1)


def test_commune_in_an_epci_perimeter_by_name_and_by_code(client, world):
    own = world.own
    commune = own.communes[1]  # in the world's EPCI, in the contract's perimeter
    for q in (commune.nom, commune.code):
        html = client.get(reverse("directory:index"), {"q": q}).content.decode()
        line = _commune_line(html, commune.code)
        assert own.contract.nom in line and reverse("directory:contract", args=[own.contract.pk]) in line
        assert "data-no-cls" not in line


def test_commune_listed_one_by_one(client, world):
    own = world.own
    loose = f.CommuneFactory(departement=own.departement, nom="Arromanches-les-Bains", code="14021", epci=None)
    contract = f.ContractFactory(nom="CLS de la Côte de Nacre", ars=own.delegation.ars, delegations=[own.delegation],
                                 communes=[loose], epci=None)
    html = client.get(reverse("directory:index"), {"q": "arromanches"}).content.decode()
    assert contract.nom in _commune_line(html, "14021")
    html = client.get(reverse("directory:index"), {"q": "14021"}).content.decode()
    assert contract.nom in _commune_line(html, "14021")


def test_commune_without_cls_says_so_with_its_delegation_contact(client, world):
    own = world.own
    own.delegation.email = "dd14@ars.example.fr"
    own.delegation.save()
    alone = f.CommuneFactory(departement=own.departement, nom="Villiers-le-Sec")
    closed = f.ContractFactory(nom="CLS clos", ars=own.delegation.ars, delegations=[own.delegation],
                               communes=[alone], phase=Phase.CLOS)
    html = client.get(reverse("directory:index"), {"q": "Villiers-le-Sec"}).content.decode()
    line = _commune_line(html, alone.code)
    assert "data-no-cls" in line and closed.nom not in line and "dd14@ars.example.fr" in line
    html = client.get(reverse("directory:index"), {"q": "Nulle-Part-sur-Mer"}).content.decode()
    assert "data-no-commune" in html


def test_every_delegation_is_listed_with_its_contact_even_without_an_active_cls(client, world):
    own = world.own
    empty_dep = f.DepartementFactory(code="27", nom="Eure", region=own.region)
    empty = f.DelegationFactory(departement=empty_dep, ars=own.delegation.ars, email="dd27@ars.example.fr")
    own.delegation.ars.email = "cls@ars-normandie.example.fr"
    own.delegation.ars.save()
    html = client.get(reverse("directory:index"), {"region": own.region.code}).content.decode()
    row = re.search(r'data-delegation="27">(.*?)</tr>', html, re.S).group(1)
    assert empty.nom in row and "dd27@ars.example.fr" in row and "<td>0</td>" in row
    assert 'data-delegation="14"' in html and "cls@ars-normandie.example.fr" in html
    assert 'data-delegation="52"' not in html  # another région's délégation is not in this selection


def test_map_links_each_departement_and_colours_by_share_covered(client, world):
    html = client.get(reverse("directory:index")).content.decode()
    paths = dict(re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"[^>]*data-departement="([0-9AB]{2})"', html))
    assert len(re.findall(r'data-departement="', html)) == 96  # metropolitan France
    fills = {code: fill for fill, code in re.findall(
        r'fill="(#[0-9a-f]{6})"[^>]*data-departement="([0-9AB]{2})"', html)}
    assert fills["14"] != "#f6f6f6" and fills["52"] != "#f6f6f6"  # both tenants have an active CLS
    assert fills["75"] == "#f6f6f6"
    assert 'href="?departement=14#resultats"' in html
    assert paths  # parsed


def test_departement_filter_without_region(client, world):
    own = world.own
    html = client.get(reverse("directory:index"), {"departement": own.departement.code}).content.decode()
    assert own.contract.nom in html and world.other.contract.nom not in html


def test_the_site_root_sends_an_anonymous_visitor_to_the_directory(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("directory:index")
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'href="/connexion/"' in page.content.decode()


@pytest.mark.parametrize("typed", ["evreux", "EVREUX", "Évreux", "  évreux "])
def test_a_name_typed_without_its_accents_finds_the_commune_and_its_cls(client, world, typed):
    """A resident types « evreux » for Évreux, « saint etienne » for Saint-Étienne: accents, case, hyphens and
    extra spaces aside (the name is folded by the database, `nom_recherche`). The commune named exactly comes
    first, before a bigger one whose name holds it."""
    own = world.own
    evreux = f.CommuneFactory(departement=own.departement, nom="Évreux", code="27229", epci=None, population=46000)
    f.CommuneFactory(departement=own.departement, nom="Le Vieil-Évreux", code="27684", epci=None, population=900000)
    contract = f.ContractFactory(nom="CLS d'Évreux Portes de Normandie", ars=own.delegation.ars,
                                 delegations=[own.delegation], communes=[evreux], epci=None)
    html = client.get(reverse("directory:index"), {"q": typed}).content.decode()
    assert escape(contract.nom) in _commune_line(html, "27229")
    assert html.index('data-commune="27229"') < html.index('data-commune="27684"')


def test_a_contract_or_collectivite_named_without_accents_is_found(client, world):
    own = world.own
    org = f.OrganisationFactory(nom="Communauté d'agglomération Seine-Eure")
    contract = f.ContractFactory(nom="CLS de l'Agglomération Seine-Eure 2024-2028", ars=own.delegation.ars,
                                 delegations=[own.delegation], collectivite=org)
    for typed in ("agglomeration seine eure", "communaute d'agglomeration", "SEINE-EURE"):
        html = client.get(reverse("directory:index"), {"q": typed}).content.decode()
        assert reverse("directory:contract", args=[contract.pk]) in html, typed


def test_punctuation_alone_names_nothing(client, world):
    """« -- » or « ' » fold to nothing: no commune listed, no contract matched (not every one of them)."""
    for typed in ("--", "' '"):
        response = client.get(reverse("directory:index"), {"q": typed})
        html = response.content.decode()
        assert "data-commune=" not in html and world.own.contract.nom not in html, typed
