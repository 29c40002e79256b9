"""The regional network of coordinators (issue 21 item 4): a directory of the région's coordinators (contact, CLS,
themes) for its coordinators and ARS staff, filterable and with constant queries; the regional team's events,
invitations to the région's coordinators and attendance; a coordinator sees his own."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ChampAction
from cls_portal.accounts.models import Role
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.notifications.models import Notification
from network import permissions, selectors, services
from network.enums import EventType, Presence
from network.models import Event
from tests import factories as f
from tests.queries import assert_snapshot_queries


def _text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _coordinators(tenant, n, champ=None):
    """`n` more contracts of the tenant's département, each with its coordinator and an axe of `champ`."""
    made = []
    for i in range(n):
        coord = f.with_role(f.UserFactory(first_name="Coord", last_name=f"Num{i:02d}"), Role.COORDINATEUR)
        contract = f.ContractFactory(ars=tenant.delegation.ars, delegations=[tenant.delegation], coordinators=[coord])
        axe = f.AxeFactory(contract=contract, numero=1, titre="Prévention")
        if champ is not None:
            axe.champs.add(champ)
        made.append(coord)
    return made


def _names(html):
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", html)


@pytest.mark.django_db
def test_the_directory_lists_the_regions_coordinators_with_contact_cls_and_themes(client, world):
    own = world.own
    champ = ChampAction.objects.get_or_create(libelle="Santé mentale")[0]
    own.axe.champs.add(champ)
    services.contact_update(actor=own.people["coordinateur"], email="", telephone="02 31 51 00 00")
    client.force_login(own.people["delegation"])
    html = client.get(reverse("network:directory")).content.decode()
    text = _text(html)
    coord = own.people["coordinateur"]
    assert coord.get_full_name() in text and "02 31 51 00 00" in text and coord.email in text
    assert reverse("contracts:detail", args=[own.contract.pk]) in html and "Santé mentale" in text
    assert world.other.people["coordinateur"].get_full_name() not in text  # another région's network


@pytest.mark.django_db
def test_the_directory_filters_by_departement_and_theme(client, world):
    own = world.own
    champ = ChampAction.objects.get_or_create(libelle="Santé environnementale")[0]
    made = _coordinators(own, 2, champ=champ)
    other_dep = f.DepartementFactory(code="50", nom="Manche", region=own.region)
    coord50 = f.with_role(f.UserFactory(first_name="Zoé", last_name="Manchoise"), Role.COORDINATEUR)
    f.ContractFactory(ars=own.delegation.ars, delegations=[f.DelegationFactory(departement=other_dep)],
                      coordinators=[coord50])
    client.force_login(own.people["region"])
    url = reverse("network:directory")
    everyone = _names(client.get(url).content.decode())
    assert len(everyone) == 4
    assert _names(client.get(url + "?departement=50").content.decode()) == ["Zoé Manchoise"]
    assert _names(client.get(url + f"?champ={champ.pk}").content.decode()) == [u.get_full_name() for u in made]
    assert _names(client.get(url + f"?departement=50&champ={champ.pk}").content.decode()) == []


@pytest.mark.django_db
def test_the_directory_runs_the_same_queries_for_one_and_for_many_coordinators(client, world, snapshot):
    own = world.own
    own.axe.champs.add(ChampAction.objects.get_or_create(libelle="Accès aux soins")[0])
    client.force_login(own.people["coordinateur"])
    url = reverse("network:directory")
    counts = []
    for n in (0, 12):  # the world's one coordinator, then thirteen
        _coordinators(own, n, champ=ChampAction.objects.first())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with assert_snapshot_queries(snapshot):
        client.get(url)


@pytest.mark.django_db
def test_only_the_regions_coordinators_and_ars_staff_are_members(world):
    own = world.own
    for role in ("coordinateur", "delegation", "region"):
        assert selectors.network_region_codes(own.people[role]) == {own.region.code}, role
        assert permissions.can_view_network(own.people[role])[0], role
    for role in ("pilote", "elu"):
        allowed, reason = permissions.can_view_network(own.people[role])
        assert not allowed and "réservé aux coordinateurs" in reason
    assert permissions.can_manage_event(own.people["region"], own.event)[0]
    assert not permissions.can_manage_event(own.people["region"], world.other.event)[0]
    assert not permissions.can_manage_events(own.people["coordinateur"])[0]


@pytest.mark.django_db
def test_an_event_invites_the_regions_coordinators_and_notifies_them(world):
    own, team = world.own, world.own.people["region"]
    newcomer = _coordinators(own, 1)[0]
    event = services.event_create(actor=team, region=own.region, data={
        "titre": "Journée de formation", "type": EventType.FORMATION, "date": dt.date(2027, 2, 10), "lieu": "Rouen"})
    invited = set(event.invitations.values_list("user_id", flat=True))
    assert invited == {own.people["coordinateur"].pk, newcomer.pk}
    assert world.other.people["coordinateur"].pk not in invited
    note = Notification.objects.get(user=newcomer, kind="reseau")
    assert note.title == "Invitation : Journée de formation, le 10/02/2027"
    assert note.body == "Journée de formation. Lieu : Rouen."
    # Inviting again adds only those who took up their post since.
    with pytest.raises(DomainError, match="déjà invités"):
        services.event_invite(actor=team, event=event)
    later = _coordinators(own, 1)[0]
    assert services.event_invite(actor=team, event=event) == 1
    assert event.invitations.filter(user=later).exists()


@pytest.mark.django_db
def test_an_invitation_names_its_place_whatever_its_wording(world):
    """The form suggests « en visioconférence » as a place: the notification read « …, à En visioconférence »."""
    own, team = world.own, world.own.people["region"]
    services.event_create(actor=team, region=own.region, data={
        "titre": "Préparer l'évaluation", "type": EventType.REUNION, "date": dt.date(2027, 2, 10),
        "lieu": "En visioconférence"})
    services.event_create(actor=team, region=own.region, data={
        "titre": "Sans lieu", "type": EventType.ECHANGE, "date": dt.date(2027, 3, 10)})
    bodies = set(Notification.objects.filter(user=own.people["coordinateur"], kind="reseau",
                                             title__contains=", le 10/0").values_list("body", flat=True))
    assert bodies == {"Réunion régionale des coordinateurs. Lieu : En visioconférence.", "Échange de pratiques."}


@pytest.mark.django_db
def test_attendance_is_recorded_from_the_day_of_the_event_with_its_history(world):
    own, team = world.own, world.own.people["region"]
    today = timezone.localdate()
    future = services.event_create(actor=team, region=own.region, data={
        "titre": "Échange de pratiques", "type": EventType.ECHANGE, "date": today + dt.timedelta(days=3)})
    invitation = future.invitations.get()
    with pytest.raises(DomainError, match="à partir de ce jour-là"):
        services.attendance_record(actor=team, event=future, presences={invitation.pk: Presence.PRESENT})
    with pytest.raises(DomainError, match="pas invitée"):
        services.attendance_record(actor=team, event=own.event, presences={invitation.pk: Presence.PRESENT})
    past_invitation = own.event_invitation
    assert services.attendance_record(actor=team, event=own.event,
                                      presences={past_invitation.pk: Presence.EXCUSE}) == 1
    assert services.attendance_record(actor=team, event=own.event,
                                      presences={past_invitation.pk: Presence.EXCUSE}) == 0  # nothing changed
    line = history.lines(history.history_for(own.event))[0]
    coord = own.people["coordinateur"].get_full_name()
    assert line.sentence == f"Présences enregistrées pour « {own.event.titre} » par {team.get_full_name()}"
    assert line.details == [f"Présences : {coord} : non renseigné → Excusé"]


@pytest.mark.django_db
def test_a_coordinator_sees_upcoming_and_past_events_and_his_own_attendance(client, world):
    own = world.own
    services.attendance_record(actor=own.people["region"], event=own.event,
                               presences={own.event_invitation.pk: Presence.PRESENT})
    upcoming = services.event_create(actor=own.people["region"], region=own.region, data={
        "titre": "Formation à l'évaluation", "type": EventType.FORMATION,
        "date": timezone.localdate() + dt.timedelta(days=20)})
    client.force_login(own.people["coordinateur"])
    text = _text(client.get(reverse("network:events")).content.decode())
    assert text.index("À venir") < text.index(upcoming.titre) < text.index("Passées") < text.index(own.event.titre)
    assert f"{own.event.titre} Réunion régionale des coordinateurs Caen Présent" in text
    assert world.other.event.titre not in text
    detail = _text(client.get(reverse("network:event_detail", args=[own.event.pk])).content.decode())
    assert "Vous êtes invité ; présence enregistrée : présent ." in detail.replace("présent.", "présent .")
    assert "Enregistrer les présences" not in detail


@pytest.mark.django_db
def test_the_regional_team_records_attendance_on_the_event_page(client, world):
    own = world.own
    client.force_login(own.people["region"])
    url = reverse("network:event_detail", args=[own.event.pk])
    assert "Enregistrer les présences" in client.get(url).content.decode()
    response = client.post(reverse("network:attendance", args=[own.event.pk]),
                           {f"presence_{own.event_invitation.pk}": "absent"})
    assert response.status_code == 302
    own.event_invitation.refresh_from_db()
    assert own.event_invitation.presence == Presence.ABSENT
    assert "1 coordinateur invité : 0 présent, 0 excusé, 1 absent." in _text(client.get(url).content.decode())


@pytest.mark.django_db
def test_bad_input_gets_a_french_message_next_to_the_field(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    response = client.post(reverse("network:contact"), {"telephone": "appelez-moi"})
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone, par exemple 02 31 00 00 00." in response.content.decode()
    client.force_login(own.people["region"])
    count = Event.objects.count()
    response = client.post(reverse("network:event_create"), {"region": own.region.pk, "titre": "", "type": "x",
                                                              "date": "31/02/2027"})
    assert response.status_code == 200 and Event.objects.count() == count
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html and "Sélectionnez un choix valide" in html


@pytest.mark.django_db
def test_a_new_region_sets_up_its_network_from_an_empty_database(client):
    """No seed: the regional team creates an event with the form; the région's coordinator is invited and sees it."""
    region = f.RegionFactory(code="53", nom="Bretagne")
    dep = f.DepartementFactory(code="35", nom="Ille-et-Vilaine", region=region)
    delegation = f.DelegationFactory(departement=dep)
    team = f.with_role(f.UserFactory(), Role.REGION, region=region)
    coord = f.with_role(f.UserFactory(first_name="Yann", last_name="Le Gall"), Role.COORDINATEUR)
    f.ContractFactory(ars=delegation.ars, delegations=[delegation], coordinators=[coord])
    client.force_login(team)
    response = client.post(reverse("network:event_create"), {
        "region": region.pk, "titre": "Réunion régionale des coordinateurs", "type": "reunion_regionale",
        "date": "2027-03-25", "lieu": "Rennes", "inviter": "on"})
    event = Event.objects.get(region=region)
    assert response.status_code == 302 and response["Location"] == reverse("network:event_detail", args=[event.pk])
    client.force_login(coord)
    assert "Réunion régionale des coordinateurs" in client.get(reverse("network:events")).content.decode()
    assert "Yann Le Gall" in client.get(reverse("network:directory")).content.decode()


@pytest.mark.django_db
def test_each_coordinators_attendance_is_for_the_ars_a_coordinator_reads_his_own(client, world):
    own = world.own
    peer = _coordinators(own, 1)[0]
    invitation = own.event.invitations.create(user=peer)
    services.attendance_record(actor=own.people["region"], event=own.event,
                               presences={invitation.pk: Presence.ABSENT, own.event_invitation.pk: Presence.PRESENT})
    url = reverse("network:event_detail", args=[own.event.pk])
    client.force_login(own.people["coordinateur"])
    text = _text(client.get(url).content.decode())
    assert "présence enregistrée : présent" in text and peer.get_full_name() in text and "Absent" not in text
    client.force_login(own.people["delegation"])
    assert f"{peer.get_full_name()} Absent" in _text(client.get(url).content.decode())


@pytest.mark.django_db
def test_news_is_relayed_to_the_regions_coordinators_only(client, world):
    """ARS Grand Est: « en relayant régulièrement des informations et actualités »: the regional team publishes,
    each coordinator of its région is notified and reads it; another région's network never sees it."""
    own, other = world.own, world.other
    client.force_login(own.people["region"])
    r = client.post(reverse("network:news_create"), {"region": own.region.pk, "titre": "", "texte": "",
                                                     "lien": "pas une adresse"})
    assert r.status_code == 200 and set(r.context["form"].errors) == {"titre", "texte", "lien"}
    r = client.post(reverse("network:news_create"), {
        "region": own.region.pk, "titre": "Appel à projets prévention 2027",
        "texte": "Dépôt des dossiers jusqu'au 15 mars 2027.", "lien": "https://www.ars.sante.fr/aap"})
    assert r.status_code == 302 and r["Location"] == reverse("network:news")
    coordinator = own.people["coordinateur"]
    note = Notification.objects.get(user=coordinator, title="Actualité du réseau : Appel à projets prévention 2027")
    assert note.url.startswith(reverse("network:news") + "#actualite-")
    assert not Notification.objects.filter(user=other.people["coordinateur"], title__contains="Appel à projets")
    client.force_login(coordinator)
    page = _text(client.get(reverse("network:news")).content.decode())
    assert "Appel à projets prévention 2027" in page and "Dépôt des dossiers jusqu'au 15 mars 2027." in page
    assert "En savoir plus" in page
    client.force_login(other.people["coordinateur"])
    assert "Appel à projets" not in client.get(reverse("network:news")).content.decode()
    # a region-less form cannot publish in another région
    client.force_login(own.people["region"])
    r = client.post(reverse("network:news_create"), {"region": other.region.pk, "titre": "x", "texte": "y"})
    assert r.status_code == 200 and "region" in r.context["form"].errors


@pytest.mark.django_db
def test_a_news_item_is_in_history_in_words(world):
    news = services.news_publish(actor=world.own.people["region"], region=world.own.region, titre="  Formation  ",
                                 texte="Le 12 février à Caen.")
    assert news.titre == "Formation"
    line = history.history_for(news).get()
    assert line.changes == {"destinataires": [None, 1]}
    with pytest.raises(DomainError) as refused:
        services.news_publish(actor=world.own.people["region"], region=world.own.region, titre="x", texte="  ")
    assert refused.value.field == "texte"


@pytest.mark.django_db
def test_an_event_has_its_hours_in_the_invitation_the_pages_and_the_history(client, world):
    own, team = world.own, world.own.people["region"]
    client.force_login(team)
    response = client.post(reverse("network:event_create"), {
        "region": own.region.pk, "titre": "Atelier évaluation", "type": EventType.FORMATION, "date": "2027-03-25",
        "heure_debut": "09:30", "heure_fin": "12:00", "lieu": "Caen", "inviter": "on"})
    event = Event.objects.get(titre="Atelier évaluation")
    assert response.status_code == 302 and (event.heure_debut, event.heure_fin) == (dt.time(9, 30), dt.time(12))
    note = Notification.objects.get(user=own.people["coordinateur"], kind="reseau", title__contains="Atelier")
    assert note.title == "Invitation : Atelier évaluation, le 25/03/2027 de 9 h 30 à 12 h"
    detail = _text(client.get(reverse("network:event_detail", args=[event.pk])).content.decode())
    assert "25 mars 2027, de 9 h 30 à 12 h" in detail
    assert "de 9 h 30 à 12 h" in _text(client.get(reverse("network:events")).content.decode())
    # Moved to the afternoon, the end left open: the history says it in words.
    response = client.post(reverse("network:event_edit", args=[event.pk]), {
        "titre": event.titre, "type": event.type, "date": "2027-03-25", "heure_debut": "14:00", "heure_fin": "",
        "lieu": "Caen", "version": event.version})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.horaire == "à 14 h"
    details = history.lines(history.history_for(event))[0].details
    assert "Heure de début : 9 h 30 → 14 h" in details and "Heure de fin : 12 h → —" in details


@pytest.mark.django_db
def test_an_end_before_the_start_is_said_next_to_the_field(client, world):
    own = world.own
    client.force_login(own.people["region"])
    count = Event.objects.count()
    base = {"region": own.region.pk, "titre": "Atelier", "type": EventType.FORMATION, "date": "2027-03-25"}
    html = client.post(reverse("network:event_create"), {**base, "heure_debut": "14:00", "heure_fin": "11:00"}
                       ).content.decode()
    assert "L&#x27;heure de fin (11 h) doit suivre l&#x27;heure de début (14 h)." in html
    html = client.post(reverse("network:event_create"), {**base, "heure_fin": "11:00"}).content.decode()
    assert "Indiquez aussi l&#x27;heure de début" in html
    html = client.post(reverse("network:event_create"), {**base, "heure_debut": "25:99"}).content.decode()
    assert "Saisissez une heure valide." in html
    assert Event.objects.count() == count
