"""Permission predicates of the regional view and its exports: `(allowed, reason)`, reason in French.

Which contracts a user reaches is always `Contract.objects.visible_to(user)` (404 otherwise); these
predicates decide the pages themselves (403 when refused).
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result


def can_view_dashboard(user) -> Result:
    """Regional staff (their région) and délégations (their départements); administrators pick a région."""
    if user.is_portal_admin or user.has_role(Role.REGION) or user.has_role(Role.DELEGATION):
        return OK
    return False, "La vue régionale est réservée aux équipes de l'ARS (siège régional et délégations)."


def can_view_work(user) -> Result:
    """The regional team's work list (what waits in its départements): regional staff only."""
    if user.has_role(Role.REGION):
        return OK
    return False, "Cette liste est celle de l'équipe régionale de l'ARS."


def can_export(user) -> Result:
    """Exports are of what the user sees: anyone signed in; the rows are scoped by `visible_to`."""
    if user.is_authenticated:
        return OK
    return False, "Connectez-vous pour exporter des données."


def can_manage_qpv(user) -> Result:
    """The QPV reference list of a région is typed or imported by its regional team (administrators too)."""
    if user.is_portal_admin or user.has_role(Role.REGION):
        return OK
    return False, "Le référentiel des quartiers prioritaires est tenu par l'équipe régionale de l'ARS."


def can_manage_champs(user) -> Result:
    """The reference list of the fields of action is kept by the regional teams (administrators too)."""
    if user.is_portal_admin or user.has_role(Role.REGION):
        return OK
    return False, "La liste des champs d'action est tenue par les équipes régionales de l'ARS."
