"""Import of the values indicators took in past years, for the contracts of a région (one row per value).

A row names the contract (its name, the key the contracts import recognises a contract by), the sheet by its
number (« 2.1 »), the indicator by its label (as written on the sheet; case and accents ignored), the year and
the value. `read()` validates each row (`ValeurRowForm`), then `check_rows()` resolves the names against the
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

from actions.models import Indicateur, ValeurIndicateur
from actions.services import valeur_year_refusal
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
]
EXAMPLE_ROWS = [
    ["CLS de Bayeux Intercom", "1.1", "Nombre de consultations avancées", 2023, 412],
    ["CLS de Bayeux Intercom", "1.1", "Nombre de consultations avancées", 2024, "455,5"],
]


def key(text: str) -> str:
    return normalise_header(text)


class ValeurRowForm(PortalForm):
    contrat = forms.CharField(label="Contrat", max_length=255)
    fiche = forms.CharField(label="Fiche", max_length=20)
    indicateur = forms.CharField(label="Indicateur", max_length=255)
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    valeur = FrenchDecimalField(label="Valeur", max_digits=14)

    def clean_fiche(self):
        value = self.cleaned_data["fiche"].replace(" ", "")
        match = re.fullmatch(r"(\d{1,3})\.(\d{1,3})", value)
        if not match:
            raise forms.ValidationError(f"« {value} » n'est pas un numéro de fiche (axe.fiche, par exemple 2.1).")
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

    @property
    def etat(self) -> str:
        if self.ancienne is None:
            return "nouvelle"
        return "inchangee" if self.ancienne == self.valeur else "modifiee"


def resolve(region, rows: list[tuple[int, dict]], today: dt.date) -> tuple[list[RowError], list[Ligne]]:
    """(errors of the rows naming what the portal does not have, the resolved rows). Four queries."""
    contracts = {key(c.nom): c for c in Contract.objects.filter(ars__region_id=region.code)}
    named = {contracts[key(r["contrat"])].pk for _, r in rows if key(r["contrat"]) in contracts}
    indicateurs: dict[tuple[int, str], dict[str, Indicateur]] = defaultdict(dict)
    for ind in Indicateur.objects.filter(fiche__contract_id__in=named).select_related(
            "fiche__axe", "fiche__contract"):
        indicateurs[(ind.fiche.contract_id, ind.fiche.code)].setdefault(key(ind.libelle), ind)
    errors: dict[int, list[str]] = defaultdict(list)
    seen: dict[tuple[int, int], int] = {}
    resolved: list[tuple[int, Indicateur, int, Decimal]] = []
    for number, row in rows:
        contract = contracts.get(key(row["contrat"]))
        if contract is None:
            errors[number].append(f"aucun contrat « {row['contrat']} » dans la région {region.nom} (le nom doit être "
                                  "celui du contrat sur le portail).")
            continue
        sheet = indicateurs.get((contract.pk, row["fiche"]))
        if not sheet:
            codes = sorted({code for (cid, code) in indicateurs if cid == contract.pk})
            errors[number].append(f"le contrat « {contract.nom} » n'a pas de fiche {row['fiche']} avec des "
                                  "indicateurs" + (f" (fiches avec indicateurs : {', '.join(codes)})." if codes
                                                   else "."))
            continue
        ind = sheet.get(key(row["indicateur"]))
        if ind is None:
            libelles = [i.libelle for i in sheet.values()]
            errors[number].append(f"la fiche {row['fiche']} n'a pas d'indicateur « {row['indicateur']} » "
                                  f"(indicateurs : {' ; '.join(libelles)}).")
            continue
        refusal = valeur_year_refusal(contract, row["annee"], today=today)
        if refusal:
            errors[number].append(refusal)
            continue
        if (ind.pk, row["annee"]) in seen:
            errors[number].append(f"la valeur {row['annee']} de cet indicateur figure déjà à la ligne "
                                  f"{seen[(ind.pk, row['annee'])]} du fichier.")
            continue
        seen[(ind.pk, row["annee"])] = number
        resolved.append((number, ind, row["annee"], row["valeur"]))
    existing = {(v.indicateur_id, v.annee): v.valeur for v in ValeurIndicateur.objects.filter(
        indicateur_id__in={r[1].pk for r in resolved}, annee__in={r[2] for r in resolved})}
    lignes = [Ligne(n, ind, annee, valeur, existing.get((ind.pk, annee))) for n, ind, annee, valeur in resolved]
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
             "ancienne": li.ancienne, "etat": li.etat} for li in lignes]


def template_xlsx() -> bytes:
    return template_workbook(title="Valeurs", columns=COLUMNS, examples=EXAMPLE_ROWS, help_lines=[
        "Une ligne par valeur d'un indicateur pour une année passée. Seule la première feuille est importée.",
        "Nom du contrat : tel qu'il figure sur le portail (c'est la clé de l'import des CLS existants).",
        "Numéro de la fiche : axe.fiche, par exemple 2.1. Indicateur : son libellé sur la fiche.",
        "Année : une année de mise en œuvre du contrat (de la signature à la fin), jamais une année à venir.",
        "Valeur : un nombre (virgule ou point décimal). Une valeur déjà saisie et identique ne change rien ; "
        "une valeur différente la remplace et l'historique de la fiche garde l'ancienne.",
    ])
