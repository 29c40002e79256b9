"""Everything a report shows, gathered in one place (the only module that reads other apps' data).

`report_data(contract, kind, year)` returns plain values (str, int, Decimal, date, lists, dicts): the
templates render them and `fingerprint()` hashes them, so an unchanged contract reuses its last file.
The contract, action-plan and funding apps are read through their public models and selectors;
a source an app does not provide (yet) yields an empty section rather than an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Prefetch, Sum

from .enums import ReportKind

# Bump when the templates change what a given set of data looks like: old files are not reused.
LAYOUT_VERSION = 1

# Normandie's rule (the default in the domain brief) when the funding app gives no figure.
DEFAULT_REFERENCE_COST = Decimal("50000")
DEFAULT_RATE = Decimal("0.5")
DEFAULT_CAP = Decimal("25000")


def _manager(obj, name):
    """`obj.<name>` if that relation exists (apps land concurrently), else None."""
    try:
        return getattr(obj, name)
    except AttributeError:
        return None


def _display(obj, field):
    getter = getattr(obj, f"get_{field}_display", None)
    if callable(getter):
        return str(getter())
    value = getattr(obj, field, "")
    return "" if value is None else str(value)


def _first_attr(obj, *names, default=None):
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def _cover(contract, year) -> dict:
    population = contract.communes.aggregate(p=Sum("population"))["p"] or 0
    signatories = []
    manager = _manager(contract, "signataires")
    if manager is not None:
        for s in manager.all():
            signatories.append(str(_first_attr(s, "organisation", "nom", default=s)))
    if not signatories:
        signatories = [str(contract.collectivite), str(contract.ars)]
    departements = sorted({str(d.departement) for d in contract.delegations.select_related("departement")})
    return {
        "nom": contract.nom,
        "year": year,
        "collectivite": str(contract.collectivite),
        "ars": str(contract.ars),
        "territoire": str(contract.epci) if contract.epci_id else str(contract.collectivite),
        "departements": departements,
        "population": population,
        "nb_communes": contract.communes.count(),
        "signataires": signatories,
        "prs": contract.prs,
        "date_signature": contract.date_signature,
        "date_fin": contract.date_fin,
    }


def _in_year(value, year) -> bool:
    if isinstance(value, dt.datetime):
        value = value.date()
    return isinstance(value, dt.date) and value.year == year


def _year_in_brief(contract, year) -> dict:
    key_dates = []
    for label, value in [("Début de la phase préalable", contract.date_debut_prealable),
                         ("Signature du contrat", contract.date_signature),
                         ("Fin prévue du contrat", contract.date_fin)]:
        if value:
            key_dates.append({"label": label, "date": value})
    meetings = []
    manager = _manager(contract, "meetings")
    if manager is not None:
        for m in manager.all():
            when = _first_attr(m, "date", "held_on", "date_reunion")
            if not _in_year(when, year):
                continue
            meetings.append({
                "date": when.date() if isinstance(when, dt.datetime) else when,
                "instance": _display(m, "instance") or _display(m, "type") or _display(m, "kind"),
                "objet": str(_first_attr(m, "objet", "titre", "title", "ordre_du_jour", default="")),
            })
    meetings.sort(key=lambda m: m["date"])
    avenants = []
    manager = _manager(contract, "avenants")
    if manager is not None:
        for a in manager.all():
            when = _first_attr(a, "date_signature", "date", "signed_on", "created_at")
            if when is not None and not _in_year(when, year):
                continue
            avenants.append({
                "numero": str(_first_attr(a, "numero", "number", "pk", default="")),
                "objet": str(_first_attr(a, "objet", "titre", "title", "motif", default="")),
                "date": when.date() if isinstance(when, dt.datetime) else when,
                "statut": _display(a, "statut") or _display(a, "status"),
            })
    return {"phase": contract.get_phase_display(), "key_dates": key_dates, "meetings": meetings,
            "avenants": avenants}


def _number(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001 — a free-text value is shown as is
        return None


def _indicators(fiche, year) -> list[dict]:
    manager = _manager(fiche, "indicateurs")
    if manager is None:
        return []
    rows = []
    for ind in manager.all():
        values = {}
        for v in (_manager(ind, "valeurs").all() if _manager(ind, "valeurs") is not None else []):
            annee = _first_attr(v, "annee", "year")
            if annee is not None and int(annee) <= year:
                values[int(annee)] = _number(_first_attr(v, "valeur", "value"))
        rows.append({
            "libelle": str(_first_attr(ind, "libelle", "nom", "titre", default=ind)),
            "unite": str(_first_attr(ind, "unite", default="")),
            "cible": _number(_first_attr(ind, "cible", "valeur_cible", "target")),
            "valeur": values.get(year),
            "historique": sorted(values.items()),
        })
    return rows


EMPTY_FOLLOW_UP = {"realisations": "", "difficultes": "", "perspectives": "", "avancement": None}


def _follow_up(fiche, year) -> dict:
    manager = _manager(fiche, "suivis")
    if manager is None:
        return dict(EMPTY_FOLLOW_UP)
    for s in manager.all():
        if int(_first_attr(s, "annee", "year", default=0)) == year:
            return {
                "realisations": str(_first_attr(s, "realisations", "bilan", "commentaire", default="")),
                "difficultes": str(_first_attr(s, "difficultes", default="")),
                "perspectives": str(_first_attr(s, "perspectives", "priorites", default="")),
                "avancement": _number(_first_attr(s, "avancement", "taux_avancement")),
            }
    return dict(EMPTY_FOLLOW_UP)


def _fiche_queryset(contract):
    from actions.models import Axe, FicheAction

    fiches = FicheAction.objects.select_related("pilote_organisation", "pilote_personne", "axe")
    prefetch = []
    for rel in ("indicateurs__valeurs", "suivis", "lignes_budget", "financements"):
        head = rel.split("__")[0]
        if hasattr(FicheAction, head):
            prefetch.append(rel)
    fiches = fiches.prefetch_related(*prefetch).order_by("numero")
    return (Axe.objects.filter(contract=contract).order_by("numero")
            .prefetch_related(Prefetch("fiches", queryset=fiches)))


def _action_plan(contract, year) -> dict:
    from actions.enums import FicheStatut

    axes, counts, priorities = [], {}, []
    for axe in _fiche_queryset(contract):
        sheets = []
        for fiche in axe.fiches.all():
            counts[fiche.get_statut_display()] = counts.get(fiche.get_statut_display(), 0) + 1
            follow_up = _follow_up(fiche, year)
            if follow_up.get("perspectives"):
                priorities.append({"code": fiche.code, "titre": fiche.titre, "texte": follow_up["perspectives"]})
            sheets.append({
                "code": fiche.code,
                "titre": fiche.titre,
                "statut": fiche.get_statut_display(),
                "pilote": str(fiche.pilote_organisation or fiche.pilote_personne or ""),
                "suivi": follow_up,
                "indicateurs": _indicators(fiche, year),
            })
        axes.append({"numero": axe.numero, "titre": axe.titre, "type": axe.get_type_display(), "fiches": sheets})
    total = sum(counts.values())
    done = counts.get(FicheStatut.REALISEE.label, 0)
    running = counts.get(FicheStatut.EN_COURS.label, 0)
    return {"axes": axes, "status_counts": sorted(counts.items()), "total": total, "realisees": done,
            "en_cours": running, "priorities": priorities}


def activity_data(contract, year: int) -> dict:
    return {"cover": _cover(contract, year), "brief": _year_in_brief(contract, year),
            "plan": _action_plan(contract, year)}


def _default_post(contract, year) -> dict:
    """The coordination post under the default rule, when the funding app has no figure for the year."""
    maximum = min(DEFAULT_REFERENCE_COST * DEFAULT_RATE, DEFAULT_CAP)
    return {
        "source": "regle_par_defaut",
        "etp": None, "mois_pourvus": None, "cout_eligible": None,
        "part_ars": None, "part_collectivite": None, "part_autres": None,
        "plafond_ars": maximum,
        "calcul_plafond": (f"1 ETP au coût de référence de {_euros(DEFAULT_REFERENCE_COST)}, financé à "
                           f"{int(DEFAULT_RATE * 100)} % par l'ARS, dans la limite de {_euros(DEFAULT_CAP)} par an"),
        "versements": [], "total_verse": Decimal("0"), "solde": None,
    }


def _euros(value) -> str:
    from cls_portal.core.formatting import format_euros

    return format_euros(value)


def _funding_post(contract, year) -> dict:
    try:
        from funding import selectors as funding_selectors
    except ImportError:
        return _default_post(contract, year)
    summary_fn = getattr(funding_selectors, "financial_summary", None)
    if summary_fn is None:
        return _default_post(contract, year)
    summary = summary_fn(contract, year)
    if not summary:
        return _default_post(contract, year)
    summary = dict(summary) if not isinstance(summary, dict) else summary
    post = _default_post(contract, year)
    post["source"] = "financement"
    post.update({k: v for k, v in summary.items() if k in post})
    return post


def _actions_funding(contract, year) -> dict:
    """Funding of actions by funder, planned vs actual (action-plan budget lines and fundings)."""
    from actions.models import FicheAction

    by_funder, lines = {}, []
    fiches = FicheAction.objects.filter(contract=contract).select_related("axe").order_by("axe__numero", "numero")
    has_fin, has_lines = hasattr(FicheAction, "financements"), hasattr(FicheAction, "lignes_budget")
    if has_fin:
        fiches = fiches.prefetch_related("financements")
    if has_lines:
        fiches = fiches.prefetch_related("lignes_budget")
    for fiche in fiches:
        if has_fin:
            for fin in fiche.financements.all():
                annee = _first_attr(fin, "annee", "year")
                if annee is not None and int(annee) != year:
                    continue
                funder = str(_first_attr(fin, "financeur", "funder", "organisation", default="Non précisé"))
                row = by_funder.setdefault(funder, {"financeur": funder, "prevu": Decimal("0"),
                                                    "realise": Decimal("0")})
                row["prevu"] += _number(_first_attr(fin, "montant_prevu", "montant", "amount")) or 0
                row["realise"] += _number(_first_attr(fin, "montant_realise", "montant_verse", "realise")) or 0
        if has_lines:
            prevu = realise = Decimal("0")
            for line in fiche.lignes_budget.all():
                annee = _first_attr(line, "annee", "year")
                if annee is not None and int(annee) != year:
                    continue
                prevu += _number(_first_attr(line, "montant_prevu", "prevu", "montant")) or 0
                realise += _number(_first_attr(line, "montant_realise", "realise")) or 0
            if prevu or realise:
                lines.append({"code": fiche.code, "titre": fiche.titre, "prevu": prevu, "realise": realise})
    funders = sorted(by_funder.values(), key=lambda r: r["financeur"])
    return {
        "funders": funders, "lines": lines,
        "total_prevu": sum((r["prevu"] for r in funders), Decimal("0")),
        "total_realise": sum((r["realise"] for r in funders), Decimal("0")),
        "lines_prevu": sum((r["prevu"] for r in lines), Decimal("0")),
        "lines_realise": sum((r["realise"] for r in lines), Decimal("0")),
    }


def financial_data(contract, year: int) -> dict:
    return {"cover": _cover(contract, year), "post": _funding_post(contract, year),
            "actions": _actions_funding(contract, year)}


def report_data(contract, kind: str, year: int) -> dict:
    if kind == ReportKind.ACTIVITE:
        return activity_data(contract, year)
    return financial_data(contract, year)


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
