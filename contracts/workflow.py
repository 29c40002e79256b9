"""The contract lifecycle written as data, on the portal's workflow engine (`cls_portal.core.workflow`).

Guards are plain functions `(contract, ctx) -> str | None`: None when satisfied, otherwise the French
reason shown to the user; each comes with its label in words, listed on the contract page with its
state before the coordinator proposes. `ctx` is a `cls_portal.core.workflow.Context` (today's date,
the comment typed with the request, the roles the actor holds on the contract).

Modes:
- proposed (`proposed_by`): the coordinator proposes, the délégation (référent) validates, which fires
  the transition. The guards are checked when proposing AND again when validating (the dossier may
  have changed in between). Proposals have their own small workflow (`PROPOSALS`): validated or refused.
  When the contract has no coordinator (`permissions.has_coordinator`: none named yet in the phase
  préalable, or the coordinator left), nobody can propose: the délégation fires it directly, with the same
  guards, and the history says so (`unproposed_event`). When a coordinator is named, the délégation still
  waits for his proposal: the coordinator carries the dossier, the délégation checks it (two people).
  A proposal already pending when the coordinator leaves (or when one is named) is still decided as one.
- direct: fired at once by any of `by`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Q, When

from cls_portal.core.workflow import Context, Guard, Transition, Workflow

from . import registry
from .enums import MANDATORY_SIGNATORY_ROLES, ContractEvent, DocumentType, Phase, ProposalStatus, SignatoryRole
from .models import Contract, TransitionProposal

COORDINATEUR = "coordinateur"
DELEGATION = "delegation"


def GuardContext(today: dt.date, comment: str = "", by_delegation: bool = False) -> Context:  # noqa: N802
    """A guard context for a plain call (tests, pages): today's date, the comment, acting as the délégation."""
    return Context(today=today, comment=comment, roles=frozenset({DELEGATION} if by_delegation else ()))


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


def _plan_sheets(contract):
    """The sheets of the plan to sign: an abandoned one is out of it (`registry.dropped_sheet_statuses`)."""
    return contract.fiches.exclude(statut__in=registry.dropped_sheet_statuses.get())


def au_moins_une_fiche(contract, ctx):
    if not _plan_sheets(contract).exists():
        return ("Le plan d'action doit comporter au moins une fiche action (les fiches abandonnées n'en font plus "
                "partie).")
    return None


# With no sheet at all, « every sheet validated » and « every sheet piloted » were true, and showed « fait » beside
# « at least one sheet » not done: said as not done, since nothing was validated nor piloted yet.
NO_SHEET = "Le plan d'action ne compte encore aucune fiche action."


def _sheets_where(contract, condition: Q) -> tuple[bool, list[str]]:
    """Whether the plan has sheets, and the codes (« 2.3 ») of the first five that match `condition`, in the
    plan's order: one query over the plan's sheets (a few dozen rows)."""
    rows = (_plan_sheets(contract).annotate(_match=Case(When(condition, then=True), default=False,
                                                         output_field=BooleanField()))
            .order_by("axe__numero", "numero").values_list("axe__numero", "numero", "_match"))
    rows = list(rows)
    return bool(rows), [f"{axe}.{numero}" for axe, numero, match in rows if match][:5]


def fiches_toutes_validees(contract, ctx):
    any_sheet, pending = _sheets_where(contract, ~Q(statut__in=registry.validated_sheet_statuses.get()))
    if pending:
        return f"Toutes les fiches actions doivent être validées (non validées : {', '.join(pending)})."
    return None if any_sheet else NO_SHEET


def fiches_avec_pilote(contract, ctx):
    any_sheet, missing = _sheets_where(contract, Q(pilote_personne__isnull=True, pilote_organisation__isnull=True))
    if missing:
        return f"Chaque fiche action doit avoir un pilote identifié (sans pilote : {', '.join(missing)})."
    return None if any_sheet else NO_SHEET


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
    if ctx.acts_as(DELEGATION) and ctx.comment.strip():
        return None
    if ctx.acts_as(DELEGATION):
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


# --- the tables -------------------------------------------------------------------------------------

def _lifecycle_roles(user, contract) -> set[str]:
    from .permissions import lifecycle_roles  # permissions reads this table: imported when called

    return lifecycle_roles(user, contract)


def _has_coordinator(contract, t) -> bool:
    from .permissions import has_coordinator  # as `_lifecycle_roles`

    return has_coordinator(contract)


def _wrong_phase(t, contract) -> str:
    return (f"Le contrat n'est pas en « {Phase(t.source).label} » : ce changement de phase "
            "n'est pas possible.")


G = Guard
NO_PROPOSAL = ContractEvent.PHASE_CHANGEE_SANS_PROPOSITION
LETTRE_DEPOSEE = G("Lettre d'intention des élus déposée dans les documents du contrat", lettre_intention_deposee)
LETTRE_DATEE = G("Date de la lettre d'intention renseignée sur la fiche d'identité", lettre_intention_datee)
ENGAGEMENT = G("Engagement de la collectivité confirmé", engagement_confirme)
UNE_FICHE = G("Au moins une fiche action dans le plan d'action", au_moins_une_fiche)
FICHES_VALIDEES = G("Toutes les fiches actions validées par la délégation", fiches_toutes_validees)
FICHES_PILOTEES = G("Un pilote identifié pour chaque fiche action", fiches_avec_pilote)
SIGNATAIRES = G("Signataires obligatoires enregistrés : collectivité, ARS et préfecture", signataires_obligatoires)
CONTRAT_SIGNE = G("Contrat signé déposé dans les documents du contrat", contrat_signe_depose)
DERNIERE_ANNEE = G("Dernière année du contrat, ou décision motivée de la délégation", derniere_annee_ou_decision)
RAPPORT_FINAL = G("Rapport d'évaluation finale déposé dans les documents du contrat", rapport_evaluation_finale)

LIFECYCLE = Workflow(
    model=Contract, field="phase", roles=_lifecycle_roles, has_proposer=_has_coordinator, wrong_state=_wrong_phase,
    unknown="Ce changement de phase n'existe pas.",
    transitions=[
        Transition("engager", "Sortir de la phase préalable (engagement de la collectivité)",
                   (Phase.PREALABLE,), Phase.DIAGNOSTIC, by=(DELEGATION,), proposed_by=(COORDINATEUR,),
                   event=ContractEvent.PHASE_CHANGEE, unproposed_event=NO_PROPOSAL,
                   guards=(LETTRE_DEPOSEE, LETTRE_DATEE, ENGAGEMENT)),
        Transition("signer", "Signature du contrat (entrée en mise en œuvre)",
                   (Phase.DIAGNOSTIC,), Phase.MISE_EN_OEUVRE, by=(DELEGATION,), proposed_by=(COORDINATEUR,),
                   event=ContractEvent.PHASE_CHANGEE, unproposed_event=NO_PROPOSAL,
                   guards=(UNE_FICHE, FICHES_VALIDEES, FICHES_PILOTEES, SIGNATAIRES, CONTRAT_SIGNE)),
        Transition("ouvrir_evaluation_finale", "Ouvrir l'évaluation finale",
                   (Phase.MISE_EN_OEUVRE,), Phase.EVALUATION_FINALE, by=(COORDINATEUR, DELEGATION),
                   event=ContractEvent.PHASE_CHANGEE, guards=(DERNIERE_ANNEE,)),
        Transition("clore", "Clore le contrat",
                   (Phase.EVALUATION_FINALE,), Phase.CLOS, by=(DELEGATION,), proposed_by=(COORDINATEUR,),
                   event=ContractEvent.PHASE_CHANGEE, unproposed_event=NO_PROPOSAL, guards=(RAPPORT_FINAL,)),
    ],
)


def _proposal_roles(user, proposal) -> set[str]:
    return _lifecycle_roles(user, proposal.contract)


PROPOSALS = Workflow(
    model=TransitionProposal, field="status", roles=_proposal_roles,
    wrong_state=lambda t, proposal: "Cette proposition a déjà été traitée.",
    transitions=[
        # The validation's history line is the phase change it fires.
        Transition("valider", "Valider la proposition", (ProposalStatus.PENDING,), ProposalStatus.ACCEPTED,
                   by=(DELEGATION,)),
        Transition("refuser", "Refuser la proposition", (ProposalStatus.PENDING,), ProposalStatus.REFUSED,
                   by=(DELEGATION,), event=ContractEvent.PROPOSITION_REFUSEE, comment_required=True,
                   comment_message="Indiquez le motif du refus : il sera transmis au coordinateur."),
    ],
)

TRANSITIONS = LIFECYCLE.transitions


def transitions_from(phase: str) -> list[Transition]:
    return LIFECYCLE.available(phase)


def failed_guards(transition: Transition, contract, ctx: Context) -> list[str]:
    """French reasons for every unmet guard (empty when the transition may happen)."""
    return LIFECYCLE.failed_guards(transition, contract, ctx)
