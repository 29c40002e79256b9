"""A milestone of a running sheet is recorded as reached by its pilot or the coordinator, without an avenant.

The pilot's « Mes fiches » listed « Jalon en retard · « Bilan en COPIL » prévu le 30/06/2025 » and linked to the
sheet page, where nobody could record it: after signature a validated sheet changes only by an avenant, and the
milestones were part of its edit form. The item could never be cleared.
"""

import datetime as dt

import pytest
from django.urls import reverse

from actions import permissions, services
from actions.enums import ActionEvent, FicheStatut
from actions.models import Jalon
from cls_portal.core import worklist
from cls_portal.core.errors import DomainError
from cls_portal.core.history import history_for, line

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def jalon(world):
    return Jalon.objects.create(fiche=world.own.fiche_validee, libelle="Bilan en COPIL",
                                date_prevue=dt.date(2025, 6, 30))


def _overdue(user):
    fresh = type(user).objects.get(pk=user.pk)  # the work list is memoised on the user object
    return [i for i in worklist.items_for(fresh, worklist.PILOTE, TODAY) if i.kind == "jalon_en_retard"]


def test_the_pilot_clears_an_overdue_milestone_from_the_item_it_links_to(client, world, jalon):
    pilote = world.own.people["pilote"]
    (item,) = _overdue(pilote)
    assert item.url == reverse("actions:jalon_done", args=[jalon.pk])
    client.force_login(pilote)
    page = client.get(item.url).content.decode()
    assert "Réalisation du jalon « Bilan en COPIL »" in page and "Prévu le 30/06/2025." in page
    r = client.post(item.url, {"date_realisee": "2025-07-02"})
    assert r.status_code == 302 and r["Location"].endswith("#calendrier")
    jalon.refresh_from_db()
    assert jalon.date_realisee == dt.date(2025, 7, 2)
    assert _overdue(pilote) == []
    entry = line(history_for(world.own.fiche_validee).get(action=ActionEvent.JALON_REALISE))
    assert entry.sentence.startswith("Réalisation du jalon « Bilan en COPIL » de la fiche 1.12 enregistrée")
    assert entry.details == ["Date de réalisation : 02/07/2025"]


def test_a_future_day_is_refused_next_to_the_field(client, world, jalon):
    client.force_login(world.own.people["pilote"])
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    r = client.post(reverse("actions:jalon_done", args=[jalon.pk]), {"date_realisee": tomorrow.isoformat()})
    assert r.status_code == 200
    assert "date future" in " ".join(r.context["form"].errors["date_realisee"])
    r = client.post(reverse("actions:jalon_done", args=[jalon.pk]), {"date_realisee": "pas une date"})
    assert r.context["form"].errors["date_realisee"]
    jalon.refresh_from_db()
    assert jalon.date_realisee is None


def test_the_sheet_page_offers_it_to_those_who_may(client, world, jalon):
    url = reverse("actions:fiche_detail", args=[jalon.fiche_id])
    link = reverse("actions:jalon_done", args=[jalon.pk])
    for role, shown in (("pilote", True), ("coordinateur", True), ("delegation", False), ("elu", False)):
        client.force_login(world.own.people[role])
        assert (link in client.get(url).content.decode()) is shown, role


def test_only_running_sheets_and_their_own_people(world, jalon):
    fiche = jalon.fiche
    assert permissions.can_record_milestone(world.own.people["pilote"], fiche)[0]
    assert not permissions.can_record_milestone(world.own.people["delegation"], fiche)[0]
    fiche.statut = FicheStatut.BROUILLON
    fiche.save(update_fields=["statut"])
    allowed, reason = permissions.can_record_milestone(world.own.people["coordinateur"], fiche)
    assert not allowed and "validées par la délégation" in reason
    with pytest.raises(DomainError, match="validées par la délégation"):
        services.jalon_record_done(actor=world.own.people["coordinateur"], jalon_id=jalon.pk,
                                   date_realisee=dt.date(2025, 7, 1))


def _starts(contract, day):
    type(contract).objects.filter(pk=contract.pk).update(date_debut_prealable=day)


def test_a_day_before_the_contract_began_is_refused_next_to_the_field_naming_the_start(client, world, jalon):
    _starts(world.own.contract, dt.date(2023, 9, 15))
    client.force_login(world.own.people["pilote"])
    r = client.post(reverse("actions:jalon_done", args=[jalon.pk]), {"date_realisee": "1990-01-01"})
    assert r.status_code == 200
    assert r.context["form"].errors["date_realisee"] == [
        "La date de réalisation (01/01/1990) ne peut pas précéder le début du contrat : sa phase préalable a "
        "commencé le 15/09/2023."]
    jalon.refresh_from_db()
    assert jalon.date_realisee is None
    r = client.post(reverse("actions:jalon_done", args=[jalon.pk]), {"date_realisee": "2023-09-15"})
    assert r.status_code == 302  # the first day of the contract is a day of it


def test_the_service_itself_refuses_a_day_before_the_contract_began(world, jalon):
    _starts(world.own.contract, dt.date(2023, 9, 15))
    with pytest.raises(DomainError) as err:
        services.jalon_record_done(actor=world.own.people["pilote"], jalon_id=jalon.pk,
                                   date_realisee=dt.date(2023, 9, 14), today=TODAY)
    assert err.value.field == "date_realisee" and "15/09/2023" in str(err.value)
