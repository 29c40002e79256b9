"""The administrator's invitation page offers the départements grouped by région (a fieldset and its legend per
région, a label per box), not a flat list of a hundred boxes; a délégation invitation names départements of one
région only (one ARS), refused on the server next to the field whatever the page sent."""

import re

import pytest
from django.urls import reverse

from cls_portal.accounts import services
from cls_portal.accounts.models import Invitation, Role
from cls_portal.core.errors import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db


def _region_groups(html: str) -> dict[str, set[str]]:
    """Région legend -> the values of the boxes of its fieldset."""
    groups = {}
    for block in html.split('class="fr-fieldset cls-departements-region"')[1:]:
        block = block.split("</fieldset>")[0]
        legend = re.search(r"<legend[^>]*>([^<]+)</legend>", block).group(1).strip()
        groups[legend] = set(re.findall(r'name="departements" value="([^"]+)"', block))
    return groups


def test_the_admin_sees_one_group_of_boxes_per_region(client, world):
    own, other = world.own, world.other
    second = f.DepartementFactory(code="9B", nom="Autre département", region=own.region)
    client.force_login(world.users["admin"])
    html = client.get(reverse("accounts:invitations")).content.decode()
    groups = _region_groups(html)
    assert groups[own.region.nom] == {own.departement.code, second.code}
    assert groups[other.region.nom] == {other.departement.code}
    # Every box has its label, and the whole choice its legend and the rule in words.
    for code in (own.departement.code, second.code, other.departement.code):
        box_id = re.search(rf'<input type="checkbox" name="departements" value="{code}"[^>]*id="([^"]+)"',
                           html).group(1)
        assert f'<label class="fr-label" for="{box_id}">' in html
    assert "Départements (délégation)" in html and "une même région" in html


def test_a_delegation_across_two_regions_is_refused_next_to_the_field(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("accounts:invitations"), {
        "email": "agent@example.fr", "role": Role.DELEGATION,
        "departements": [world.own.departement.code, world.other.departement.code]})
    assert response.status_code == 200
    assert "une seule ARS" in response.context["form"].errors["departements"][0]
    assert not Invitation.objects.filter(email="agent@example.fr").exists()


@pytest.mark.parametrize("as_codes", [False, True])
def test_the_service_refuses_departements_of_two_regions(world, as_codes):
    deps = [world.own.departement, world.other.departement]
    with pytest.raises(DomainError, match="une seule ARS") as err:
        services.invitation_create(actor=world.users["admin"], email="agent@example.fr", role=Role.DELEGATION,
                                   departements=[d.code for d in deps] if as_codes else deps)
    assert err.value.field == "departements"


def test_two_departements_of_one_region_are_accepted(client, world):
    second = f.DepartementFactory(code="9B", nom="Autre département", region=world.own.region)
    client.force_login(world.users["admin"])
    response = client.post(reverse("accounts:invitations"), {
        "email": "agent@example.fr", "role": Role.DELEGATION,
        "departements": [world.own.departement.code, second.code]})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="agent@example.fr")
    assert set(invitation.departements.values_list("code", flat=True)) == {world.own.departement.code, second.code}
