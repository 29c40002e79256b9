"""Permission predicates for annual reports: `(allowed, reason)`, reason in French.

Visibility of the contract itself is `Contract.objects.visible_to(user)` (404 otherwise). Among the
people who see a contract, drafts (every job, whatever its state) are for the coordinator, the
délégation and the regional office; published reports are for everyone who sees the contract,
elected officials first.
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result
from contracts.permissions import is_coordinator, is_delegation, is_region


def can_view_drafts(user, contract) -> Result:
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract) \
            or is_region(user, contract):
        return OK
    return False, "Seuls le coordinateur et l'ARS voient les rapports non publiés."


def can_request_report(user, contract) -> Result:
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract):
        return OK
    return False, "Seuls le coordinateur du contrat et la délégation départementale peuvent demander un rapport."


def can_publish_report(user, report) -> Result:
    """The délégation publishes; the coordinator may too, recording the COPIL's decision (its date)."""
    if report.published:
        return False, "Ce rapport est déjà publié."
    if user.is_portal_admin or is_delegation(user, report.contract) or is_coordinator(user, report.contract):
        return OK
    return False, "Seuls la délégation départementale et le coordinateur (sur décision du COPIL) publient les rapports."


def must_record_copil_decision(user, report) -> bool:
    """A coordinator publishes only on the COPIL's decision, whose date is then required."""
    return not (user.is_portal_admin or is_delegation(user, report.contract))


def can_view_report(user, report) -> Result:
    if report.published:
        return OK
    return can_view_drafts(user, report.contract)


def can_set_resource(user, report) -> Result:
    """Who requests a report names the regional resource it follows, until it is published."""
    if report.published:
        return False, "Un rapport publié ne change plus : la ressource suivie se choisit avant la publication."
    return can_request_report(user, report.contract)


def can_retry_report(user, report) -> Result:
    return can_request_report(user, report.contract)


def can_start_campaign(user) -> Result:
    if user.is_portal_admin or user.has_role(Role.REGION):
        return OK
    return False, "Seul le siège régional de l'ARS lance les campagnes de rapports."
