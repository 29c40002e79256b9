"""The review workflow of a diagnostic, written as data on the portal's engine (`cls_portal.core.workflow`).

The coordinator submits (with at least one priority retained); the délégation comments (the status
stays), asks for changes or validates. A validated diagnostic is frozen; a new version starts a new draft.
"""

from cls_portal.accounts.models import Role
from cls_portal.core.workflow import Guard, Transition, Workflow

from .enums import DiagnosticEvent, Statut
from .enums import Transition as T
from .models import Diagnostic


def _priorites(diagnostic, ctx):
    if not diagnostic.priorites.exists():
        return "Retenez au moins une priorité avant de soumettre le diagnostic."
    return None


def _roles(user, diagnostic):
    from contracts.permissions import is_coordinator, is_delegation

    if user.is_portal_admin:
        return {Role.COORDINATEUR, Role.DELEGATION}
    roles = set()
    if is_coordinator(user, diagnostic.contract):
        roles.add(Role.COORDINATEUR)
    if is_delegation(user, diagnostic.contract):
        roles.add(Role.DELEGATION)
    return roles


def _wrong_state(t, diagnostic) -> str:
    return f"Action impossible : le diagnostic est « {diagnostic.get_statut_display()} »."


PRIORITES = Guard("Au moins une priorité retenue", _priorites)

REVIEW = Workflow(
    model=Diagnostic, field="statut", roles=_roles, wrong_state=_wrong_state, unknown="Action inconnue.",
    transitions=[
        Transition(T.SOUMETTRE, T.SOUMETTRE.label, (Statut.BROUILLON, Statut.A_MODIFIER), Statut.SOUMIS,
                   by=(Role.COORDINATEUR,), event=DiagnosticEvent.SOUMIS, guards=(PRIORITES,)),
        Transition(T.COMMENTER, T.COMMENTER.label, (Statut.BROUILLON, Statut.SOUMIS, Statut.A_MODIFIER), None,
                   by=(Role.DELEGATION,), event=DiagnosticEvent.COMMENTE, comment_required=True,
                   comment_message="Écrivez votre commentaire pour le coordinateur."),
        Transition(T.DEMANDER_MODIFICATIONS, T.DEMANDER_MODIFICATIONS.label, (Statut.SOUMIS,), Statut.A_MODIFIER,
                   by=(Role.DELEGATION,), event=DiagnosticEvent.MODIFICATIONS_DEMANDEES, comment_required=True,
                   comment_message="Expliquez au coordinateur ce qui doit être modifié."),
        Transition(T.VALIDER, T.VALIDER.label, (Statut.SOUMIS,), Statut.VALIDE, by=(Role.DELEGATION,),
                   event=DiagnosticEvent.VALIDE),
    ],
)
