"""Permission predicates for funding. Each returns `(allowed, reason)`; the reason is French.

Visibility of a contract (404 for another tenant) is `Contract.objects.visible_to(user)`; these
predicates decide, for a contract the user can see, who may read and who may act (403 otherwise).
Whether a step is possible in the current state is a business rule checked by the services.
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result
from contracts.permissions import is_coordinator, is_delegation, is_region


def can_view_funding(user, contract) -> Result:
    """The post's funding: coordinators, the délégation, regional staff and administrators."""
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract) \
            or is_region(user, contract):
        return OK
    return False, "Le financement du poste de coordination n'est visible que du coordinateur, de la délégation " \
                  "et de l'ARS."


def can_request(user, contract) -> Result:
    """File or amend a year's request: the coordinator (for the collectivité)."""
    if user.is_portal_admin or is_coordinator(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat peut déposer ou modifier une demande de financement."


def can_instruct(user, contract) -> Result:
    """Instruct, decide and record payments: the délégation départementale."""
    if user.is_portal_admin or is_delegation(user, contract):
        return OK
    return False, "Seule la délégation départementale instruit les demandes, décide et enregistre les versements."


def can_record_statement(user, contract) -> Result:
    """The annual financial statement: written by the coordinator, or recorded by the délégation."""
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract):
        return OK
    return False, "Le bilan financier est saisi par le coordinateur ou la délégation départementale."


def can_record_dialogue(user, contract) -> Result:
    if user.is_portal_admin or is_delegation(user, contract):
        return OK
    return False, "Le compte rendu du dialogue de gestion est saisi par la délégation départementale."


def can_view_funding_home(user) -> Result:
    if user.is_portal_admin or user.roles() & {Role.DELEGATION, Role.REGION, Role.COORDINATEUR}:
        return OK
    return False, "Le suivi des financements est réservé aux coordinateurs et à l'ARS."


def can_edit_rules(user, region=None) -> Result:
    """ARS administrators: regional staff (for their région) and portal administrators."""
    if user.is_portal_admin:
        return OK
    if user.has_role(Role.REGION) and (region is None or getattr(region, "pk", region) in user.region_codes()):
        return OK
    return False, "Seuls les administrateurs de l'ARS modifient les règles de financement de leur région."


def rule_regions(user):
    """Régions whose rules `user` may edit (None: all)."""
    if user.is_portal_admin:
        return None
    return user.region_codes()
