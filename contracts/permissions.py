"""Permission predicates for contracts. Each returns `(allowed, reason)`; the reason is French.

Visibility (which contracts exist for a user at all) is `Contract.objects.visible_to(user)`: another
tenant's contract answers 404. These predicates decide what a user who can see the contract may do
(403 when refused).
"""

from __future__ import annotations

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result

from . import workflow
from .enums import SIGNED_DOCUMENT_TYPES


def _is_coordinator(user, contract) -> bool:
    return any(u.pk == user.pk for u in contract.coordinators.all())


def has_coordinator(contract) -> bool:
    """Whether anyone coordinates `contract` (the same `coordinators` as `_is_coordinator`). Without one, the
    délégation changes phase itself instead of waiting for a proposal (`workflow.LIFECYCLE.mode_for`)."""
    return bool(contract.coordinators.all())


def _is_delegation(user, contract) -> bool:
    if not user.has_role(Role.DELEGATION):
        return False
    codes = user.departement_codes()
    return any(d.departement_id in codes for d in contract.delegations.all())


def _is_region(user, contract) -> bool:
    return user.has_role(Role.REGION) and contract.ars.region_id in user.region_codes()


def lifecycle_roles(user, contract) -> set[str]:
    """The workflow roles `user` holds on `contract` (an admin holds both)."""
    if user.is_portal_admin:
        return {workflow.COORDINATEUR, workflow.DELEGATION}
    roles = set()
    if _is_coordinator(user, contract):
        roles.add(workflow.COORDINATEUR)
    if _is_delegation(user, contract):
        roles.add(workflow.DELEGATION)
    return roles


def can_view_contract(user, contract) -> Result:
    """Full contract page (signatories, documents, steps, history): coordinators, délégation, regional staff,
    admins. Elected officials and pilots read the contract's summary instead (`summary_url`)."""
    if user.is_portal_admin or _is_coordinator(user, contract) or _is_delegation(user, contract) \
            or _is_region(user, contract):
        return OK
    return False, ("Le détail du contrat (documents internes, signataires, historique) est réservé à son équipe "
                   "et à l'ARS : sa synthèse en lecture seule vous est ouverte.")


# The read-only summary of a contract for elected officials and pilots (directory app, above contracts: named
# by string, resolved at request time).
SUMMARY_URL_NAME = "directory:summary"


def can_edit_contract(user, contract) -> Result:
    if user.is_portal_admin or _is_coordinator(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat peut le modifier."


def can_keep_records(user, contract) -> Result:
    """The contract's identity (dates, engagement of the collectivité) and documents: its coordinator; when it has
    none, its délégation too, which then changes phase itself (`has_coordinator`): the guards of a phase change
    read them (the lettre d'intention, addressed to the ARS, its date; the signed contract; the final report)."""
    if can_edit_contract(user, contract)[0]:
        return OK
    if not has_coordinator(contract) and _is_delegation(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat (ou, tant qu'il n'y en a pas, la délégation) peut le modifier."


def can_designate_referent(user, contract) -> Result:
    """The contract's ARS référent is an agent of the délégation départementale, named by the ARS: the délégation of
    the contract, or the regional team (which also names him when it opens or imports a contract). Not the
    coordinator, who works for the collectivité."""
    if user.is_portal_admin or _is_delegation(user, contract) or _is_region(user, contract):
        return OK
    return False, ("Le référent ARS du contrat est désigné par l'ARS : la délégation départementale du contrat ou "
                   "l'équipe régionale.")


def can_validate_contract(user, contract) -> Result:
    """Validation steps (engagement, signature, closure) belong to the délégation référent."""
    if user.is_portal_admin or _is_delegation(user, contract):
        return OK
    return False, "Seule la délégation départementale peut valider cette étape."


def can_propose(user, contract, transition: workflow.Transition) -> Result:
    if transition.mode != "propose":
        return False, "Cette étape ne se propose pas : elle se décide directement."
    if lifecycle_roles(user, contract) & set(transition.proposed_by):
        return OK
    return False, "Seul le coordinateur du contrat peut proposer ce changement de phase."


def can_fire(user, contract, transition: workflow.Transition) -> Result:
    """A direct transition, or a proposed one on a contract without coordinator (the délégation does it)."""
    if workflow.LIFECYCLE.mode_for(transition, contract) != "direct":
        return False, "Ce changement de phase doit être proposé par le coordinateur puis validé par la délégation."
    if lifecycle_roles(user, contract) & set(transition.by):
        return OK
    return False, "Vous ne pouvez pas décider ce changement de phase."


def can_renew(user, contract) -> Result:
    if lifecycle_roles(user, contract):
        return OK
    return False, "Seuls le coordinateur et la délégation départementale peuvent renouveler le contrat."


def can_download_document(user, document) -> Result:
    return can_view_contract(user, document.contract)


def can_delete_document(user, document) -> Result:
    allowed, reason = can_keep_records(user, document.contract)
    if not allowed:
        return allowed, reason
    if document.type in SIGNED_DOCUMENT_TYPES:
        return False, "Un document signé n'est jamais supprimé : déposez une nouvelle version qui le remplace."
    return OK


is_coordinator = _is_coordinator
is_delegation = _is_delegation
is_region = _is_region


# --- starting a région: new contracts, their steps, partner organisations --------------------------

def can_create_contract(user) -> Result:
    """A délégation (in its départements) or the regional team (in its région) opens a CLS."""
    if user.is_portal_admin or user.has_role(Role.DELEGATION) or user.has_role(Role.REGION):
        return OK
    return False, "Seules la délégation départementale et l'équipe régionale de l'ARS créent un contrat."


def can_create_contract_on(user, departement_codes: set[str]) -> Result:
    """The perimeter of a new contract lies in the user's reach: a délégation must find it in its tableau de
    bord afterwards (one of its départements); the regional team's région is checked by the form."""
    if user.is_portal_admin or user.has_role(Role.REGION):
        return OK
    if departement_codes & user.departement_codes():
        return OK
    return False, "Le périmètre doit comprendre au moins une commune de vos départements."


def can_plan_steps(user, contract) -> Result:
    """Adding, removing and reordering the steps of the démarche: the délégation of the contract."""
    if user.is_portal_admin or _is_delegation(user, contract):
        return OK
    return False, "Seule la délégation départementale du contrat ajoute, retire ou réordonne ses étapes."


def can_edit_step(user, contract) -> Result:
    """A step's dates and status: the coordinator, and the délégation, which plans the steps and follows the
    overdue ones in its work list (a contract in its phase préalable often has no coordinator yet)."""
    if user.is_portal_admin or _is_coordinator(user, contract) or _is_delegation(user, contract):
        return OK
    return False, "Seuls le coordinateur et la délégation départementale du contrat modifient ses étapes."


def can_record_recruitment(user, contract) -> Result:
    """The ARS's part in the coordinator's recruitment: the délégation of the contract."""
    if user.is_portal_admin or _is_delegation(user, contract):
        return OK
    return False, "Seule la délégation départementale du contrat donne l'avis de l'ARS sur le recrutement."


def can_create_organisation(user) -> Result:
    """Partner organisations: coordinators, délégations and the regional team, in their own région."""
    if user.is_portal_admin or user.roles() & {Role.COORDINATEUR, Role.DELEGATION, Role.REGION}:
        return OK
    return False, "Seuls les coordinateurs et l'ARS (délégation, équipe régionale) créent des organisations."


def can_import_contracts(user) -> Result:
    """Bringing in the CLS a région already runs (XLSX): the regional team, for its région."""
    if user.is_portal_admin or user.has_role(Role.REGION):
        return OK
    return False, "Seule l'équipe régionale de l'ARS importe les CLS existants de la région."
