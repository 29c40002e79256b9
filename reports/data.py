"""Everything a report shows, gathered in one place (the only module that reads other apps' data).

`report_data(contract, kind, year)` returns plain values (str, int, Decimal, date, lists, dicts): the
templates render them and `fingerprint()` hashes them, so an unchanged contract reuses its last file.
The number of queries does not depend on the number of sheets or indicators (everything is prefetched).

Sources: the contract (signatories, governance meetings, avenants), the action plan (axes, sheets,
indicators, yearly follow-up, budget lines and funders) and the funding of the coordination post.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from actions import selectors as actions_selectors
from actions.enums import FicheStatut
from actions.models import Axe, FicheAction, Financement, Indicateur, LigneBudget, PartenaireFiche, ValeurIndicateur
from actions.periods import completeness
from actions.permissions import reported_plan_scope, validated_plan_scope
from cls_portal.core.collation import french_key
from contracts.enums import SignatoryRole
from funding import selectors as funding_selectors

from .enums import ReportKind

# Bump when the templates change what a given set of data looks like: old files are not reused.
# 4: print charts draw their texts as HTML (issue 19); 5: a table's caption keeps with its table; 6: a sheet's
# heading and its badges keep with its first lines; 7: a value never under a chart line, « toutes réalisées », not
# « dont 0 en cours ».
LAYOUT_VERSION = 7

ZERO = Decimal("0")


# --- Cover and year in brief -------------------------------------------------------------------

def _signatories(contract) -> list[str]:
    """The contract's signatories (associated partners are not), else the two parties every CLS has."""

    rows = (contract.signatories.exclude(role=SignatoryRole.PARTENAIRE).select_related("organisation")
            .order_by("role", "organisation__nom"))
    names = [str(s.organisation) for s in rows]
    return names or [str(contract.collectivite), str(contract.ars)]


def _cover(contract, year) -> dict:
    perimeter = contract.communes.aggregate(population=Sum("population"), n=Count("code"))
    departements = sorted({d.departement.nom for d in
                           contract.delegations.select_related("departement")}, key=french_key)
    return {
        "nom": contract.nom,
        "year": year,
        "collectivite": str(contract.collectivite),
        "ars": str(contract.ars),
        "territoire": contract.epci.nom if contract.epci_id else str(contract.collectivite),
        "departements": departements,
        "population": perimeter["population"] or 0,
        "nb_communes": perimeter["n"] or 0,
        "signataires": _signatories(contract),
        "prs": contract.prs,
        "generation": contract.generation,
        "date_signature": contract.date_signature,
        "date_fin": contract.date_fin,
    }


def _year_in_brief(contract, year) -> dict:
    key_dates = [{"label": label, "date": value} for label, value in [
        ("Début de la phase préalable", contract.date_debut_prealable),
        ("Signature du contrat", contract.date_signature),
        ("Fin prévue du contrat", contract.date_fin)] if value]
    meetings = [{"date": m.date, "instance": f"{m.instance.get_type_display()} — {m.instance.nom}",
                 "objet": m.ordre_du_jour, "decisions": m.decisions, "revue_annuelle": m.revue_annuelle}
                # held meetings only: one planned later in the year is not reported as held
                for m in contract.meetings.filter(date__year=year, date__lte=timezone.localdate())
                .select_related("instance").order_by("date", "id")]
    avenants = [{"numero": a.numero, "objet": a.objet, "date": a.date, "plan_version": a.plan_version}
                # in force only: an avenant waiting for initials does not change the plan yet
                for a in contract.avenants.filter(date__year=year, plan_version__lte=contract.plan_version)
                .order_by("numero")]
    # what each signatory or partner commits to bring (written on the contract page), when written
    commitments = [{"organisation": str(s.organisation), "engagements": s.engagements}
                   for s in contract.signatories.select_related("organisation").order_by("role", "organisation__nom")
                   if s.engagements]
    return {"phase": contract.get_phase_display(), "key_dates": key_dates, "meetings": meetings,
            "avenants": avenants, "commitments": commitments}


# --- Action plan --------------------------------------------------------------------------------

# The plan as signed and amended (`actions.permissions.reported_plan_scope`: validated sheets and those abandoned
# after their validation): a sheet in preparation, or abandoned before it was validated, is in no report, since
# reports are published to the elected officials and in the public directory.


def _axes(contract):

    indicators = Indicateur.objects.order_by("id").prefetch_related(
        Prefetch("valeurs", queryset=ValeurIndicateur.objects.order_by("annee")))
    fiches = (FicheAction.objects.filter(reported_plan_scope())
              .select_related("pilote_organisation", "pilote_personne")
              .prefetch_related(Prefetch("indicateurs", queryset=indicators), "suivis",
                                Prefetch("partenaires",
                                         queryset=PartenaireFiche.objects.select_related("organisation")))
              .order_by("numero"))
    return (Axe.objects.filter(contract=contract).order_by("numero")
            .prefetch_related(Prefetch("fiches", queryset=fiches)))


def _indicator(ind, year) -> dict:
    history = [(v.annee, v.valeur) for v in ind.valeurs.all() if v.annee <= year]
    value = next((v for y, v in history if y == year), None)
    stored = next((v for v in ind.valeurs.all() if v.annee == year), None)
    # a sub-annual indicator's year made from some of its periods only (key absent otherwise: same fingerprint)
    note = {"completude": n} if stored and (n := completeness(stored.periodes_renseignees, ind.frequence)) else {}
    return {
        **note,
        "libelle": ind.libelle,
        "unite": ind.unite,
        "reference": ind.valeur_reference,
        "annee_reference": ind.annee_reference,
        "cible": ind.cible,
        "annee_cible": ind.annee_cible,
        "hausse_attendue": ind.hausse_attendue,
        "valeur": value,
        "atteint": ind.atteint(value),
        "historique": history,
    }


def _follow_up(fiche, year) -> dict | None:
    suivi = next((s for s in fiche.suivis.all() if s.annee == year), None)
    if suivi is None:
        return None
    return {"avancement": suivi.get_avancement_display(), "realise": suivi.realise,
            "difficultes": suivi.difficultes, "perspectives": suivi.perspectives}


def _pilot(fiche) -> str:
    person = fiche.pilote_personne.get_full_name() if fiche.pilote_personne_id else ""
    org = str(fiche.pilote_organisation) if fiche.pilote_organisation_id else ""
    return " — ".join(p for p in (person, org) if p)


def _partner_commitments(fiche) -> list[dict]:
    """What each partner of the sheet commits (ordinary resources, funding in €, engineering), when written."""
    return [{"organisation": str(p.organisation), "role": p.get_role_display(),
             "moyens_droit_commun": p.moyens_droit_commun, "financement": p.financement, "ingenierie": p.ingenierie}
            for p in fiche.partenaires.all() if p.has_commitments]


def _action_plan(contract, year) -> dict:

    axes, by_status, priorities = [], {s.label: 0 for s in FicheStatut}, []
    followed = indicators = reached = 0
    for axe in _axes(contract):
        sheets = []
        for fiche in axe.fiches.all():
            code = f"{axe.numero}.{fiche.numero}"
            by_status[fiche.get_statut_display()] += 1
            suivi = _follow_up(fiche, year)
            followed += suivi is not None
            if suivi and suivi["perspectives"]:
                priorities.append({"code": code, "titre": fiche.titre, "texte": suivi["perspectives"]})
            rows = [_indicator(ind, year) for ind in fiche.indicateurs.all()]
            indicators += len(rows)
            reached += sum(1 for r in rows if r["atteint"])
            sheet = {"code": code, "titre": fiche.titre, "statut": fiche.get_statut_display(),
                     "pilote": _pilot(fiche), "suivi": suivi, "indicateurs": rows}
            commitments = _partner_commitments(fiche)
            if commitments:  # key absent otherwise: an unchanged sheet keeps its fingerprint
                sheet["partenaires"] = commitments
            sheets.append(sheet)
        axes.append({"numero": axe.numero, "titre": axe.titre, "type": axe.get_type_display(), "fiches": sheets})
    total = sum(by_status.values())
    return {
        "axes": axes,
        "status_counts": [(label, n) for label, n in by_status.items() if n],
        "total": total,
        "realisees": by_status[FicheStatut.REALISEE.label],
        "en_cours": by_status[FicheStatut.EN_COURS.label],
        "suivies": followed,
        "nb_indicateurs": indicators,
        "indicateurs_atteints": reached,
        "priorities": priorities,
    }


def activity_data(contract, year: int) -> dict:
    return {"cover": _cover(contract, year), "brief": _year_in_brief(contract, year),
            "plan": _action_plan(contract, year)}


# --- Financial report ---------------------------------------------------------------------------

def _actions_funding(contract, year) -> dict:
    """Funding of actions by funder (planned) and planned vs actual spending per sheet (budget lines)."""

    fiches = (FicheAction.objects.filter(reported_plan_scope(), contract=contract).select_related("axe")
              .prefetch_related(Prefetch("financements", queryset=Financement.objects.filter(annee=year)
                                         .select_related("organisation")),
                                Prefetch("lignes_budget", queryset=LigneBudget.objects.filter(annee=year)))
              .order_by("axe__numero", "numero"))
    by_funder, lines = {}, []
    for fiche in fiches:
        funded = ZERO
        for fin in fiche.financements.all():
            label = fin.get_financeur_display()
            if fin.organisation_id:
                label = f"{label} — {fin.organisation}"
            row = by_funder.setdefault(label, {"financeur": label, "montant": ZERO, "fiches": 0})
            row["montant"] += fin.montant
            row["fiches"] += 1
            funded += fin.montant
        budget = list(fiche.lignes_budget.all())
        prevu = sum((b.montant_prevu for b in budget), ZERO)
        known = [b.montant_realise for b in budget if b.montant_realise is not None]
        realise = sum(known, ZERO) if known else None
        if budget or funded:
            lines.append({"code": f"{fiche.axe.numero}.{fiche.numero}", "titre": fiche.titre, "prevu": prevu,
                          "finance": funded, "realise": realise,
                          "ecart": (realise - prevu) if realise is not None else None})
    funders = sorted(by_funder.values(), key=lambda r: (-r["montant"], r["financeur"]))
    known_lines = [r for r in lines if r["realise"] is not None]
    return {
        "funders": funders,
        "total_finance": sum((r["montant"] for r in funders), ZERO),
        "lines": lines,
        "total_prevu": sum((r["prevu"] for r in lines), ZERO),
        "total_realise": sum((r["realise"] for r in known_lines), ZERO) if known_lines else None,
    }


def financial_data(contract, year: int) -> dict:
    return {"cover": _cover(contract, year), "post": funding_selectors.post_year_summary(contract, year),
            "actions": _actions_funding(contract, year)}


# --- Final evaluation report -------------------------------------------------------------------

def _evaluation_method(contract) -> dict:
    """The final evaluation's method as the contract sets it out (contract page, « Méthode de l'évaluation »)."""
    return {"questions": contract.evaluation_questions, "evaluateurs": contract.evaluation_evaluateurs,
            "calendrier": contract.evaluation_calendrier}


def _indicator_summary(contract, year: int) -> dict:
    """Every indicator of the validated plan over the contract's years up to `year`: the selector of the
    « Bilan des indicateurs » page (`actions.selectors.indicator_summary`), limited to what an elected official
    reads there (`validated_plan_scope`: no draft, no sheet under review), as plain values."""
    years, rows = actions_selectors.indicator_summary(contract, validated_plan_scope(), today=dt.date(year, 12, 31))
    return {
        "years": years,
        "counts": actions_selectors.summary_counts(rows),
        "rows": [{"fiche": r.fiche.code, "fiche_titre": r.fiche.titre, "libelle": r.indicateur.libelle,
                  "unite": r.indicateur.unite, "reference": r.indicateur.valeur_reference,
                  "annee_reference": r.indicateur.annee_reference, "cible": r.indicateur.cible,
                  "annee_cible": r.indicateur.annee_cible, "hausse_attendue": r.indicateur.hausse_attendue,
                  "cells": [{"valeur": v, "note": n} for v, n in r.cells], "last": r.last,
                  "last_year": r.last_year, "reached": r.reached} for r in rows],
    }


def evaluation_data(contract, year: int) -> dict:
    return {"cover": _cover(contract, year), "method": _evaluation_method(contract),
            "summary": _indicator_summary(contract, year)}


BUILDERS = {ReportKind.ACTIVITE: activity_data, ReportKind.FINANCIER: financial_data,
            ReportKind.EVALUATION: evaluation_data}


def report_data(contract, kind: str, year: int) -> dict:
    if kind not in ReportKind.values:
        raise ValueError(f"Type de rapport inconnu : {kind}")
    return BUILDERS[ReportKind(kind)](contract, year)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def fingerprint(kind: str, year: int, data: dict) -> str:
    """Stable hash of what a report is made from (same data and layout -> same file)."""
    payload = json.dumps({"layout": LAYOUT_VERSION, "kind": kind, "year": year, "data": data},
                         sort_keys=True, default=_json_default, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()
