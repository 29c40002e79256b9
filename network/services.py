"""Writes of the network: atomic, a history line each; the caller checked the permission predicate."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.concurrency import bump, lock_for_update, snapshot
from cls_portal.core.errors import DomainError
from cls_portal.core.formatting import format_time
from cls_portal.notifications.services import notify

from .enums import EventType, NetworkEvent, Presence
from .models import ContactCard, Event, Invitation, News
from .selectors import region_coordinators

EVENT_FIELDS = ["titre", "type", "date", "heure_debut", "heure_fin", "lieu", "description"]
TYPED_FIELDS = ("date", "heure_debut", "heure_fin")  # dates and times as given (None when empty), not text


def _check(data: dict) -> None:
    if not (data.get("titre") or "").strip():
        raise DomainError("Donnez un titre à la rencontre.", field="titre")
    if data.get("type") not in EventType.values:
        raise DomainError("Choisissez un type de rencontre de la liste.", field="type")
    if not data.get("date"):
        raise DomainError("Indiquez la date de la rencontre.", field="date")
    start, end = data.get("heure_debut"), data.get("heure_fin")
    if end is not None and start is None:
        raise DomainError("Indiquez aussi l'heure de début, ou laissez l'heure de fin vide.", field="heure_debut")
    if end is not None and end <= start:
        raise DomainError(f"L'heure de fin ({format_time(end)}) doit suivre l'heure de début ({format_time(start)}).",
                          field="heure_fin")


def _value(data: dict, field: str):
    return (data.get(field) or None) if field in TYPED_FIELDS else (data.get(field) or "").strip()


def _when(event: Event) -> str:
    """`le 12/03/2027 à 9 h 30`: the date and, when set, the time, for a notification."""
    return f"le {event.date:%d/%m/%Y}" + (f" {event.horaire}" if event.horaire else "")


def _invite(*, actor, event: Event) -> list:
    """Invite the région's coordinators not invited yet; notify them. Returns the people invited."""
    already = set(event.invitations.values_list("user_id", flat=True))
    people = [u for u in region_coordinators(event.region_id).order_by("last_name", "first_name")
              if u.pk not in already]
    Invitation.objects.bulk_create([Invitation(event=event, user=u) for u in people])
    if people:
        notify(users=people, kind="reseau", title=f"Invitation : {event.titre}, {_when(event)}",
               # The place is free text (« Caen, siège de l'ARS », « en visioconférence »): labelled, never
               # glued after « à ».
               body=event.get_type_display() + (f". Lieu : {event.lieu}" if event.lieu else "") + ".",
               url=reverse("network:event_detail", args=[event.pk]))
        history.record(actor=actor, obj=event, event=NetworkEvent.INVITATIONS,
                       changes={"invites": [None, [str(u) for u in people]]})
    return people


@transaction.atomic
def event_create(*, actor, region, data: dict, invite: bool = True) -> Event:
    """A new event of `region`; with `invite`, the région's coordinators are invited (and notified).
    Preconditions: the caller may organise events in `region`; a title, a type of the list, a date."""
    _check(data)
    event = Event.objects.create(region=region, created_by=actor, **{f: _value(data, f) for f in EVENT_FIELDS})
    history.record(actor=actor, obj=event, event=NetworkEvent.EVENEMENT_CREE,
                   changes={f: [None, getattr(event, f)] for f in ("type", "date", "heure_debut", "heure_fin", "lieu")})
    if invite:
        _invite(actor=actor, event=event)
    return event


@transaction.atomic
def event_update(*, actor, event_id: int, expected_version, data: dict) -> Event:
    """Title, type, date and times, place, description. Refused (ConcurrentEditError) if saved since
    `expected_version`."""
    _check(data)
    event = lock_for_update(Event, event_id, expected_version=expected_version,
                            submitted={f: data.get(f) for f in EVENT_FIELDS})
    before = snapshot(event, EVENT_FIELDS)
    for f in EVENT_FIELDS:
        setattr(event, f, _value(data, f))
    changes = history.diff(before, snapshot(event, EVENT_FIELDS))
    if changes:
        bump(event)
        event.save()
    history.record(actor=actor, obj=event, event=NetworkEvent.EVENEMENT_MODIFIE, changes=changes)
    return event


@transaction.atomic
def event_invite(*, actor, event: Event) -> int:
    """Invite the région's coordinators who are not invited yet (those who took up their post since)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    people = _invite(actor=actor, event=event)
    if not people:
        raise DomainError("Tous les coordinateurs de la région sont déjà invités.")
    return len(people)


@transaction.atomic
def attendance_record(*, actor, event: Event, presences: dict, today=None) -> int:
    """Record who came: `presences` maps an invitation id to a `Presence` code ("" = not recorded).
    Preconditions: the event has begun (attendance is not recorded in advance); invitations of this event.
    Returns how many answers changed."""
    today = today or timezone.localdate()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.date > today:
        raise DomainError(f"La rencontre a lieu le {event.date:%d/%m/%Y} : les présences s'enregistrent à partir "
                          f"de ce jour-là.")
    invitations = {i.pk: i for i in event.invitations.select_related("user")}
    labels = dict(Presence.choices)
    changed, lines = [], []
    for pk, code in presences.items():
        invitation = invitations.get(pk)
        if invitation is None:
            raise DomainError("Cette personne n'est pas invitée à cette rencontre.")
        if code not in ("", *Presence.values):
            raise DomainError("Choisissez présent, absent ou excusé.")
        if invitation.presence != code:
            lines.append(f"{invitation.user} : {labels.get(invitation.presence, 'non renseigné')} → "
                         f"{labels.get(code, 'non renseigné')}")
            invitation.presence = code
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["presence"])
    if changed:
        history.record(actor=actor, obj=event, event=NetworkEvent.PRESENCES, changes={"presences": [None, lines]})
    return len(changed)


@transaction.atomic
def contact_update(*, actor, email: str, telephone: str) -> ContactCard:
    """A coordinator's own contact details in the network's directory."""
    card, _ = ContactCard.objects.select_for_update().get_or_create(user=actor)
    before = snapshot(card, ["email", "telephone"])
    card.email, card.telephone = (email or "").strip(), (telephone or "").strip()
    card.save()
    history.record(actor=actor, obj=card, event=NetworkEvent.COORDONNEES,
                   changes=history.diff(before, snapshot(card, ["email", "telephone"])))
    return card


@transaction.atomic
def news_publish(*, actor, region, titre: str, texte: str, lien: str = "") -> News:
    """Publish a piece of news to the network of `region`: each of its coordinators is notified.
    Preconditions: the caller may organise the network of `region`; a title and a text."""
    titre, texte = (titre or "").strip(), (texte or "").strip()
    if not titre:
        raise DomainError("Donnez un titre à l'actualité.", field="titre")
    if not texte:
        raise DomainError("Écrivez le texte de l'actualité.", field="texte")
    news = News.objects.create(region=region, titre=titre, texte=texte, lien=(lien or "").strip(), created_by=actor)
    people = list(region_coordinators(region.pk))
    if people:
        notify(users=people, kind="reseau", title=f"Actualité du réseau : {titre}",
               body=texte if len(texte) <= 200 else texte[:199] + "…",
               url=reverse("network:news") + f"#actualite-{news.pk}")
    history.record(actor=actor, obj=news, event=NetworkEvent.ACTUALITE_PUBLIEE,
                   changes={"destinataires": [None, len(people)]})
    return news
