"""The contract lifecycle written as data: transitions, who may fire them, and their guards.

A guard is a plain function `(contract, ctx) -> str | None`: None when satisfied, otherwise the French
reason shown to the user. `ctx` is a `GuardContext` (today's date, the comment typed with the request,
whether the actor is the délégation).

Firing modes:
- "propose": the coordinator proposes, the délégation (référent) validates. The guards are checked
  when proposing AND again when validating (the dossier may have changed in between).
- "direct": fired at once by any of `actors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from . import registry
from .enums import MANDATORY_SIGNATORY_ROLES, DocumentType, Phase, SignatoryRole

COORDINATEUR = "coordinateur"
DELEGATION = "delegation"


@dataclass(frozen=True)
class GuardContext:
    today: dt.date
    comment: str = ""
    by_delegation: bool = False


Guard = Callable[[object, GuardContext], "str | None"]


def _has_current_document(contract, doc_type) -> bool:
    return contract.documents.filter(type=doc_type, superseded_by__isnull=True).exists()


# --- guards -----------------------------------------------------------------------------------------

def lettre_intention_deposee(contract, ctx):
    if not _has_current_document(contract, DocumentType.LETTRE_INTENTION):
        return "La lettre d'intention des élus doit être déposée dans les documents du contrat."
    return None


def lettre_intention_datee(contract, ctx):
    if not contract.date_lettre_intention:
        return "La date de la lettre d'intention doit être renseignée sur la fiche d'identité du contrat."
    return None


def engagement_confirme(contract, ctx):
    if not contract.engagement_confirme:
        return "La collectivité doit avoir confirmé son engagement dans la démarche."
    return None


def au_moins_une_fiche(contract, ctx):
    if not contract.fiches.exists():
        return "Le plan d'action doit comporter au moins une fiche action."
    return None


def fiches_toutes_validees(contract, ctx):
    pending = list(contract.fiches.exclude(statut__in=registry.validated_sheet_statuses.get()).select_related("axe")
                   .order_by("axe__numero", "numero")[:5])
    if pending:
        codes = ", ".join(f.code for f in pending)
        return f"Toutes les fiches actions doivent être validées (non validées : {codes})."
    return None


def fiches_avec_pilote(contract, ctx):
    missing = list(contract.fiches.filter(pilote_personne__isnull=True, pilote_organisation__isnull=True)
                   .select_related("axe").order_by("axe__numero", "numero")[:5])
    if missing:
        codes = ", ".join(f.code for f in missing)
        return f"Chaque fiche action doit avoir un pilote identifié (sans pilote : {codes})."
    return None


def signataires_obligatoires(contract, ctx):
    present = set(contract.signatories.values_list("role", flat=True))
    missing = [SignatoryRole(r).label.split(" : ")[-1] for r in MANDATORY_SIGNATORY_ROLES if r not in present]
    if missing:
        return "Il manque des signataires obligatoires : " + ", ".join(missing) + "."
    return None


def contrat_signe_depose(contract, ctx):
    if not _has_current_document(contract, DocumentType.CONTRAT_SIGNE):
        return "Le contrat signé doit être déposé dans les documents du contrat."
    return None


def derniere_annee_ou_decision(contract, ctx):
    if contract.in_last_year(ctx.today):
        return None
    if ctx.by_delegation and ctx.comment.strip():
        return None
    if ctx.by_delegation:
        return ("L'évaluation finale s'ouvre normalement la dernière année du contrat : "
                "indiquez le motif de cette ouverture anticipée.")
    end = contract.date_fin
    when = f" (à partir du {end.replace(year=end.year - 1) + dt.timedelta(days=1):%d/%m/%Y})" if end else ""
    return ("L'évaluation finale ne peut s'ouvrir que la dernière année du contrat" + when
            + ", sauf décision motivée de la délégation départementale.")


def rapport_evaluation_finale(contract, ctx):
    if not _has_current_document(contract, DocumentType.RAPPORT_EVALUATION_FINALE):
        return "Le rapport d'évaluation finale doit être déposé avant la clôture du contrat."
    return None


# --- the table --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    mode: str  # "propose" (coordinator proposes, délégation validates) or "direct"
    actors: tuple[str, ...]  # who may propose (mode propose) or fire (mode direct)
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    comment_required_for_delegation: bool = False


TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("engager", "Sortir de la phase préalable (engagement de la collectivité)",
               Phase.PREALABLE, Phase.DIAGNOSTIC, "propose", (COORDINATEUR,),
               (lettre_intention_deposee, lettre_intention_datee, engagement_confirme)),
    Transition("signer", "Signature du contrat (entrée en mise en œuvre)",
               Phase.DIAGNOSTIC, Phase.MISE_EN_OEUVRE, "propose", (COORDINATEUR,),
               (au_moins_une_fiche, fiches_toutes_validees, fiches_avec_pilote, signataires_obligatoires,
                contrat_signe_depose)),
    Transition("ouvrir_evaluation_finale", "Ouvrir l'évaluation finale",
               Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE, "direct", (COORDINATEUR, DELEGATION),
               (derniere_annee_ou_decision,)),
    Transition("clore", "Clore le contrat",
               Phase.EVALUATION_FINALE, Phase.CLOS, "propose", (COORDINATEUR,),
               (rapport_evaluation_finale,)),
]}


def transitions_from(phase: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.source == phase]


def failed_guards(transition: Transition, contract, ctx: GuardContext) -> list[str]:
    """French reasons for every unmet guard (empty when the transition may happen)."""
    return [reason for guard in transition.guards if (reason := guard(contract, ctx))]
