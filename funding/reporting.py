"""What the annual financial report (reports) shows of the coordination post: plain values only."""

from __future__ import annotations

from decimal import Decimal

from cls_portal.core.formatting import format_euros, format_number, format_percent

from . import rules
from .models import AnneeFinancement, BilanFinancier, rule_for


def _share(amount: Decimal, cost: Decimal) -> Decimal | None:
    return (amount / cost).quantize(Decimal("0.0001")) if cost else None


def post_year_summary(contract, year: int) -> dict | None:
    """The post's year for the report, or None when nothing was filed for that year (five queries)."""
    annee = (AnneeFinancement.objects.filter(contract=contract, annee=year)
             .prefetch_related("versements", "decisions").first())
    if annee is None:
        return None
    regle = rule_for(contract.ars.region_id, year)
    cost = annee.cout_eligible
    bilan = BilanFinancier.objects.filter(annee=annee).first()
    decisions = sorted(annee.decisions.all(), key=lambda d: (d.created_at, d.pk), reverse=True)
    current = decisions[0] if decisions else None
    payments = sorted(annee.versements.all(), key=lambda v: (v.date, v.pk))
    if bilan is not None:
        solde = bilan.part_ars_due - annee.total_verse
    elif annee.montant_accorde is not None:
        solde = annee.montant_accorde - annee.total_verse
    else:
        solde = None
    return {
        "etp": annee.etp,
        "mois_pourvus": annee.mois_pourvus,
        "cout_eligible": cost,
        "plafond_ars": rules.ars_maximum(regle, etp=annee.etp, mois=annee.mois_pourvus, cout_eligible=cost),
        "calcul_plafond": rules.explication(regle, etp=annee.etp, mois=annee.mois_pourvus, cout_eligible=cost),
        "regle": (f"{regle.libelle} : {format_percent(regle.taux)} d'un poste à {format_euros(regle.cout_reference)}, "
                  f"plafond annuel {format_euros(regle.plafond_annuel)}"
                  + (f", au moins {format_number(regle.etp_minimum.normalize())} ETP" if regle.etp_minimum else "")),
        "parts": [
            {"label": "ARS (demandé)", "montant": annee.demande_ars, "part": _share(annee.demande_ars, cost)},
            {"label": "Collectivité", "montant": annee.demande_collectivite,
             "part": _share(annee.demande_collectivite, cost)},
            {"label": annee.autres_partenaires or "Autres partenaires", "montant": annee.demande_autres,
             "part": _share(annee.demande_autres, cost)},
        ],
        "montant_accorde": annee.montant_accorde,
        "date_decision": current.date_decision if current else None,
        "versements": [{"date": v.date, "libelle": v.reference or "Versement", "montant": v.montant}
                       for v in payments],
        "total_verse": annee.total_verse,
        "solde": solde,
        "statut": annee.get_statut_display(),
    }
