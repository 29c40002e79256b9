"""Permission predicates for the action plan. Each returns `(allowed, reason)`; the reason is French.

Visibility comes first (`Contract.objects.visible_to(user)`, 404 otherwise); these decide what a
user who can see the contract may do (403 when refused).
"""

from __future__ import annotations

from django.db.models import Exists, Q

from cls_portal.accounts.models import Role
from cls_portal.core.permissions import OK, Result
from contracts.enums import ACTIVE_PHASES, PlanChangeKind
from contracts.models import Contract
from contracts.permissions import is_coordinator, is_delegation, is_region

from .enums import VALIDATED_STATUSES, Acteur, FicheStatut
from .models import FicheAction

# The changes of an avenant that reopen a validated sheet for editing (a retirement withdraws it instead).
REOPENING_CHANGES = [PlanChangeKind.AJOUT, PlanChangeKind.MODIFICATION]


def is_pilot(user, fiche) -> bool:
    """Pilot or co-pilot of the sheet (reads the prefetched co-pilots)."""
    if not user.is_authenticated:
        return False
    return fiche.pilote_personne_id == user.pk or any(u.pk == user.pk for u in fiche.copilotes_personnes.all())


def _manages(user, contract) -> bool:
    return user.is_portal_admin or is_coordinator(user, contract)


def can_view_plan(user, contract) -> Result:
    """The plan and its sheets: coordinators, délégation, region, elected officials, pilots of its sheets."""
    if _manages(user, contract) or is_delegation(user, contract) or is_region(user, contract):
        return OK
    roles = user.roles()
    if Role.ELU in roles and contract.collectivite_id in user.organisation_ids(Role.ELU):
        return OK
    if Role.PILOTE in roles:
        # visible_to() only lets a pilot see contracts where they pilot or co-pilot a sheet.
        return OK
    return False, "Vous n'avez pas accès au plan d'action de ce contrat."


def sees_whole_plan(user, contract) -> bool:
    """The contract's team, its délégation and region see every sheet, drafts and reviews included. Elected
    officials see the validated plan; pilots the validated plan and their own sheets in full."""
    return _manages(user, contract) or is_delegation(user, contract) or is_region(user, contract)


def validated_plan_scope() -> Q:
    """The validated plan, as a filter: what an elected official reads, and what a document for everyone (the
    final evaluation report) shows."""
    return Q(statut__in=VALIDATED_STATUSES)


def reported_plan_scope() -> Q:
    """The plan as signed and amended, as a filter: the validated plan and the sheets abandoned after their
    validation. What the annual reports (published to the elected officials and in the public directory) show;
    a sheet abandoned while still in preparation was never validated and is in no report."""
    return validated_plan_scope() | Q(statut=FicheStatut.ABANDONNEE, abandonnee_apres_validation=True)


def plan_scope(user, contract) -> Q | None:
    """The sheets of `contract` that `user` may open, as a filter (None: all of them)."""
    if sees_whole_plan(user, contract):
        return None
    q = validated_plan_scope()
    if user.has_role(Role.PILOTE):
        q |= Q(pilote_personne=user) | Q(pk__in=FicheAction.copilotes_personnes.through.objects.filter(
            user_id=user.pk).values("ficheaction_id"))
    return q


def can_view_fiche(user, fiche) -> Result:
    """A sheet: the whole plan's readers; its own pilots; others (elected officials, pilots of other sheets)
    once it is validated."""
    if sees_whole_plan(user, fiche.contract) or is_pilot(user, fiche) or fiche.statut in VALIDATED_STATUSES:
        return OK
    return False, ("Cette fiche n'est pas encore validée par la délégation : seuls l'équipe du contrat, l'ARS et "
                   "ses pilotes la consultent.")


def can_edit_plan(user, contract) -> Result:
    """Create and edit axes and sheets."""
    if _manages(user, contract):
        return OK
    return False, "Seul le coordinateur du contrat peut modifier le plan d'action."


def needs_avenant(fiche) -> bool:
    """After signature a validated sheet is part of the signed plan and is locked. An avenant reopens it only if
    it adds or modifies it (« Fiche ajoutée », « Fiche modifiée »; a « Fiche retirée » withdraws it, see
    `services.fiches_retire_by_avenant`) and only while that avenant is the latest in force: its version is the
    contract's plan version (an avenant waiting for initials carries a later version and reopens nothing yet).
    Once a later avenant is in force, the sheet is locked again unless that one lists it too."""
    contract = fiche.contract
    if contract.phase not in ACTIVE_PHASES or fiche.statut not in VALIDATED_STATUSES:
        return False
    return not fiche.avenant_changes.filter(kind__in=REOPENING_CHANGES, avenant__contract_id=contract.pk,
                                            avenant__plan_version=contract.plan_version).exists()


def can_record_signed_plan(contract) -> Result:
    """Whether the plan signed with `contract` is still to be brought into the portal, its sheets then recorded as
    validated without review nor avenant (`services.plan_record_signed`).

    The signed plan is the contract's annex: « une fois l'ensemble des fiches validées, la collectivité organise la
    signature du CLS » (fiche pratique n°5). A contract signed in the portal got there through the lifecycle's
    guards (at least one sheet, every sheet validated by the délégation), so its signed plan is in the portal. A
    contract signed before it came into the portal (imported, phase « Mise en œuvre et évaluation ») has it on
    paper: its sheets were validated and signed by everyone then, and an avenant, the way to change a signed plan,
    cannot add them. Once any sheet of the contract is validated (abandoned since included) or an avenant is
    recorded, the portal holds its signed plan: a new sheet goes through an avenant as for every signed contract.
    """
    if contract.phase not in ACTIVE_PHASES or contract.date_signature is None:
        return False, "Seul un contrat signé a un plan d'action signé à enregistrer."
    # One statement for both facts (this predicate runs on the plan page, the follow-up and every plan import).
    validated = contract.fiches.filter(Q(statut__in=VALIDATED_STATUSES) | Q(abandonnee_apres_validation=True))
    if Contract.objects.filter(pk=contract.pk).filter(Exists(contract.avenants.all()) | Exists(validated)).exists():
        return False, ("Le plan d'action signé de ce contrat est déjà dans le portail : une nouvelle fiche y entre "
                       "par un avenant (section « Avenants et versions » de la page du contrat).")
    return OK


AVENANT_REASON = ("Le contrat est signé : une fiche validée ne se modifie que si le dernier avenant en vigueur "
                  "l'ajoute ou la modifie (« Fiche ajoutée » ou « Fiche modifiée » : section « Avenants et versions » "
                  "de la page du contrat). Le suivi annuel et les valeurs des indicateurs restent modifiables.")


def can_edit_fiche(user, fiche) -> Result:
    allowed, reason = can_edit_plan(user, fiche.contract)
    if not allowed:
        return False, "Seul le coordinateur du contrat peut modifier cette fiche."
    if fiche.statut == FicheStatut.SOUMISE:
        return False, "La fiche est en cours de revue par la délégation : elle ne peut pas être modifiée."
    if fiche.statut in (FicheStatut.REALISEE, FicheStatut.ABANDONNEE):
        return False, f"Une fiche « {fiche.get_statut_display().lower()} » ne se modifie plus."
    if needs_avenant(fiche):
        return False, AVENANT_REASON
    return OK


def fiche_roles(user, fiche) -> set[str]:
    """The workflow roles (`Acteur`) `user` holds on `fiche`: who fires which transition."""
    if not user.is_authenticated:
        return set()
    roles = set()
    manages = _manages(user, fiche.contract)
    if manages:
        roles |= {Acteur.COORDINATEUR, Acteur.PILOTAGE}
    if user.is_portal_admin or is_delegation(user, fiche.contract):
        roles.add(Acteur.DELEGATION)
    if is_pilot(user, fiche):
        roles.add(Acteur.PILOTAGE)
    return roles


FIRE_REASONS = {
    Acteur.COORDINATEUR: "Seul le coordinateur du contrat peut effectuer cette action.",
    Acteur.DELEGATION: "Seule la délégation départementale peut effectuer cette action.",
    Acteur.PILOTAGE: "Seuls le coordinateur et les pilotes de la fiche peuvent effectuer cette action.",
}


def can_fire(user, fiche, transition) -> Result:
    """Who fires a transition of `actions.workflow.FICHES` (its `by`)."""
    if fiche_roles(user, fiche) & set(transition.by):
        return OK
    return False, FIRE_REASONS[transition.by[0]]


def can_view_review(user, fiche) -> Result:
    """The review conversation (comments, requests for changes): the coordinator and the délégation who
    hold it, the regional office, and the sheet's own pilots. Not elected officials, not other pilots."""
    contract = fiche.contract
    if _manages(user, contract) or is_delegation(user, contract) or is_region(user, contract) \
            or is_pilot(user, fiche):
        return OK
    return False, "Les échanges de la revue sont réservés au coordinateur, à la délégation et aux pilotes de la fiche."


def can_comment(user, fiche) -> Result:
    """The review conversation is between the coordinator and the délégation."""
    if _manages(user, fiche.contract) or is_delegation(user, fiche.contract):
        return OK
    return False, "Seuls le coordinateur et la délégation échangent sur la revue de la fiche."


def can_fill_suivi(user, fiche) -> Result:
    """Yearly follow-up (and the year's indicator values): the coordinator and the sheet's pilot(s)."""
    if not (_manages(user, fiche.contract) or is_pilot(user, fiche)):
        return False, "Seuls le coordinateur et les pilotes de la fiche renseignent son suivi annuel."
    if fiche.statut not in VALIDATED_STATUSES:
        return False, "Le suivi annuel concerne les fiches validées par la délégation."
    return OK


def can_record_milestone(user, fiche) -> Result:
    """The day a milestone is reached is implementation follow-up: whoever fills the annual follow-up records it
    (the coordinator and the sheet's pilots, on a validated sheet), without an avenant after signature."""
    if not (_manages(user, fiche.contract) or is_pilot(user, fiche)):
        return False, "Seuls le coordinateur et les pilotes de la fiche indiquent la réalisation de ses jalons."
    if fiche.statut not in VALIDATED_STATUSES:
        return False, "La réalisation des jalons se suit sur les fiches validées par la délégation."
    return OK


def can_review(user) -> Result:
    """The review queue of the délégation."""
    if user.is_portal_admin or user.has_role(Role.DELEGATION):
        return OK
    return False, "La file de revue est réservée aux délégations départementales."


def can_view_my_sheets(user) -> Result:
    """« Mes fiches »: the sheets a pilot pilots or co-pilots."""
    if user.is_portal_admin or user.has_role(Role.PILOTE):
        return OK
    return False, "« Mes fiches » est réservé aux pilotes de fiches actions."


def can_submit_plan(user, contract) -> Result:
    return can_edit_plan(user, contract)
