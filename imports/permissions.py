"""Permission predicates of the imports: `(allowed, reason)`, reason in French.

Which contracts a user reaches is always `Contract.objects.visible_to(user)` (404 otherwise); these
predicates decide the pages themselves (403 when refused).
"""

from __future__ import annotations

from actions.permissions import can_edit_plan
from cls_portal.core.permissions import OK, Result
from contracts.enums import Phase


def can_import_plan(user, contract) -> Result:
    """Importing a plan writes axes and sheets: what the coordinator may do on a contract still running."""
    allowed, reason = can_edit_plan(user, contract)
    if not allowed:
        return False, "Seul le coordinateur du contrat peut importer un plan d'action."
    if contract.phase == Phase.CLOS:
        return False, "Ce contrat est clos : son plan d'action ne se modifie plus."
    return OK
