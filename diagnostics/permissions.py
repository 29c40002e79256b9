"""Permission predicates for diagnostics: `(allowed, reason)`, the reason in French (403).

Visibility (404 for another tenant) is the contract's: callers fetch through
`Contract.objects.visible_to(user)` (see selectors). These predicates decide what a user who can see the
contract may do with its diagnostic.
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result
from contracts.permissions import is_coordinator, is_delegation, is_region

from .enums import Statut, Transition


def can_view_diagnostic(user, contract) -> Result:
    """The diagnostic is *shared*: the contract's team, its délégation and region, its elected officials
    and the pilots of its action sheets (who ground their sheets on it) may read it."""
    if user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract) \
            or is_region(user, contract):
        return OK
    if user.has_role(Role.ELU) and contract.collectivite_id in user.organisation_ids(Role.ELU):
        return OK
    if user.has_role(Role.PILOTE):  # visible_to() already limited the contract to the pilot's own sheets
        return OK
    return False, "Le diagnostic n'est consultable que par l'équipe du contrat, l'ARS et ses élus."


def can_read_version(user, diagnostic) -> Result:
    """A version of the diagnostic: its readers (`can_view_diagnostic`); elected officials read it once the
    délégation has validated it (never a draft or a version under review: issue 15)."""
    allowed, reason = can_view_diagnostic(user, diagnostic.contract)
    if not allowed:
        return allowed, reason
    contract = diagnostic.contract
    team = user.is_portal_admin or is_coordinator(user, contract) or is_delegation(user, contract) \
        or is_region(user, contract) or user.has_role(Role.PILOTE)
    if team or diagnostic.statut == Statut.VALIDE:
        return OK
    return False, "Ce diagnostic n'est pas encore validé par la délégation : les élus le liront une fois validé."


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


def can_new_version(user, diagnostic) -> Result:
    allowed, reason = can_start_diagnostic(user, diagnostic.contract)
    if not allowed:
        return allowed, reason
    if diagnostic.statut != Statut.VALIDE:
        return False, "Seul un diagnostic validé peut donner lieu à une nouvelle version."
    if not diagnostic.is_latest:
        return False, "Une version plus récente de ce diagnostic existe déjà."
    return OK


def can_link_axe(user, diagnostic) -> Result:
    """Turning a priority into an axe writes to the action plan, not to the diagnostic's content: it is
    allowed on the current version whatever its review status (a validated diagnostic is the usual case)."""
    allowed, reason = can_start_diagnostic(user, diagnostic.contract)
    if not allowed:
        return False, "Seul le coordinateur du contrat peut créer les axes du plan d'action."
    if not diagnostic.is_latest:
        return False, "Cette version du diagnostic a été remplacée : créez l'axe depuis la version en cours."
    return OK


def can_fire(user, diagnostic, action: str) -> Result:
    """Who may fire a review transition (the transition table `workflow.REVIEW` says which role)."""
    from .workflow import REVIEW

    if action not in REVIEW:
        return False, "Action inconnue."
    if REVIEW.may_fire(user, diagnostic, REVIEW[action])[0]:
        return OK
    if Role.DELEGATION in REVIEW[action].by:
        return False, "Seule la délégation départementale peut commenter, valider le diagnostic ou demander " \
                      "des modifications."
    return False, "Seul le coordinateur du contrat peut soumettre le diagnostic."


def available_transitions(user, diagnostic) -> list[Transition]:
    from .workflow import REVIEW

    return [Transition(t.name) for t in REVIEW.available(diagnostic.statut) if can_fire(user, diagnostic, t.name)[0]]
