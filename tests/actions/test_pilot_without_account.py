"""A sheet's pilot may be a person without an account (name and e-mail kept on the sheet): the sheet is
then complete ("manque : la personne pilote" no longer shows). Organisation lists are the région's."""

import pytest
from django.urls import reverse

from actions.models import FicheAction
from actions.selectors import fiche_missing
from tests.actions.test_fiche_form import _payload

pytestmark = pytest.mark.django_db


def test_coordinator_names_a_pilot_without_account_and_the_sheet_is_complete(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(
        own, pilote_personne="", pilote_nom="Claire Martin", pilote_email="claire.martin@ccas-bayeux.fr"))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    assert fiche.pilote_personne is None and fiche.pilote_nom == "Claire Martin"
    assert "la personne pilote" not in fiche_missing(fiche)
    page = client.get(r["Location"]).content.decode()
    assert "Claire Martin" in page and "sans compte" in page and "La fiche est complète." in page


def test_without_any_pilot_the_guard_still_asks_for_one(world):
    fiche = world.own.fiche
    fiche.pilote_personne = None
    assert "la personne pilote" in fiche_missing(fiche)


@pytest.mark.parametrize("extra,field,message", [
    ({"pilote_nom": "Claire Martin"}, "pilote_nom", "Le pilote a déjà un compte"),
    ({"pilote_personne": "", "pilote_email": "claire@example.fr"}, "pilote_nom", "Indiquez le nom du pilote"),
    ({"pilote_personne": "", "pilote_nom": "Claire", "pilote_email": "claire@"}, "pilote_email", "adresse"),
])
def test_pilot_fields_refuse_contradictions_next_to_the_field(client, world, extra, field, message):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(own, **extra))
    assert r.status_code == 200
    assert any(message in e for e in r.context["form"].errors[field]), r.context["form"].errors
    assert not FicheAction.objects.filter(titre="Bus santé itinérant").exists()


def test_pilot_organisation_choices_are_the_contract_region_s(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.get(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}))
    offered = set(r.context["form"].fields["pilote_organisation"].queryset)
    assert own.pilote_org in offered and world.other.pilote_org not in offered
