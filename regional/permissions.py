"""Permission predicates of the regional view, exports and import: `(allowed, reason)`, reason in French.

Which contracts a user reaches is always `Contract.objects.visible_to(user)` (404 otherwise); these
predicates decide the pages themselves (403 when refused).
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from contracts.enums import Phase
from contracts.permissions import OK, Result


def can_view_dashboard(user) -> Result:
    """Regional staff (their région) and délégations (their départements); administrators pick a région."""
    if user.is_portal_admin or user.has_role(Role.REGION) or user.has_role(Role.DELEGATION):
        return OK
    return False, "La vue régionale est réservée aux équipes de l'ARS (siège régional et délégations)."


def can_export(user) -> Result:
    """Exports are of what the user sees: anyone signed in; the rows are scoped by `visible_to`."""
    if user.is_authenticated:
        return OK
    return False, "Connectez-vous pour exporter des données."


def can_import_plan(user, contract) -> Result:
    """Importing a plan writes axes and sheets: what the coordinator may do on a contract still running."""
    from actions.permissions import can_edit_plan

    allowed, reason = can_edit_plan(user, contract)
    if not allowed:
        return False, "Seul le coordinateur du contrat peut importer un plan d'action."
    if contract.phase == Phase.CLOS:
        return False, "Ce contrat est clos : son plan d'action ne se modifie plus."
    return OK
