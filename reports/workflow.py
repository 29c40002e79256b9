"""The life of an annual report job, written as data on the portal's engine (`cls_portal.core.workflow`).

en attente → en cours (a worker claims it) → prêt | échec; a failed job is sent again (en attente); a
job of a dead worker is released (en attente). A ready job is published once (by the délégation, or by
the coordinator recording the COPIL's decision); a published report never changes again.
The worker's steps are conditional UPDATEs (`claim()`): idempotent, they never wait on a lock.
"""

from cls_portal.core.workflow import SYSTEM, Guard, Transition, Workflow

from .enums import ReportEvent, ReportStatus
from .models import Report

COORDINATEUR, DELEGATION = "coordinateur", "delegation"


def _roles(user, report):
    from contracts.permissions import is_coordinator, is_delegation

    if user.is_portal_admin:
        return {COORDINATEUR, DELEGATION}
    roles = set()
    if is_coordinator(user, report.contract):
        roles.add(COORDINATEUR)
    if is_delegation(user, report.contract):
        roles.add(DELEGATION)
    return roles


WRONG_STATE = {
    "relancer": "Seul un rapport en échec peut être relancé.",
    "publier": "Seul un rapport prêt peut être publié.",
}


def _not_published(report, ctx):
    return "Ce rapport est déjà publié : il ne peut plus être modifié." if report.published else None


S = ReportStatus
JOBS = Workflow(
    model=Report, field="status", roles=_roles,
    wrong_state=lambda t, report: WRONG_STATE.get(t.name, f"« {t.label} » n'est pas possible pour ce rapport."),
    transitions=[
        Transition("produire", "Commencer la production", (S.EN_ATTENTE, S.EN_COURS), S.EN_COURS, by=(SYSTEM,)),
        Transition("terminer", "Terminer la production", (S.EN_COURS,), S.PRET, by=(SYSTEM,),
                   event=ReportEvent.PRET),
        Transition("echouer", "Constater l'échec", (S.EN_COURS,), S.ECHEC, by=(SYSTEM,), event=ReportEvent.ECHEC),
        Transition("liberer", "Remettre en attente", (S.EN_COURS,), S.EN_ATTENTE, by=(SYSTEM,)),
        Transition("relancer", "Relancer la production", (S.ECHEC,), S.EN_ATTENTE, by=(COORDINATEUR, DELEGATION),
                   event=ReportEvent.RELANCE),
        Transition("publier", "Publier", (S.PRET,), None, by=(COORDINATEUR, DELEGATION), event=ReportEvent.PUBLIE,
                   guards=(Guard("Rapport pas encore publié", _not_published),)),
    ],
)
