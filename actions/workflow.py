"""The status workflow of action sheets, written as data on the portal's engine (`cls_portal.core.workflow`).

Who fires what: the coordinator submits and abandons, the délégation asks for changes and validates,
the sheet's pilots (or the coordinator) start, finish and postpone the action (`Acteur`, resolved by
`actions.permissions.fiche_roles`). Submitting needs a complete sheet (a guard listing what is missing).
"""

from cls_portal.core.workflow import Guard, Transition, Workflow

from .enums import Acteur, ActionEvent, FicheStatut
from .models import FicheAction


def _complete(fiche, ctx):
    from .selectors import fiche_missing

    missing = fiche_missing(fiche)
    if missing:
        return "La fiche ne peut pas être soumise : il manque " + ", ".join(missing) + "."
    return None


def _roles(user, fiche):
    from .permissions import fiche_roles

    return fiche_roles(user, fiche)


def _wrong_state(t, fiche) -> str:
    return f"Impossible de « {t.label.lower()} » une fiche « {fiche.get_statut_display().lower()} »."


def _added_by_avenant(fiche, ctx):
    """« Le CLS étant un outil souple et modulable, son contenu peut être ajusté ou enrichi tout au long de sa mise
    en œuvre. […] Un avenant au CLS intégrant ces modifications est alors rédigé et paraphé par l'ensemble des
    signataires » (fiche pratique n°5): after signature a new sheet joins the signed plan, and may be validated,
    once an avenant in force (initialled by every signatory) adds it. Before signature, no avenant."""
    from contracts.enums import ACTIVE_PHASES, PlanChangeKind

    contract = fiche.contract
    if contract.phase not in ACTIVE_PHASES:
        return None
    if fiche.avenant_changes.filter(kind=PlanChangeKind.AJOUT,
                                    avenant__plan_version__lte=contract.plan_version).exists():
        return None
    from .permissions import can_record_signed_plan

    reason = ("Le contrat est signé : une fiche ajoutée au plan d'action n'est validée qu'une fois en vigueur "
              "l'avenant qui l'ajoute (« Fiche ajoutée », paraphé par tous les signataires : section « Avenants et "
              "versions » de la page du contrat).")
    if can_record_signed_plan(contract)[0]:
        reason += (f" Le plan signé le {contract.date_signature:%d/%m/%Y} n'est pas encore dans le portail : le "
                   "coordinateur l'importe (« Importer un plan d'action ») en confirmant qu'il est celui signé, et "
                   "ses fiches sont alors enregistrées comme validées.")
    return reason


COMPLETE = Guard("Fiche complète (objectifs, pilote, calendrier, indicateurs avec une cible)", _complete)
ADDED_BY_AVENANT = Guard("Contrat signé : un avenant en vigueur ajoute la fiche au plan", _added_by_avenant)
S = FicheStatut

FICHES = Workflow(
    model=FicheAction, field="statut", roles=_roles, wrong_state=_wrong_state, unknown="Action inconnue.",
    transitions=[
        Transition("soumettre", "Soumettre à la délégation", (S.BROUILLON, S.A_MODIFIER), S.SOUMISE,
                   by=(Acteur.COORDINATEUR,), event=ActionEvent.FICHE_SOUMISE, guards=(COMPLETE,),
                   hints={"button_class": ""}),
        Transition("demander_modification", "Demander des modifications", (S.SOUMISE,), S.A_MODIFIER,
                   by=(Acteur.DELEGATION,), event=ActionEvent.FICHE_MODIFICATIONS_DEMANDEES, comment_required=True),
        Transition("valider", "Valider la fiche", (S.SOUMISE,), S.VALIDEE, by=(Acteur.DELEGATION,),
                   event=ActionEvent.FICHE_VALIDEE, guards=(ADDED_BY_AVENANT,), hints={"button_class": ""}),
        # The plan signed before the contract came into the portal, recorded by its import
        # (`services.plan_record_signed`, which checks `permissions.can_record_signed_plan` once for the whole
        # plan): a plan-level move, not offered on a sheet's page (`selectors.fiche_transitions`).
        Transition("enregistrer_plan_signe", "Enregistrer avec le plan signé", (S.BROUILLON,), S.VALIDEE,
                   by=(Acteur.COORDINATEUR,), event=ActionEvent.FICHE_PLAN_SIGNE, hints={"plan_level": True}),
        Transition("demarrer", "Démarrer l'action", (S.VALIDEE, S.REPORTEE), S.EN_COURS, by=(Acteur.PILOTAGE,),
                   event=ActionEvent.FICHE_DEMARREE),
        Transition("terminer", "Déclarer réalisée", (S.EN_COURS,), S.REALISEE, by=(Acteur.PILOTAGE,),
                   event=ActionEvent.FICHE_TERMINEE),
        Transition("reporter", "Reporter", (S.VALIDEE, S.EN_COURS), S.REPORTEE, by=(Acteur.PILOTAGE,),
                   event=ActionEvent.FICHE_REPORTEE, comment_required=True),
        Transition("abandonner", "Abandonner", (S.BROUILLON, S.A_MODIFIER, S.VALIDEE, S.EN_COURS, S.REPORTEE),
                   S.ABANDONNEE, by=(Acteur.COORDINATEUR,), event=ActionEvent.FICHE_ABANDONNEE,
                   comment_required=True),
    ],
)

TRANSITIONS = FICHES.transitions


def transitions_from(statut: str) -> list[Transition]:
    return FICHES.available(statut)
