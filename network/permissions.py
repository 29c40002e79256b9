"""Permission predicates of the network: `(allowed, reason)`, reason in French. Which events and which
coordinators a user reaches is the selectors' business (another région's event is a 404)."""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result

MEMBERS = {Role.COORDINATEUR, Role.DELEGATION, Role.REGION}


def can_view_network(user) -> Result:
    """The directory and the events: the région's coordinators and ARS staff (administrators too)."""
    if user.is_authenticated and (user.is_portal_admin or user.roles() & MEMBERS):
        return OK
    return False, "Le réseau régional est réservé aux coordinateurs de CLS et aux équipes de l'ARS de la région."


def can_manage_events(user) -> Result:
    if user.is_authenticated and (user.is_portal_admin or user.has_role(Role.REGION)):
        return OK
    return False, "Seule l'équipe régionale de l'ARS organise les rencontres du réseau."


def can_manage_event(user, event) -> Result:
    """Edit, invite, record attendance: the regional team of the event's région (administrators too)."""
    if user.is_portal_admin or event.region_id in user.region_codes():
        return OK
    return False, "Seule l'équipe régionale de l'ARS de cette région organise cette rencontre."


def can_edit_contact(user) -> Result:
    if user.is_authenticated and user.has_role(Role.COORDINATEUR):
        return OK
    return False, "Seuls les coordinateurs renseignent leurs coordonnées dans l'annuaire du réseau."
