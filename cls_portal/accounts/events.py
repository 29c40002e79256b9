"""Typed history events about people: invitations and roles."""

from django.db import models

from cls_portal.core import history

from .models import Invitation, RoleMembership


class AccountEvent(models.TextChoices):
    INVITATION_ENVOYEE = "accounts_invitation_envoyee", "Invitation envoyée"
    INVITATION_RENVOYEE = "accounts_invitation_renvoyee", "Invitation renvoyée"
    INVITATION_REVOQUEE = "accounts_invitation_revoquee", "Invitation révoquée"
    INVITATION_ACCEPTEE = "accounts_invitation_acceptee", "Invitation acceptée"
    ROLE_RETIRE = "accounts_role_retire", "Rôle retiré"
    COORDINATION_TRANSMISE = "accounts_coordination_transmise", "Coordination transmise"


SENTENCES = {
    AccountEvent.INVITATION_ENVOYEE: "Invitation envoyée à {email} : {role}",
    AccountEvent.INVITATION_RENVOYEE: "Invitation renvoyée à {email} : {role}",
    AccountEvent.INVITATION_REVOQUEE: "Invitation de {email} révoquée : {role}",
    AccountEvent.INVITATION_ACCEPTEE: "Invitation acceptée par {email} : {role}",
    AccountEvent.ROLE_RETIRE: "Rôle retiré : {role} de {personne}",
    AccountEvent.COORDINATION_TRANSMISE: "Coordination transmise : {role} de {personne}",
}


def register(people_audience):
    history.register_events(AccountEvent, sentences=SENTENCES, audience="personnes")
    # The lines about a contract's people are read by whoever may open its people page.
    history.register_audience("personnes", lambda user, contract: people_audience(user, contract)[0])
    history.register_subject(Invitation, lambda i: {"email": i.email, "role": i.get_role_display()})
    history.register_subject(RoleMembership, lambda m: {"personne": str(m.user), "role": m.get_role_display()})
