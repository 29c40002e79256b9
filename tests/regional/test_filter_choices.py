"""Lists offer only the départements and régions the user may see (`contracts.selectors.departements_for`)."""

import re

import pytest
from django.urls import reverse


def options(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else None


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["regional:contracts", "regional:fiches", "regional:indicateurs", "contracts:list",
                                  "funding:home"])
def test_region_and_delegation_users_see_their_own_departements_only(client, world, page):
    own, other = world.own, world.other
    for role in ("region", "delegation", "coordinateur"):
        client.force_login(own.people[role])
        html = client.get(reverse(page)).content.decode()
        assert own.departement.code in options(html, "departement"), role
        assert other.departement.code not in options(html, "departement"), role
        assert other.departement.nom not in html, role
        if page == "regional:contracts":
            assert options(html, "region") == ["", own.region.code], role


@pytest.mark.django_db
def test_administrators_pick_any_departement_and_region(client, world):
    client.force_login(world.users["admin"])
    html = client.get(reverse("regional:contracts")).content.decode()
    assert {world.own.departement.code, world.other.departement.code} <= set(options(html, "departement"))
    assert {world.own.region.code, world.other.region.code} <= set(options(html, "region"))


@pytest.mark.django_db
def test_another_territory_s_departement_in_the_url_is_an_error_next_to_the_field(client, world):
    client.force_login(world.own.people["region"])
    response = client.get(reverse("regional:contracts"), {"departement": world.other.departement.code})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert world.other.contract.nom not in response.content.decode()
