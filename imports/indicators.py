"""Import of the values indicators took in past years, for the contracts of a région (one row per value).

A row names the contract (its name, the key the contracts import recognises a contract by), the sheet by its
number (« 2.1 »), the indicator by its label (as written on the sheet; case and accents ignored), the year,
optionally the period (« S1 », « T2 », « M3 » or « mars »: a semestrial, quarterly or monthly indicator) and
the value. Without a period, a value is the whole year's: accepted for a sub-annual indicator only while it has
no value per period that year (in the portal or in the file), since the year's figure is then their aggregate.
`read()` validates each row (`ValeurRowForm`), then `check_rows()` resolves the names against the
région's plans in a fixed number of queries and adds the French error of each row that names an unknown
contract, sheet or indicator, a year the contract was not running or still to come, or a value already given
by another row. Each valid row is then new, changed (old value shown) or unchanged: re-uploading a file
changes nothing. Saving is all or nothing, through `actions.services.indicateur_valeurs_import`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.models import Indicateur, ValeurIndicateur, ValeurPeriode
from actions.periods import CODE_LETTER, NOUN, is_future, parse_period, period_label, periods_per_year
from actions.services import future_period_message, valeur_year_refusal
from cls_portal.core.fields import FrenchDecimalField
from cls_portal.core.tabular import ImportColumn, ImportPreview, RowError, normalise_header, parse_import
from cls_portal.core.validation import PortalForm
from contracts.models import Contract

from .xlsx import template_workbook

# A région: ~50 contracts × ~15 indicators × 5 years. The cap bounds the preview kept in the session.
MAX_ROWS = 5000

COLUMNS = [
    ImportColumn("contrat", "Nom du contrat", aliases=["contrat", "nom", "cls"]),
    ImportColumn("fiche", "Numéro de la fiche", aliases=["fiche", "numero fiche", "fiche action"]),
    ImportColumn("indicateur", "Indicateur (libellé)", aliases=["indicateur", "libelle"]),
    ImportColumn("annee", "Année"),
    ImportColumn("valeur", "Valeur"),
    # last, optional: the files made before it keep their shape
    ImportColumn("periode", "Période (facultatif)", required=False,
                 aliases=["periode", "trimestre", "semestre", "mois"]),
]
EXAMPLE_ROWS = [
    ["CLS de Bayeux Intercom", "1.1", "Nombre de consultations avancées", 2023, 412, ""],
    ["CLS de Bayeux Intercom", "1.1", "Nombre de consultations avancées", 2024, "455,5", ""],
    ["CLS de Bayeux Intercom", "1.1", "Personnes reçues en permanence", 2025, 82, "T1"],
]


def key(text: str) -> str:
    return normalise_header(text)


class ValeurRowForm(PortalForm):
    contrat = forms.CharField(label="Contrat", max_length=255)
    fiche = forms.CharField(label="Fiche", max_length=20)
    indicateur = forms.CharField(label="Indicateur", max_length=255)
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    periode = forms.CharField(label="Période", max_length=20, required=False)
    valeur = FrenchDecimalField(label="Valeur", max_digits=14)

    def clean_fiche(self):
        value = self.cleaned_data["fiche"].replace(" ", "")
        match = re.fullmatch(r"(\d{1,3})\.(\d{1,3})", value)
        if not match:
            raise forms.ValidationError(f"« {value} » n'est pas un numéro de fiche (axe.fiche, par exemple 2.1).")
        return value


def validate(raw: dict) -> dict:
    form = ValeurRowForm(data=raw)
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError([f"{form.fields[name].label} : {err}" for name, errs in form.errors.items()
                           for err in errs])


@dataclass
class Ligne:
    """A valid row resolved against the portal: what it will do."""

    number: int
    indicateur: Indicateur
    annee: int
    valeur: Decimal
    ancienne: Decimal | None
    periode: int | None = None  # a semester, quarter or month of a sub-annual indicator; None: the whole year

    @property
    def etat(self) -> str:
        if self.ancienne is None:
            return "nouvelle"
        return "inchangee" if self.ancienne == self.valeur else "modifiee"


def _period_refusal(ind: Indicateur, annee: int, cell: str, today: dt.date) -> tuple[int | None, str]:
    """(period number or None for the whole year, the French refusal or "")."""
    cell = (cell or "").strip()
    if not cell:
        return None, ""
    n_max = periods_per_year(ind.frequence)
    if not n_max:
        return None, (f"l'indicateur « {ind.libelle} » prend une valeur par an (fréquence de recueil : "
                      f"{ind.get_frequence_display().lower()}) : laissez la colonne « Période » vide.")
    periode = parse_period(ind.frequence, cell)
    if periode is None:
        letter = CODE_LETTER[ind.frequence]
        return None, (f"« {cell} » n'est pas une période de l'indicateur « {ind.libelle} », recueilli par "
                      f"{NOUN[ind.frequence][0]} : écrivez {letter}1 à {letter}{n_max}.")
    if is_future(ind.frequence, annee, periode, today):
        return None, future_period_message(period_label(ind.frequence, annee, periode))
    return periode, ""


def resolve(region, rows: list[tuple[int, dict]], today: dt.date) -> tuple[list[RowError], list[Ligne]]:
    """(errors of the rows naming what the portal does not have, the resolved rows). Five queries."""
    contracts = {key(c.nom): c for c in Contract.objects.filter(ars__region_id=region.code)}
    named = {contracts[key(r["contrat"])].pk for _, r in rows if key(r["contrat"]) in contracts}
    indicateurs: dict[tuple[int, str], dict[str, Indicateur]] = defaultdict(dict)
    for ind in Indicateur.objects.filter(fiche__contract_id__in=named).select_related(
            "fiche__axe", "fiche__contract"):
        indicateurs[(ind.fiche.contract_id, ind.fiche.code)].setdefault(key(ind.libelle), ind)
    errors: dict[int, list[str]] = defaultdict(list)
    seen: dict[tuple[int, int, int], int] = {}
    resolved: list[tuple[int, Indicateur, int, Decimal, int | None]] = []
    for number, row in rows:
        contract = contracts.get(key(row["contrat"]))
        if contract is None:
            errors[number].append(f"aucun contrat « {row['contrat']} » dans la région {region.nom} (le nom doit être "
                                  "celui du contrat sur le portail).")
            continue
        sheet = indicateurs.get((contract.pk, row["fiche"]))
        if not sheet:
            codes = sorted({code for (cid, code) in indicateurs if cid == contract.pk})
            errors[number].append(f"le contrat « {contract.nom} » n'a pas de fiche {row['fiche']} avec des "
                                  "indicateurs" + (f" (fiches avec indicateurs : {', '.join(codes)})." if codes
                                                   else "."))
            continue
        ind = sheet.get(key(row["indicateur"]))
        if ind is None:
            libelles = [i.libelle for i in sheet.values()]
            errors[number].append(f"la fiche {row['fiche']} n'a pas d'indicateur « {row['indicateur']} » "
                                  f"(indicateurs : {' ; '.join(libelles)}).")
            continue
        refusal = valeur_year_refusal(contract, row["annee"], today=today)
        if refusal:
            errors[number].append(refusal)
            continue
        periode, refusal = _period_refusal(ind, row["annee"], row.get("periode", ""), today)
        if refusal:
            errors[number].append(refusal)
            continue
        if (ind.pk, row["annee"], periode or 0) in seen:
            what = period_label(ind.frequence, row["annee"], periode) if periode else row["annee"]
            errors[number].append(f"la valeur {what} de cet indicateur figure déjà à la ligne "
                                  f"{seen[(ind.pk, row['annee'], periode or 0)]} du fichier.")
            continue
        seen[(ind.pk, row["annee"], periode or 0)] = number
        resolved.append((number, ind, row["annee"], row["valeur"], periode))
    ids, years = {r[1].pk for r in resolved}, {r[2] for r in resolved}
    existing = {(v.indicateur_id, v.annee): v.valeur for v in ValeurIndicateur.objects.filter(
        indicateur_id__in=ids, annee__in=years)}
    stored_periods = {(p.indicateur_id, p.annee, p.periode): p.valeur for p in ValeurPeriode.objects.filter(
        indicateur_id__in=ids, annee__in=years)}
    # a whole-year value of a sub-annual indicator whose year has periods (stored or in the file): refused
    with_periods = {(i, a) for i, a, _ in stored_periods} | {(r[1].pk, r[2]) for r in resolved if r[4]}
    lignes = []
    for n, ind, annee, valeur, periode in resolved:
        if periode is None and periods_per_year(ind.frequence) and (ind.pk, annee) in with_periods:
            plural = NOUN[ind.frequence][1]
            errors[n].append(f"l'indicateur « {ind.libelle} » a des valeurs par {plural} en {annee} : importez "
                             f"chacun de ses {plural} (colonne « Période »), la valeur de l'année en découle.")
            continue
        old = stored_periods.get((ind.pk, annee, periode)) if periode else existing.get((ind.pk, annee))
        lignes.append(Ligne(n, ind, annee, valeur, old, periode))
    return [RowError(n, msgs) for n, msgs in sorted(errors.items())], lignes


def cleaned_rows(preview: ImportPreview) -> list[tuple[int, dict]]:
    out = []
    for number, raw in preview.rows:
        try:
            out.append((number, validate(raw)))
        except ValidationError:
            continue
    return out


def read(uploaded, region, today: dt.date | None = None) -> tuple[ImportPreview, list[Ligne]]:
    """Preview of a file: per-row errors in French and the resolved valid rows."""
    preview = parse_import(uploaded, columns=COLUMNS, validator=validate, max_rows=MAX_ROWS)
    extra, lignes = resolve(region, cleaned_rows(preview), today or timezone.localdate())
    if extra:
        preview.errors = sorted(preview.errors + extra, key=lambda e: e.row)
        bad = {e.row for e in extra}
        preview.rows = [(n, r) for n, r in preview.rows if n not in bad]
    return preview, lignes


def summary(lignes: list[Ligne]) -> list[dict]:
    return [{"ligne": li.number, "contrat": li.indicateur.fiche.contract.nom, "fiche": li.indicateur.fiche.code,
             "indicateur": li.indicateur.libelle, "annee": li.annee, "valeur": li.valeur,
             "periode": period_label(li.indicateur.frequence, li.annee, li.periode) if li.periode else "",
             "ancienne": li.ancienne, "etat": li.etat} for li in lignes]


def template_xlsx() -> bytes:
    return template_workbook(title="Valeurs", columns=COLUMNS, examples=EXAMPLE_ROWS, help_lines=[
        "Une ligne par valeur d'un indicateur pour une année passée. Seule la première feuille est importée.",
        "Nom du contrat : tel qu'il figure sur le portail (c'est la clé de l'import des CLS existants).",
        "Numéro de la fiche : axe.fiche, par exemple 2.1. Indicateur : son libellé sur la fiche.",
        "Année : une année de mise en œuvre du contrat (de la signature à la fin), jamais une année à venir.",
        "Période (facultatif) : pour un indicateur semestriel, trimestriel ou mensuel, S1-S2, T1-T4, M1-M12 "
        "(ou le nom du mois), jamais une période à venir ; la valeur de l'année est alors celle de ses périodes "
        "(somme, dernière période ou moyenne selon l'indicateur). Vide : la valeur de l'année entière, refusée "
        "si l'indicateur a déjà des valeurs par période cette année-là.",
        "Valeur : un nombre (virgule ou point décimal). Une valeur déjà saisie et identique ne change rien ; "
        "une valeur différente la remplace et l'historique de la fiche garde l'ancienne.",
    ])
