"""The drafts of a contract signed before it came into the portal, recorded as its signed plan from the plan page.

Sheets typed in by hand (« Ajouter une fiche action ») or imported as drafts before the plan import could record
a signed plan stay drafts that only an avenant validates, and an avenant cannot add the signed plan itself. While
`permissions.can_record_signed_plan` holds, the coordinator sees a box above the plan, ticks « Ces fiches sont
celles du plan signé le … » and the drafts become validated (`services.plan_record_signed`).
"""

import pytest
from django.test import Client
from django.urls import reverse

from actions.enums import ActionEvent, FicheStatut
from actions.models import FicheAction
from cls_portal.core.models import HistoryEntry
from contracts.enums import Phase
from tests import factories as f
from tests.worlds.actions import signed_before_portal

pytestmark = pytest.mark.django_db

BOX = "n'est pas encore dans le portail"
CONFIRM = "Ces fiches sont celles du plan signé le 12/10/2022"


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _text(response):
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def _plan(user, contract):
    return _client(user).get(reverse("actions:plan", args=[contract.pk]))


def _record(user, contract, data):
    return _client(user).post(reverse("actions:plan_record_signed", args=[contract.pk]), data)


def test_the_coordinator_sees_the_box_with_the_number_of_drafts(world):
    contract = signed_before_portal(world.own)
    f.FicheActionFactory(axe=contract.axes.get(), numero=3, statut=FicheStatut.SOUMISE)
    text = _text(_plan(world.own.people["coordinateur"], contract))
    assert BOX in text
    assert "2 fiches en brouillon" in text
    assert "vous ne pourrez pas le défaire" in text
    assert "1 fiche soumise à la délégation ou à modifier n'est pas concernée" in text
    assert CONFIRM in text
    assert 'name="confirme"' in text and "checked" not in text.split('name="confirme"')[1].split(">")[0]


@pytest.mark.parametrize("role", ["delegation", "pilote", "region", "elu"])
def test_no_box_for_who_does_not_edit_the_plan(world, role):
    contract = signed_before_portal(world.own)
    response = _plan(world.own.people[role], contract)
    assert response.status_code == 200
    assert BOX not in _text(response)


def test_no_box_once_a_sheet_is_validated(world):
    contract = signed_before_portal(world.own)
    f.FicheActionFactory(axe=contract.axes.get(), numero=3, statut=FicheStatut.VALIDEE)
    assert BOX not in _text(_plan(world.own.people["coordinateur"], contract))


def test_no_box_for_a_contract_signed_in_the_portal(world):
    # The world's contract was signed in the portal: its plan holds validated sheets, and a draft.
    contract = world.own.contract
    assert contract.fiches.filter(statut=FicheStatut.BROUILLON).exists()
    assert contract.fiches.exclude(statut=FicheStatut.BROUILLON).exists()
    assert BOX not in _text(_plan(world.own.people["coordinateur"], contract))


def test_no_box_before_signature_nor_without_drafts(world):
    contract = signed_before_portal(world.own)
    contract.phase, contract.date_signature = Phase.DIAGNOSTIC, None
    contract.save()
    assert BOX not in _text(_plan(world.own.people["coordinateur"], contract))
    empty = signed_before_portal(world.other, drafts=0)
    assert BOX not in _text(_plan(world.other.people["coordinateur"], empty))


def test_without_the_confirmation_nothing_is_recorded(world):
    contract = signed_before_portal(world.own)
    before = HistoryEntry.objects.count()
    response = _record(world.own.people["coordinateur"], contract, {})
    assert response.status_code == 200
    text = _text(response)
    assert "Cochez la case pour confirmer que ces fiches sont celles du plan signé le 12/10/2022" in text
    assert "fr-checkbox-group--error" in text
    assert set(contract.fiches.values_list("statut", flat=True)) == {FicheStatut.BROUILLON}
    assert HistoryEntry.objects.count() == before


def test_the_drafts_become_the_signed_plan(world):
    contract = signed_before_portal(world.own)
    soumise = f.FicheActionFactory(axe=contract.axes.get(), numero=3, statut=FicheStatut.SOUMISE)
    coordinator = world.own.people["coordinateur"]
    client = _client(coordinator)
    response = client.post(reverse("actions:plan_record_signed", args=[contract.pk]), {"confirme": "on"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("actions:plan", args=[contract.pk])
    text = _text(response)
    assert "Plan d'action signé le 12/10/2022 enregistré : 2 fiches validées." in text
    assert BOX not in text  # the rule no longer holds
    statuts = dict(contract.fiches.values_list("numero", "statut"))
    assert statuts == {1: FicheStatut.VALIDEE, 2: FicheStatut.VALIDEE, 3: FicheStatut.SOUMISE}
    assert soumise.pk not in HistoryEntry.objects.filter(action=ActionEvent.FICHE_PLAN_SIGNE).values_list(
        "object_id", flat=True)
    lines = HistoryEntry.objects.filter(action=ActionEvent.FICHE_PLAN_SIGNE, actor=coordinator)
    assert sorted(lines.values_list("object_id", flat=True)) == sorted(
        FicheAction.objects.filter(contract=contract, numero__in=[1, 2]).values_list("pk", flat=True))
    assert HistoryEntry.objects.filter(action=ActionEvent.PLAN_SIGNE_ENREGISTRE, actor=coordinator).count() == 1
    # Once recorded, a second request is refused by the service and changes nothing.
    again = client.post(reverse("actions:plan_record_signed", args=[contract.pk]), {"confirme": "on"}, follow=True)
    assert "déjà dans le portail" in _text(again)
    assert HistoryEntry.objects.filter(action=ActionEvent.PLAN_SIGNE_ENREGISTRE).count() == 1


def test_another_tenant_gets_404_and_the_delegation_403(world):
    contract = signed_before_portal(world.own)
    assert _record(world.other.people["coordinateur"], contract, {"confirme": "on"}).status_code == 404
    client = Client()  # the 403 page, not an exception
    client.force_login(world.own.people["delegation"])
    response = client.post(reverse("actions:plan_record_signed", args=[contract.pk]), {"confirme": "on"})
    assert response.status_code == 403
    assert set(contract.fiches.values_list("statut", flat=True)) == {FicheStatut.BROUILLON}
