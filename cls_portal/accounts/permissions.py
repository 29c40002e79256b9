"""Who may invite whom, and who may remove a role (predicates `(allowed, reason)`).

The rule (issue 14): the regional team invites délégation staff; a délégation invites coordinators,
référents and élus of its départements; a coordinator invites pilots, co-pilots and élus of the CLS he
coordinates. Administrators invite anyone. Nobody grants more than they hold: a scope outside one's own
région, départements or contract is refused. Contracts are read through their relations (attributes of the
object the caller passes), never imported: accounts sits below contracts.
"""

from __future__ import annotations

from cls_portal.core.permissions import OK, Result

from .models import Role

NOT_YOURS = "Vous ne pouvez pas attribuer ce rôle : il dépasse ce que vous détenez vous-même."


def contract_departements(contract) -> set[str]:
    return {d.departement_id for d in contract.delegations.all()}


def coordinates(user, contract) -> bool:
    return any(u.pk == user.pk for u in contract.coordinators.all())


def _delegation_covers(user, contract) -> bool:
    return Role.DELEGATION in user.roles() and bool(contract_departements(contract) & user.departement_codes())


def _region_covers(user, contract) -> bool:
    return Role.REGION in user.roles() and contract.ars.region_id in user.region_codes()


def roles_grantable(user, contract=None) -> list[str]:
    """The roles `user` may offer (in a contract's people page when `contract` is given)."""
    if user.is_portal_admin:
        return ([Role.COORDINATEUR, Role.PILOTE, Role.ELU] if contract is not None
                else [Role.REGION, Role.DELEGATION, Role.ADMIN] if user.is_superuser
                else [Role.REGION, Role.DELEGATION])
    roles = user.roles()
    out: list[str] = []
    if contract is None:
        if Role.REGION in roles:
            out += [Role.DELEGATION]
        elif Role.DELEGATION in roles:
            out += [Role.DELEGATION]
        return out
    if _delegation_covers(user, contract):
        out += [Role.COORDINATEUR, Role.ELU, Role.PILOTE]
    elif coordinates(user, contract):
        out += [Role.PILOTE, Role.ELU]
    return out


def can_invite(user, *, role: str, region=None, departements=(), organisation=None, contract=None,
               replaces=None) -> Result:
    """May `user` grant `role` in this scope? (The scope itself must be coherent: see services.)"""
    if not getattr(user, "is_authenticated", False):
        return False, "Connectez-vous pour inviter."
    if role == Role.ADMIN:
        return OK if user.is_superuser else (False, "Seul un superutilisateur peut inviter un administrateur.")
    if user.is_portal_admin:
        return OK
    roles = user.roles()
    deps = {getattr(d, "code", d) for d in departements}
    if role == Role.REGION:
        return False, "Seul un administrateur invite un membre de l'équipe régionale."
    if role == Role.DELEGATION:
        if Role.REGION in roles:
            region_deps = {code for r in user.region_codes() for code in _departements_of_region(r)}
            if deps and deps <= region_deps:
                return OK
        if Role.DELEGATION in roles and deps and deps <= user.departement_codes():
            return OK
        return False, ("Vous ne pouvez inviter en délégation que pour les départements de votre région "
                       "ou de votre délégation.")
    if contract is None:
        return False, "Choisissez le contrat local de santé de ce rôle."
    if role == Role.COORDINATEUR:
        if _delegation_covers(user, contract):
            return OK
        if replaces is not None and replaces.pk == user.pk and coordinates(user, contract):
            return OK  # a coordinator hands his own role over
        return False, "Seule la délégation départementale du contrat invite un coordinateur."
    if role in (Role.PILOTE, Role.ELU):
        if _delegation_covers(user, contract) or coordinates(user, contract):
            return OK
        return False, "Seuls la délégation et le coordinateur du contrat invitent ses pilotes et ses élus."
    return False, NOT_YOURS


def _departements_of_region(region_code: str) -> set[str]:
    from cls_portal.territories.models import Departement

    return set(Departement.objects.filter(region_id=region_code).values_list("code", flat=True))


def can_view_people(user, contract) -> Result:
    """The people page of a contract: its coordinators, its délégation, its région, administrators."""
    if user.is_portal_admin or coordinates(user, contract) or _delegation_covers(user, contract) \
            or _region_covers(user, contract):
        return OK
    return False, "La liste des personnes du contrat est réservée à sa coordination et à l'ARS."


def can_manage_invitation(user, invitation) -> Result:
    """Resend or revoke: whoever sent it, or whoever could have sent it."""
    if invitation.invited_by_id == user.pk:
        return OK
    return can_invite(user, role=invitation.role, region=invitation.region,
                      departements=list(invitation.departements.all()), organisation=invitation.organisation,
                      contract=invitation.contract)


def can_remove_role(user, membership, contract=None) -> Result:
    """Remove a role: whoever could grant it (never one's own)."""
    if membership.user_id == user.pk:
        return False, "Vous ne pouvez pas retirer votre propre rôle : demandez-le à votre délégation."
    allowed, _ = can_invite(user, role=membership.role, region=membership.region,
                            departements=list(membership.departements.all()),
                            organisation=membership.organisation, contract=contract)
    return OK if allowed else (False, "Vous ne pouvez retirer que les rôles que vous pourriez attribuer.")
