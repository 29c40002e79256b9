"""Import of the coordination post's past funding years, for the contracts of a région (one row per year).

A row names the contract (by name, as the contracts import), the year, the post (ETP, months filled, salary,
charges, running costs), the co-funding (collectivité, other partners) and what the ARS granted and paid.
`read()` validates each row (`AnneeRowForm`), then asks funding what importing it would do
(`funding.services.annee_import_check`: the year within the contract's life and under a rule of its région,
the same checks as a request, paid ≤ granted) and adds the French error of each row that is refused or that
repeats a (contract, year) of another row. Saving is all or nothing, through `funding.services.annee_import`;
an unchanged year changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cls_portal.core.errors import DomainError
from cls_portal.core.fields import FrenchDecimalField
from cls_portal.core.tabular import ImportColumn, ImportPreview, RowError, normalise_header, parse_import
from cls_portal.core.validation import PortalForm
from contracts.models import Contract
from funding.services import annee_import_check

from .xlsx import template_workbook

# Normandie: 21 contracts × a few years. Each row is checked by funding (a few queries): the cap bounds both.
MAX_ROWS = 500

COLUMNS = [
    ImportColumn("contrat", "Nom du contrat", aliases=["contrat", "nom", "cls"]),
    ImportColumn("annee", "Année"),
    ImportColumn("etp", "ETP du coordinateur", aliases=["etp", "temps de travail"]),
    ImportColumn("mois_pourvus", "Mois pourvus", required=False, aliases=["mois"]),
    ImportColumn("cout_salaire", "Salaire brut annuel", aliases=["salaire", "salaire brut"]),
    ImportColumn("cout_charges", "Charges patronales", required=False, aliases=["charges"]),
    ImportColumn("cout_fonctionnement", "Frais de fonctionnement", required=False, aliases=["fonctionnement"]),
    ImportColumn("demande_collectivite", "Part de la collectivité", aliases=["collectivite", "cofinancement"]),
    ImportColumn("demande_autres", "Part des autres partenaires", required=False, aliases=["autres"]),
    ImportColumn("montant_accorde", "Montant ARS accordé", aliases=["accorde", "montant accorde", "ars accorde"]),
    ImportColumn("total_verse", "Montant ARS versé", required=False, aliases=["verse", "montant verse"]),
]
EXAMPLE_ROWS = [
    ["CLS de Bayeux Intercom", 2023, 1, 12, 32000, 11000, 3000, 23000, 0, 23000, 23000],
    ["CLS de Bayeux Intercom", 2024, "0,8", 12, 29000, 10000, 3000, 20000, 2000, 20000, 10000],
]
FIELD_COLUMN = {c.key: c.label for c in COLUMNS}


def money(label, required=True):
    return FrenchDecimalField(label=label, required=required)


class AnneeRowForm(PortalForm):
    contrat = forms.CharField(label="Contrat", max_length=255)
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    etp = FrenchDecimalField(label="ETP")
    mois_pourvus = forms.IntegerField(label="Mois pourvus", min_value=0, max_value=12, required=False)
    cout_salaire = money("Salaire brut")
    cout_charges = money("Charges", required=False)
    cout_fonctionnement = money("Fonctionnement", required=False)
    demande_collectivite = money("Part de la collectivité")
    demande_autres = money("Autres partenaires", required=False)
    montant_accorde = money("Montant ARS accordé")
    total_verse = money("Montant ARS versé", required=False)

    def clean(self):
        data = super().clean()
        for k in ("cout_charges", "cout_fonctionnement", "demande_autres", "total_verse"):
            if k in data and data[k] is None:
                data[k] = Decimal("0")
        if "mois_pourvus" in data and data["mois_pourvus"] is None:
            data["mois_pourvus"] = 12
        return data


def validate(raw: dict) -> dict:
    form = AnneeRowForm(data=raw)
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError([f"{form.fields[name].label} : {err}" if name in form.fields else str(err)
                           for name, errs in form.errors.items() for err in errs])


def request_values(row: dict) -> dict:
    return {k: row[k] for k in ("etp", "mois_pourvus", "cout_salaire", "cout_charges", "cout_fonctionnement",
                                "demande_collectivite", "demande_autres")}


@dataclass
class Ligne:
    number: int
    contract: Contract
    row: dict
    etat: str  # "creee", "modifiee", "inchangee"


def resolve(region, rows: list[tuple[int, dict]], today: dt.date) -> tuple[list[RowError], list[Ligne]]:
    contracts = {normalise_header(c.nom): c for c in Contract.objects.filter(ars__region_id=region.code)
                 .select_related("ars__region")}
    errors: dict[int, list[str]] = defaultdict(list)
    seen: dict[tuple[int, int], int] = {}
    lignes = []
    for number, row in rows:
        contract = contracts.get(normalise_header(row["contrat"]))
        if contract is None:
            errors[number].append(f"aucun contrat « {row['contrat']} » dans la région {region.nom} (le nom doit être "
                                  "celui du contrat sur le portail).")
            continue
        if (contract.pk, row["annee"]) in seen:
            errors[number].append(f"l'année {row['annee']} de ce contrat figure déjà à la ligne "
                                  f"{seen[(contract.pk, row['annee'])]} du fichier.")
            continue
        seen[(contract.pk, row["annee"])] = number
        try:
            etat = annee_import_check(contract=contract, annee=row["annee"], values=request_values(row),
                                      montant_accorde=row["montant_accorde"], total_verse=row["total_verse"],
                                      today=today)
        except DomainError as err:
            column = FIELD_COLUMN.get(err.field or "")
            errors[number].append(f"{column} : {err.message}" if column else err.message)
            continue
        lignes.append(Ligne(number, contract, row, etat))
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
    preview = parse_import(uploaded, columns=COLUMNS, validator=validate, max_rows=MAX_ROWS)
    extra, lignes = resolve(region, cleaned_rows(preview), today or timezone.localdate())
    if extra:
        preview.errors = sorted(preview.errors + extra, key=lambda e: e.row)
        bad = {e.row for e in extra}
        preview.rows = [(n, r) for n, r in preview.rows if n not in bad]
    return preview, lignes


def summary(lignes: list[Ligne]) -> list[dict]:
    return [{"ligne": li.number, "contrat": li.contract.nom, "annee": li.row["annee"], "etp": li.row["etp"],
             "cout": li.row["cout_salaire"] + li.row["cout_charges"] + li.row["cout_fonctionnement"],
             "collectivite": li.row["demande_collectivite"], "accorde": li.row["montant_accorde"],
             "verse": li.row["total_verse"], "etat": li.etat} for li in lignes]


def template_xlsx() -> bytes:
    return template_workbook(title="Financements", columns=COLUMNS, examples=EXAMPLE_ROWS, help_lines=[
        "Une ligne par contrat et par année passée du poste de coordination. Seule la première feuille est "
        "importée.",
        "Nom du contrat : tel qu'il figure sur le portail (c'est la clé de l'import des CLS existants).",
        "Année : de l'année de la lettre d'intention à l'année qui suit la fin du contrat (bilan final), jamais "
        "une année à venir, et couverte par une règle de financement de la région.",
        "Montants en euros (virgule ou point décimal). Le coût (salaire, charges, fonctionnement) est couvert "
        "exactement par l'ARS (montant accordé), la collectivité (au moins à part égale) et les autres "
        "partenaires ; le montant accordé respecte le maximum de la règle de la région.",
        "Mois pourvus : 12 si vide. Montant versé : 0 si vide, jamais plus que le montant accordé.",
        "Une année déjà importée et identique ne change rien ; modifiée, elle est mise à jour (nouvelle décision, "
        "versement complémentaire) et l'historique garde l'ancienne. Une demande suivie sur le portail n'est "
        "jamais remplacée.",
    ])
