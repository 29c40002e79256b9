"""The people page of a contract offers, for a pilot, the organisations of the contract's région only (as every
organisation list of a form): a national portal would otherwise list the partners of all 18 régions."""

from django.urls import reverse

from cls_portal.accounts.models import Invitation, Role


def test_pilot_organisations_are_those_of_the_contract_region(client, world):
    own, other = world.own, world.other
    client.force_login(own.people["coordinateur"])
    url = reverse("people:people", kwargs={"pk": own.contract.pk})
    page = client.get(url).content.decode()
    assert own.extra["pilote_org"].nom in page
    assert other.extra["pilote_org"].nom not in page
    response = client.post(url, {"email": "pilote.ailleurs@example.fr", "role": Role.PILOTE,
                                 "organisation": other.extra["pilote_org"].pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.filter(email="pilote.ailleurs@example.fr").exists()
