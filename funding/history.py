"""History in words for funding: the sentence of each `FundingEvent`, who reads it, what it names.

Registered with `cls_portal.core.history` by `FundingConfig.ready`. Every funding line (amounts, salary,
payments and their mandate numbers, the dialogue de gestion) is for whoever may open the funding page
(`can_view_funding`), wherever the line is shown: the contract page, the funding page, an export.
"""

from cls_portal.core import history
from cls_portal.core.formatting import format_euros, format_percent

from . import permissions
from .enums import FundingEvent as E
from .models import AnneeFinancement, BilanFinancier, DialogueGestion, RegleFinancement

SENTENCES = {
    E.REGLE_CREEE: "Nouvelle version de la règle de financement de la région {region}",
    E.DEMANDE_DEPOSEE: "Demande de financement {annee} déposée",
    E.DEMANDE_MODIFIEE: "Demande de financement {annee} modifiée",
    E.INSTRUCTION: "Demande de financement {annee} prise en instruction",
    E.DECISION: "Décision de financement {annee} enregistrée",
    E.DECISION_REMPLACEE: "Décision de financement {annee} remplacée par une nouvelle décision",
    E.VERSEMENT: "Versement enregistré sur le financement {annee}",
    E.BILAN: "Bilan financier {annee} enregistré",
    E.DIALOGUE: "Dialogue de gestion {annee} enregistré",
    E.ANNEE_IMPORTEE: "Financement {annee} repris de l'historique par un import",
    E.ENGAGEMENT: "Engagement pluriannuel de l'ARS pour le poste de coordination enregistré",
}


def _field_labels(model, prefix=""):
    return {prefix + f.name: str(f.verbose_name) for f in model._meta.concrete_fields}


def _money_formatters(model, prefix=""):
    return {prefix + f.name: format_euros for f in model._meta.concrete_fields
            if f.get_internal_type() == "DecimalField" and f.decimal_places == 2 and f.max_digits >= 10}


def register():
    history.register_events(E, sentences=SENTENCES, audience="financement",
                            edits={E.DEMANDE_MODIFIEE, E.DIALOGUE, E.BILAN, E.ANNEE_IMPORTEE, E.ENGAGEMENT})
    history.register_audience("financement",
                              lambda user, contract: permissions.can_view_funding(user, contract)[0])
    history.register_subject(AnneeFinancement, lambda a: {"annee": a.annee})
    history.register_subject(DialogueGestion, lambda d: {"annee": d.annee})
    history.register_subject(RegleFinancement, lambda r: {"region": r.region.nom})
    history.register_labels({**_field_labels(BilanFinancier, "bilan_"), "montant_verse": "Montant versé",
                             "date_versement": "Date du versement", "reference": "Référence (mandat, titre)",
                             "date_decision": "Date de la décision",
                             "montant_accorde": "Montant accordé", "total_verse": "Total versé",
                             "engagement_total": "Total de l'engagement pluriannuel"})
    history.register_formatters({
        **_money_formatters(BilanFinancier, "bilan_"), "montant_verse": format_euros, "engagement_total": format_euros,
        "funding.reglefinancement.taux": lambda v: format_percent(v, 1).replace(",0\u00a0%", "\u00a0%"),
        "funding.anneefinancement.date_versement": _date, "date_versement": _date, "date_decision": _date,
        "bilan_etp_reel": lambda v: history.display_value(AnneeFinancement, "etp", v),
    })


def _date(value):
    return history.display_value(None, "date", value)
