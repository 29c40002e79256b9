"""The steps of the source method (fiche pratique n°5), planned from the contract's dates.

Pure functions: they return unsaved step definitions; services save them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .enums import Phase, StepKind


@dataclass(frozen=True)
class StepDef:
    kind: str
    phase: str
    ordre: int
    objectif: str
    description: str
    acteurs: str
    start_months: int | None  # months after the start of the préalable phase (before signature)
    due_months: int | None


METHOD_STEPS = [
    StepDef(StepKind.ENGAGEMENT, Phase.PREALABLE, 10,
            "Obtenir l'engagement de la collectivité dans la démarche de CLS.",
            "Dialogue entre la délégation départementale et la collectivité, rencontre avec les élus, "
            "présentation des atouts d'un CLS ; se conclut par la lettre d'intention des élus.",
            "Élus, délégation départementale de l'ARS, direction de la collectivité", 0, 3),
    StepDef(StepKind.PREPARATION_DIAGNOSTIC, Phase.DIAGNOSTIC, 20,
            "Préparer le diagnostic local de santé partagé.",
            "Périmètre géographique, hypothèses de gouvernance et de coordination, actions de santé déjà "
            "conduites, acteurs à associer, rétroplanning et outils du diagnostic.",
            "Coordinateur, délégation départementale, ORS", 3, 4),
    StepDef(StepKind.REALISATION_DIAGNOSTIC, Phase.DIAGNOSTIC, 30,
            "Réaliser le diagnostic et installer la gouvernance (COPIL, COTECH).",
            "Données quantitatives et qualitatives, croisement avec le PRS, le PRSE, le PTSM ; avis des "
            "acteurs, des élus, des professionnels et des habitants ; portrait de territoire.",
            "Coordinateur, COTECH, partenaires, habitants", 4, 8),
    StepDef(StepKind.PLAN_ACTION, Phase.DIAGNOSTIC, 40,
            "Construire le plan d'action : axes stratégiques et fiches actions.",
            "Définition des priorités en axes, rédaction des fiches actions avec un pilote identifié, "
            "en groupes de travail.",
            "Coordinateur, pilotes d'action, groupes de travail", 8, 11),
    StepDef(StepKind.SIGNATURE, Phase.DIAGNOSTIC, 50,
            "Valider le plan d'action et signer le contrat.",
            "Validation de chaque fiche action puis signature par la collectivité, l'ARS, la préfecture et "
            "les autres signataires.",
            "COPIL, signataires", 11, 12),
    StepDef(StepKind.MISE_EN_OEUVRE, Phase.MISE_EN_OEUVRE, 60,
            "Mettre en œuvre les fiches actions selon le rétroplanning.",
            "Conduite des actions, animation des groupes de travail, réunions du COPIL.",
            "Coordinateur, pilotes d'action, partenaires", None, None),
    StepDef(StepKind.EVALUATION_FINALE, Phase.EVALUATION_FINALE, 80,
            "Évaluer le contrat et préparer son renouvellement.",
            "Évaluation finale supervisée par le COPIL, la dernière année du contrat.",
            "COPIL, coordinateur, délégation départementale", None, None),
    StepDef(StepKind.VALORISATION, Phase.EVALUATION_FINALE, 90,
            "Valoriser et faire connaître les résultats du CLS.",
            "Communication auprès des élus, des partenaires et des habitants ; restitution publique.",
            "Coordinateur, élus", None, None),
]

# What completes a step (the method as data). A phase change completes the step it concludes, that day; the steps of
# the phases the contract has left are then done too (`phases_behind`), on their planned date (today when that is
# still to come), as the import marks those of the phases already past. The délégation validating the diagnostic
# completes its preparation and its realisation.
DONE_BY_TRANSITION = {"engager": StepKind.ENGAGEMENT, "signer": StepKind.SIGNATURE,
                      "clore": StepKind.EVALUATION_FINALE}
DONE_BY_DIAGNOSTIC = (StepKind.PREPARATION_DIAGNOSTIC, StepKind.REALISATION_DIAGNOSTIC)


def phases_behind(phase: str) -> list[str]:
    """The phases a contract in `phase` has left."""
    order = list(Phase.values)
    return order[:order.index(phase)]


EVALUATION_CONTINUE = StepDef(
    StepKind.EVALUATION_CONTINUE, Phase.MISE_EN_OEUVRE, 70,
    "Suivre chaque année les indicateurs des fiches actions.",
    "Rapport d'activité et bilan financier annuels, revue annuelle du COPIL.",
    "Coordinateur, pilotes d'action, COPIL", None, None)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


# « Avant la signature : 6 mois à 1 an » (fiche pratique n°5): the préalable, the diagnostic and the plan
# together. The default plan takes the year; an expected signature sooner than 6 months is refused.
DEFAULT_PLAN_MONTHS = 12
MIN_PLAN_MONTHS = 6
MAX_PLAN_MONTHS = 48


def _at(debut: dt.date, months: int, signature_prevue: dt.date | None) -> dt.date:
    """`months` of the default 12-month plan, stretched or shrunk to end at `signature_prevue`."""
    if signature_prevue is None:
        return add_months(debut, months)
    span = (signature_prevue - debut).days
    return debut + dt.timedelta(days=round(span * months / DEFAULT_PLAN_MONTHS))


def planned_dates(step: StepDef, *, debut: dt.date, signature: dt.date | None, fin: dt.date | None,
                  signature_prevue: dt.date | None = None):
    """(start, due) for a method step. Before signature the phase lengths of the default plan are
    used, stretched to the expected signature date when there is one."""
    if step.due_months is not None:
        return _at(debut, step.start_months, signature_prevue), _at(debut, step.due_months, signature_prevue)
    if signature is None or fin is None:
        return None, None
    if step.kind == StepKind.MISE_EN_OEUVRE:
        return signature, fin
    last_year = fin.replace(year=fin.year - 1) + dt.timedelta(days=1) if not (fin.month == 2 and fin.day == 29) \
        else dt.date(fin.year - 1, 3, 1)
    if step.kind == StepKind.EVALUATION_FINALE:
        return last_year, fin
    return add_months(fin, -3), fin  # valorisation


def evaluation_years(signature: dt.date, duree: int) -> list[int]:
    """One yearly review per year of the contract, the year after each anniversary's start."""
    return [signature.year + i for i in range(1, duree + 1) if i < duree] or [signature.year + 1]
