"""A sheet names the working group that designed it and the meetings that worked on it; each meeting lists its
sheets on the contract page (issue 21 item 7)."""

import datetime as dt

import pytest
from django.urls import reverse

from actions import services
from cls_portal.core.errors import DomainError
from contracts import services as contract_services
from contracts.enums import InstanceType

pytestmark = pytest.mark.django_db


def _group_and_meeting(tenant, nom="Groupe de travail « Santé mentale »"):
    coord = tenant.people["coordinateur"]
    group = contract_services.instance_create(actor=coord, contract=tenant.contract, type=InstanceType.GROUPE_TRAVAIL,
                                              nom=nom)
    meeting = contract_services.meeting_create(actor=coord, contract=tenant.contract, instance=group,
                                               date=dt.date(2025, 3, 12), lieu="Maison de santé")
    return group, meeting


def test_sheet_group_and_meetings_shown_on_the_sheet_and_the_contract_page(client, world):
    own = world.own
    group, meeting = _group_and_meeting(own)
    fiche = own.fiche
    services.fiche_update(actor=own.people["coordinateur"], fiche_id=fiche.pk, expected_version=fiche.version,
                          data={"groupe_travail": group}, reunions=[meeting])
    fiche.refresh_from_db()
    assert fiche.groupe_travail == group and list(fiche.reunions.all()) == [meeting]
    client.force_login(own.people["coordinateur"])
    sheet = client.get(reverse("actions:fiche_detail", args=[fiche.pk])).content.decode()
    assert "Groupe de travail « Santé mentale » ; travaillée en réunion le 12/03/2025" in sheet.replace("&quot;", '"')
    page = client.get(reverse("contracts:detail", args=[own.contract.pk])).content.decode()
    assert f"Fiches travaillées : {fiche.code} {fiche.titre}" in page


def test_a_group_or_a_meeting_of_another_contract_is_refused(world):
    own, other = world.own, world.other
    group, meeting = _group_and_meeting(other)
    with pytest.raises(DomainError, match="groupe de travail de ce contrat"):
        services.fiche_update(actor=own.people["coordinateur"], fiche_id=own.fiche.pk,
                              expected_version=own.fiche.version, data={"groupe_travail": group})
    with pytest.raises(DomainError, match="n'appartient pas à ce contrat"):
        services.fiche_update(actor=own.people["coordinateur"], fiche_id=own.fiche.pk,
                              expected_version=own.fiche.version, data={}, reunions=[meeting])
