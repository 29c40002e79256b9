"""Permission predicates for contracts. Each returns `(allowed, reason)`; the reason is French.

Visibility (which contracts exist for a user at all) is `Contract.objects.visible_to(user)`: another
tenant's contract answers 404. These predicates decide what a user who can see the contract may do
(403 when refused).
"""

from __future__ import annotations

from cls_portal.accounts.models import Role

Result = tuple[bool, str]
OK: Result = (True, "")


def _is_coordinator(user, contract) -> bool:
    return any(u.pk == user.pk for u in contract.coordinators.all())


def _is_delegation(user, contract) -> bool:
    if not user.has_role(Role.DELEGATION):
        return False
    codes = user.departement_codes()
    return any(d.departement_id in codes for d in contract.delegations.all())


def _is_region(user, contract) -> bool:
    return user.has_role(Role.REGION) and contract.ars.region_id in user.region_codes()


def can_view_contract(user, contract) -> Result:
    """Full contract page: coordinators, délégation, regional staff, pilots of its sheets, admins."""
    if user.is_portal_admin or _is_coordinator(user, contract) or _is_delegation(user, contract) \
            or _is_region(user, contract):
        return OK
    if user.has_role(Role.PILOTE) and contract.fiches.filter(pilote_personne=user).exists():
        return OK
    return False, "Vous n'avez pas accès au détail de ce contrat."


def can_edit_contract(user, contract) -> Result:
    if user.is_portal_admin or _is_coordinator(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat peut le modifier."


def can_validate_contract(user, contract) -> Result:
    """Validation steps (engagement, signature, closure) belong to the délégation référent."""
    if user.is_portal_admin or _is_delegation(user, contract):
        return OK
    return False, "Seule la délégation départementale peut valider cette étape."


is_coordinator = _is_coordinator
is_delegation = _is_delegation
is_region = _is_region
