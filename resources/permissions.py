"""Permission predicates of the library: `(allowed, reason)`, reason in French.

Which resources a user reaches is `selectors.resources_for_user` (another région's resource is a 404);
these predicates decide the pages themselves (403 when refused)."""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result

READERS = {Role.COORDINATEUR, Role.PILOTE, Role.DELEGATION, Role.REGION}


def can_view_library(user) -> Result:
    """Coordinators, pilots and ARS staff (délégations, regional team) of the région; administrators."""
    if user.is_authenticated and (user.is_portal_admin or user.roles() & READERS):
        return OK
    return False, "Les ressources sont réservées aux coordinateurs, aux pilotes et aux équipes de l'ARS de la région."


def can_manage_library(user) -> Result:
    """The regional team creates resources (in its région); administrators too."""
    if user.is_authenticated and (user.is_portal_admin or user.has_role(Role.REGION)):
        return OK
    return False, "Seule l'équipe régionale de l'ARS crée et modifie les ressources de la région."


def can_manage_resource(user, resource) -> Result:
    """Edit, version, archive: the regional team of the resource's région (administrators too)."""
    if user.is_portal_admin or resource.region_id in user.region_codes():
        return OK
    return False, "Seule l'équipe régionale de l'ARS de cette région modifie ses ressources."
