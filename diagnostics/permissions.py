"""Permission predicates for diagnostics: `(allowed, reason)`, the reason in French (403).

Visibility (404 for another tenant) is the contract's: `Contract.objects.visible_to(user)`.
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from contracts.permissions import OK, Result, is_coordinator, is_delegation, is_region

from .enums import TRANSITIONS, Statut, Transition


def can_view_diagnostic(user, contract) -> Result:
    """The contract's team, its délégation and region, and its elected officials (a *shared* diagnostic)."""
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract) \
            or is_region(user, contract):
        return OK
    if user.has_role(Role.ELU) and contract.collectivite_id in user.organisation_ids(Role.ELU):
        return OK
    return False, "Le diagnostic n'est consultable que par le coordinateur, l'ARS et les élus du contrat."


def can_start_diagnostic(user, contract) -> Result:
    if user.is_portal_admin or is_coordinator(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat peut rédiger le diagnostic."


def can_edit_diagnostic(user, diagnostic) -> Result:
    allowed, reason = can_start_diagnostic(user, diagnostic.contract)
    if not allowed:
        return allowed, reason
    if diagnostic.statut == Statut.VALIDE:
        return False, "Ce diagnostic est validé : il ne peut plus être modifié. Créez une nouvelle version."
    if diagnostic.statut == Statut.SOUMIS:
        return False, "Ce diagnostic est en cours de revue par la délégation : il ne peut pas être modifié."
    return OK


def can_fire(user, diagnostic, action: str) -> Result:
    """Who may fire a review transition (the transition table says which role)."""
    if action not in TRANSITIONS:
        return False, "Action inconnue."
    _, _, role = TRANSITIONS[action]
    contract = diagnostic.contract
    if user.is_portal_admin:
        return OK
    if role == Role.COORDINATEUR and is_coordinator(user, contract):
        return OK
    if role == Role.DELEGATION and is_delegation(user, contract):
        return OK
    if role == Role.DELEGATION:
        return False, "Seule la délégation départementale peut valider le diagnostic ou demander des modifications."
    return False, "Seul le coordinateur du contrat peut soumettre le diagnostic."


def available_transitions(user, diagnostic) -> list[Transition]:
    return [Transition(a) for a, (sources, _, _) in TRANSITIONS.items()
            if diagnostic.statut in sources and can_fire(user, diagnostic, a)[0]]
