"""The states of a year's funding and who moves it, written as data on the portal's engine.

deposée → en instruction → décidée (a decision may be replaced; payments keep it décidée) → bilan
enregistré (a statement may be corrected). The coordinator amends the request while it waits and writes
the statement; the délégation instructs, decides, records payments (and may record the statement).
"""

from cls_portal.core.workflow import Transition, Workflow

from .enums import Acteur, FundingEvent, Statut
from .models import AnneeFinancement


def _roles(user, annee):
    from contracts.permissions import is_coordinator, is_delegation

    if user.is_portal_admin:
        return {Acteur.DEMANDEUR, Acteur.DELEGATION}
    roles = set()
    if is_coordinator(user, annee.contract):
        roles.add(Acteur.DEMANDEUR)
    if is_delegation(user, annee.contract):
        roles.add(Acteur.DELEGATION)
    return roles


def _wrong_state(t, annee) -> str:
    return (f"« {t.label} » n'est pas possible : la demande {annee.annee} est à l'état "
            f"« {annee.get_statut_display()} ».")


YEARS = Workflow(
    model=AnneeFinancement, field="statut", roles=_roles, wrong_state=_wrong_state,
    transitions=[
        Transition("modifier", "Modifier la demande", (Statut.DEPOSEE,), Statut.DEPOSEE, by=(Acteur.DEMANDEUR,),
                   event=FundingEvent.DEMANDE_MODIFIEE),
        Transition("instruire", "Prendre en instruction", (Statut.DEPOSEE,), Statut.EN_INSTRUCTION,
                   by=(Acteur.DELEGATION,), event=FundingEvent.INSTRUCTION),
        Transition("decider", "Enregistrer la décision", (Statut.EN_INSTRUCTION, Statut.DECIDEE), Statut.DECIDEE,
                   by=(Acteur.DELEGATION,), event=FundingEvent.DECISION),
        Transition("verser", "Enregistrer un versement", (Statut.DECIDEE,), Statut.DECIDEE, by=(Acteur.DELEGATION,),
                   event=FundingEvent.VERSEMENT),
        Transition("bilan", "Enregistrer le bilan financier", (Statut.DECIDEE, Statut.SOLDEE), Statut.SOLDEE,
                   by=(Acteur.DEMANDEUR, Acteur.DELEGATION), event=FundingEvent.BILAN),
    ],
)


def etape_possible(name: str, statut: str) -> bool:
    return statut in YEARS[name].sources
