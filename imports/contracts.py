"""Import of the CLS a région already runs, from the portal's XLSX template (one row per contract).

The regional team of a région uploads the file; `read()` validates each row with `ContractRowForm`
(collectivité, perimeter, phase, dates, e-mails: a French message per problem, on its row) and
`check_rows()` adds what spans rows and the portal: the same contract twice in the file, a contract of
that name already in the région for another collectivité. A row naming a contract already in the région
for the same collectivité is recognised (`existing`) and left as it is: re-uploading a file changes
nothing. Saving is all or nothing (`imports.services.contracts_import`).

Coordinator and référent e-mails are kept as pending contacts (`contracts.models.PendingContact`); the
people page of each contract invites them in one click (`people.views.pending_invite`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from cls_portal.core.errors import DomainError
from cls_portal.core.tabular import ImportColumn, ImportPreview, RowError, normalise_header, parse_import
from cls_portal.core.validation import PortalForm
from cls_portal.territories.models import Commune
from contracts import dates
from contracts.enums import Phase
from contracts.models import Contract
from contracts.selectors import territory_for_code

from .plan import ImportDateField

# A région runs a few dozen CLS (Normandie: 21); the cap bounds the preview kept in the session.
MAX_ROWS = 500

COLUMNS = [
    ImportColumn("nom", "Nom du contrat", aliases=["contrat", "nom"]),
    ImportColumn("collectivite", "Collectivité porteuse (SIREN de l'EPCI ou code INSEE de la commune)",
                 aliases=["collectivite", "siren", "code epci", "siren collectivite", "collectivite porteuse"]),
    ImportColumn("communes", "Communes (codes INSEE, si pas tout l'EPCI)", required=False,
                 aliases=["communes", "codes insee"]),
    ImportColumn("phase", "Phase"),
    ImportColumn("date_debut_prealable", "Début de la phase préalable", required=False),
    ImportColumn("date_lettre_intention", "Date de la lettre d'intention", required=False,
                 aliases=["lettre d'intention"]),
    ImportColumn("date_signature", "Date de signature", required=False, aliases=["signature"]),
    ImportColumn("date_fin", "Date de fin", required=False, aliases=["fin"]),
    ImportColumn("coordinateurs", "E-mails des coordinateurs", required=False,
                 aliases=["coordinateurs", "coordinateur", "e-mail coordinateur", "email coordinateur"]),
    ImportColumn("referents", "E-mails des référents ARS", required=False,
                 aliases=["referents", "referent", "referent ars", "e-mail referent", "email referent"]),
]

SIGNED_PHASES = {Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE, Phase.CLOS}
EXAMPLE_ROWS = [
    ["CLS de Bayeux Intercom", "241400555", "", "Mise en œuvre et évaluation", "", "15/03/2021", "12/10/2022",
     "11/10/2027", "coordination.cls@bayeux-intercom.fr", "referent.cls14@ars.sante.fr"],
    ["CLS de la ville de Flers", "61169", "61169", "Phase préalable", "01/09/2025", "", "", "", "", ""],
]


def _key(nom: str) -> str:
    return normalise_header(nom)


def _emails(text: str) -> list[str]:
    out = []
    for item in [e for e in re.split(r"[\s,;]+", text or "") if e]:
        try:
            validate_email(item)
        except ValidationError:
            raise forms.ValidationError(f"« {item} » n'est pas une adresse électronique valide.") from None
        out.append(item.lower())
    return list(dict.fromkeys(out))


def _phase(value: str) -> str:
    norm = normalise_header(value)
    for key, label in Phase.choices:
        if norm and (norm == normalise_header(key) or norm == normalise_header(label)
                     or normalise_header(label).startswith(norm)):
            return key
    raise forms.ValidationError(f"« {value} » n'est pas une phase connue ("
                                + ", ".join(label for _, label in Phase.choices) + ").")


def duree(signature: dt.date, fin: dt.date) -> int | None:
    """Whole years from signature to end (end = day before the anniversary, as `Contract.date_fin`)."""
    days = (fin - signature).days + 1
    years = round(days / 365.25)
    return years if abs(days - years * 365.25) <= 31 else None


class Lookups:
    """What the rows of one file ask the reference data, asked once per code: a file of 500 rows naming
    the same EPCI costs one query, not 500 (each row is validated at preview and again at confirmation)."""

    def __init__(self, region):
        self.region = region
        self._territories: dict[str, str] = {}
        self._communes: dict[str, str | None] = {}

    def territory_error(self, code: str) -> str:
        if code not in self._territories:
            try:
                territory_for_code(code, self.region.code)  # the rule of the contract form (contracts owns it)
                self._territories[code] = ""
            except DomainError as err:
                self._territories[code] = err.message
        return self._territories[code]

    def commune_regions(self, codes: list[str]) -> dict[str, str]:
        missing = [c for c in codes if c not in self._communes]
        if missing:
            found = dict(Commune.objects.filter(code__in=missing).values_list("code", "region_id"))
            self._communes.update({c: found.get(c) for c in missing})
        return {c: self._communes[c] for c in codes if self._communes[c] is not None}


class ContractRowForm(PortalForm):
    nom = forms.CharField(label="Nom du contrat", max_length=255)
    collectivite = forms.CharField(label="Collectivité porteuse", max_length=20)
    communes = forms.CharField(label="Communes", required=False)
    phase = forms.CharField(label="Phase")
    # Labels as the template's column headers: an error names the column the person will look for.
    date_debut_prealable = ImportDateField(label="Début de la phase préalable", required=False)
    date_lettre_intention = ImportDateField(label="Date de la lettre d'intention", required=False)
    date_signature = ImportDateField(label="Date de signature", required=False)
    date_fin = ImportDateField(label="Date de fin", required=False)
    coordinateurs = forms.CharField(label="E-mails des coordinateurs", required=False)
    referents = forms.CharField(label="E-mails des référents ARS", required=False)

    def __init__(self, *args, region, lookups: Lookups | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.lookups = lookups or Lookups(region)

    def clean_collectivite(self):
        code = self.cleaned_data["collectivite"].replace(" ", "").upper()
        message = self.lookups.territory_error(code)
        if message:
            raise forms.ValidationError(message)
        return code

    def clean_communes(self):
        codes = [c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["communes"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", c)]
        if bad:
            raise forms.ValidationError("codes INSEE non valides : " + ", ".join(bad) + ".")
        codes = list(dict.fromkeys(codes))
        found = self.lookups.commune_regions(codes)
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError("communes inconnues : " + ", ".join(unknown) + ".")
        outside = [c for c in codes if found[c] != self.region.code]
        if outside:
            raise forms.ValidationError(f"communes hors de la région {self.region.nom} : " + ", ".join(outside) + ".")
        return codes

    def clean_phase(self):
        return _phase(self.cleaned_data["phase"])

    def clean_coordinateurs(self):
        return _emails(self.cleaned_data["coordinateurs"])

    def clean_referents(self):
        return _emails(self.cleaned_data["referents"])

    def _check(self, rule, value, **dates_):
        try:
            rule(value, **dates_)
        except DomainError as err:
            self.add_error(err.field, err.message)

    def clean(self):
        data = super().clean()
        phase = data.get("phase")
        debut, lettre = data.get("date_debut_prealable"), data.get("date_lettre_intention")
        signature, fin = data.get("date_signature"), data.get("date_fin")
        # The order of the milestones is the contract's rule (`contracts.dates`), as on the portal's forms.
        today = timezone.localdate()
        if lettre:
            self._check(dates.check_letter_date, lettre, debut=debut, signature=None, today=today)
        if signature:
            self._check(dates.check_signature_date, signature, debut=debut, lettre=lettre, today=today)
        if fin and not signature:
            self.add_error("date_fin", "une date de fin sans date de signature : indiquez la signature.")
        elif signature and fin:
            if fin <= signature:
                self.add_error("date_fin", "la date de fin précède la signature.")
            elif duree(signature, fin) not in (3, 4, 5):
                self.add_error("date_fin", "un CLS dure de 3 à 5 ans à partir de sa signature "
                                           f"(ici du {signature:%d/%m/%Y} au {fin:%d/%m/%Y}).")
        if phase in SIGNED_PHASES and not signature and "date_signature" not in self.errors:
            self.add_error("date_signature", f"un contrat en « {Phase(phase).label} » est signé : indiquez la date "
                                             "de signature.")
        if phase in (Phase.PREALABLE, Phase.DIAGNOSTIC) and signature:
            self.add_error("phase", "un contrat signé n'est plus en phase préalable ni en diagnostic.")
        if data.get("collectivite") and len(data["collectivite"]) == 5 and not data.get("communes") \
                and "communes" not in self.errors:
            data["communes"] = [data["collectivite"]]  # a commune porteuse: its own territory by default
        return data


def validator(region):
    lookups = Lookups(region)

    def validate(raw):
        form = ContractRowForm(data=raw, region=region, lookups=lookups)
        if form.is_valid():
            return form.cleaned_data
        raise ValidationError([f"{form.fields[name].label if name in form.fields else ''} : {err}".lstrip(" :")
                               for name, errs in form.errors.items() for err in errs])
    return validate


def cleaned_rows(preview: ImportPreview, region, validate=None) -> list[tuple[int, dict]]:
    validate = validate or validator(region)
    out = []
    for number, raw in preview.rows:
        try:
            out.append((number, validate(raw)))
        except ValidationError:
            continue
    return out


def existing_contracts(region) -> dict[str, Contract]:
    """The région's contracts by normalised name."""
    return {_key(c.nom): c for c in Contract.objects.filter(ars__region_id=region.code).select_related(
        "collectivite")}


def _collectivite_matches(contract: Contract, code: str) -> bool:
    org = contract.collectivite
    return code in (org.epci_id, org.commune_id)


def check_rows(region, rows: list[tuple[int, dict]]) -> tuple[list[RowError], set[int]]:
    """(errors spanning rows or the portal, numbers of the rows naming a contract already imported)."""
    errors: dict[int, list[str]] = defaultdict(list)
    existing = existing_contracts(region)
    seen: dict[str, int] = {}
    recognised = set()
    for number, row in rows:
        key = _key(row["nom"])
        if key in seen:
            errors[number].append(f"le contrat « {row['nom']} » figure déjà à la ligne {seen[key]} du fichier.")
            continue
        seen[key] = number
        contract = existing.get(key)
        if contract is None:
            continue
        if _collectivite_matches(contract, row["collectivite"]):
            recognised.add(number)
        else:
            errors[number].append(f"un contrat « {contract.nom} » existe déjà dans la région, porté par "
                                  f"{contract.collectivite.nom} : doublon, renommez la ligne ou corrigez la "
                                  "collectivité.")
    return [RowError(n, msgs) for n, msgs in sorted(errors.items())], recognised


def read(uploaded, region) -> tuple[ImportPreview, list[tuple[int, dict]], set[int]]:
    """Preview of a file: per-row errors (field and cross-row) in French, the valid rows' cleaned values and
    the numbers of the recognised rows."""
    validate = validator(region)
    preview = parse_import(uploaded, columns=COLUMNS, validator=validate, max_rows=MAX_ROWS)
    rows = cleaned_rows(preview, region, validate)
    extra, recognised = check_rows(region, rows)
    if extra:
        preview.errors = sorted(preview.errors + extra, key=lambda e: e.row)
        bad = {e.row for e in extra}
        preview.rows = [(n, r) for n, r in preview.rows if n not in bad]
        rows = [(n, r) for n, r in rows if n not in bad]
    return preview, rows, recognised


def summary(rows: list[tuple[int, dict]], recognised: set[int]) -> list[dict]:
    """One line per valid row, for the preview table."""
    out = []
    for number, row in rows:
        communes = row["communes"]
        out.append({
            "ligne": number, "nom": row["nom"], "collectivite": row["collectivite"],
            "perimetre": (f"{len(communes)} commune{'s' if len(communes) > 1 else ''}" if communes
                          else "l'EPCI entier"),
            "phase": Phase(row["phase"]).label, "signature": row["date_signature"], "fin": row["date_fin"],
            "contacts": len(row["coordinateurs"]) + len(row["referents"]),
            "existant": number in recognised,
        })
    return out


def template_xlsx() -> bytes:
    """The template offered for download: headers, an example and the accepted values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Contrats"
    ws.append([c.label for c in COLUMNS])
    for i, col in enumerate(COLUMNS, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(16, min(48, len(col.label) + 2))
    example = wb.create_sheet("Exemple")
    example.append([c.label for c in COLUMNS])
    for row in EXAMPLE_ROWS:
        example.append(row)
    help_ws = wb.create_sheet("Aide")
    for line in [
        "Une ligne par contrat local de santé. Seule la première feuille (« Contrats ») est importée.",
        "Collectivité porteuse : SIREN de l'EPCI (9 chiffres) ou code INSEE de la commune (5 caractères).",
        "Communes : codes INSEE séparés par des espaces, si le périmètre n'est pas l'EPCI entier.",
        "Phases : " + ", ".join(label for _, label in Phase.choices) + ".",
        "Dates au format JJ/MM/AAAA. Un contrat signé a une date de signature ; sa fin vient 3 à 5 ans après.",
        "E-mails : séparés par des espaces ou des points-virgules ; chacun s'invite en un clic depuis l'onglet "
        "« Personnes » du contrat.",
        "Un contrat déjà présent dans la région (même nom, même collectivité) est reconnu et laissé tel quel.",
    ]:
        help_ws.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
