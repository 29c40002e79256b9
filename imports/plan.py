"""Import of an existing action plan (axes, sheets, indicators) from the portal's XLSX template.

One row per action sheet, or per indicator of a sheet: a sheet with three indicators takes three
rows repeating the axe and the sheet. The generic reader (`cls_portal.core.tabular`) maps headers
and validates each row with `PlanRowForm`; `check_rows()` adds what spans rows and the existing
plan (an axe number with two titles, a sheet already in the plan...). Saving is all or nothing
(`imports.services.plan_import`, through the action plan's services).
"""

from __future__ import annotations

import io
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError

from actions.enums import AxeType, IndicateurType
from actions.models import Axe, FicheAction
from actions.permissions import can_record_signed_plan
from actions.services import indicator_year_refusals
from cls_portal.core.collation import fold_query
from cls_portal.core.tabular import (
    ImportColumn,
    ImportConfirmForm,
    ImportPreview,
    RowError,
    normalise_header,
    parse_import,
)
from cls_portal.core.validation import PortalForm
from cls_portal.territories.models import Organisation

COLUMNS = [
    ImportColumn("axe_numero", "N° axe", aliases=["numero axe", "axe"]),
    ImportColumn("axe_titre", "Titre de l'axe"),
    ImportColumn("axe_type", "Type d'axe", required=False),
    ImportColumn("fiche_numero", "N° fiche", aliases=["numero fiche"]),
    ImportColumn("fiche_titre", "Titre de la fiche", aliases=["fiche action", "titre"]),
    ImportColumn("objectif_general", "Objectif général", required=False),
    ImportColumn("public_cible", "Public cible", required=False),
    ImportColumn("pilote_organisation", "Organisation pilote", required=False),
    ImportColumn("date_debut", "Date de début", required=False),
    ImportColumn("date_fin", "Date de fin", required=False),
    ImportColumn("indicateur", "Indicateur", required=False),
    ImportColumn("indicateur_type", "Type d'indicateur", required=False),
    ImportColumn("unite", "Unité", required=False),
    ImportColumn("valeur_reference", "Valeur de référence", required=False),
    ImportColumn("cible", "Valeur cible", required=False, aliases=["cible"]),
    ImportColumn("annee_cible", "Année cible", required=False),
]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]


class ImportDateField(forms.DateField):
    """A date cell of an imported file. Django's « Saisissez une date valide. » does not say which cell text
    was refused nor how to write it: the person fixing the spreadsheet needs both (« 31/02/2023 », « 2028 »)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATE_FORMATS, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(f"« {value} » n'est pas une date valide (format JJ/MM/AAAA, "
                                  "par exemple 15/03/2021).", code="invalid") from None


def _choice(value: str, choices, label: str):
    if not value:
        return ""
    norm = normalise_header(value)
    for key, text in choices:
        if norm in (normalise_header(key), normalise_header(text)):
            return key
    raise forms.ValidationError(f"« {value} » n'est pas un {label} connu ("
                                + ", ".join(text for _, text in choices) + ").")


class PlanRowForm(PortalForm):
    axe_numero = forms.IntegerField(label="N° axe", min_value=1, max_value=99)
    axe_titre = forms.CharField(label="Titre de l'axe", max_length=255)
    axe_type = forms.CharField(label="Type d'axe", required=False)
    fiche_numero = forms.IntegerField(label="N° fiche", min_value=1, max_value=99)
    fiche_titre = forms.CharField(label="Titre de la fiche", max_length=255)
    objectif_general = forms.CharField(label="Objectif général", required=False)
    public_cible = forms.CharField(label="Public cible", required=False)
    pilote_organisation = forms.CharField(label="Organisation pilote", required=False, max_length=200)
    date_debut = ImportDateField(label="Date de début", required=False)
    date_fin = ImportDateField(label="Date de fin", required=False)
    indicateur = forms.CharField(label="Indicateur", required=False, max_length=255)
    indicateur_type = forms.CharField(label="Type d'indicateur", required=False)
    unite = forms.CharField(label="Unité", required=False, max_length=40)
    valeur_reference = forms.DecimalField(label="Valeur de référence", required=False, max_digits=14,
                                          decimal_places=2, localize=True)
    cible = forms.DecimalField(label="Valeur cible", required=False, max_digits=14, decimal_places=2, localize=True)
    annee_cible = forms.IntegerField(label="Année cible", required=False, min_value=2000, max_value=2100)

    def clean_axe_type(self):
        return _choice(self.cleaned_data["axe_type"], AxeType.choices, "type d'axe") or AxeType.THEMATIQUE

    def clean_indicateur_type(self):
        return _choice(self.cleaned_data["indicateur_type"], IndicateurType.choices, "type d'indicateur") \
            or IndicateurType.PROCESSUS

    def clean_pilote_organisation(self):
        name = self.cleaned_data["pilote_organisation"].strip()
        if not name:
            return None
        # Accents, case, hyphens and apostrophes aside: a spreadsheet typed « Centre hospitalier d'Evreux ».
        org = Organisation.objects.filter(nom_recherche=fold_query(name)).order_by("pk").first()
        if org is None:
            raise forms.ValidationError(f"aucune organisation « {name} » n'est connue du portail : "
                                        "vérifiez son nom ou laissez la case vide.")
        return org.pk

    def clean(self):
        data = super().clean()
        start, end = data.get("date_debut"), data.get("date_fin")
        if start and end and end < start:
            self.add_error("date_fin", "la date de fin précède la date de début.")
        has_indicator_detail = any(data.get(k) not in (None, "") for k in ("unite", "valeur_reference", "cible",
                                                                            "annee_cible"))
        if has_indicator_detail and not data.get("indicateur"):
            self.add_error("indicateur", "renseignez le libellé de l'indicateur dont vous donnez l'unité, "
                                         "la référence ou la cible.")
        return data


class PlanConfirmForm(ImportConfirmForm):
    """The confirmation of a previewed plan. On a contract signed before it came into the portal, whose signed
    plan is not in it yet (`actions.permissions.can_record_signed_plan`), the coordinator says whether the file
    is that plan (its sheets then recorded as validated) or new sheets (drafts, added by an avenant): no
    default, the choice changes what the sheets are."""

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_record_signed_plan(contract)[0]:
            return
        signed = f"{contract.date_signature:%d/%m/%Y}"
        self.fields["plan_signe"] = forms.ChoiceField(
            label=f"Ce plan est-il celui signé le {signed} ?", widget=forms.RadioSelect,
            help_text=("Le contrat a été signé avant d'entrer dans le portail, et son plan d'action signé n'y est "
                       "pas encore."),
            choices=[("oui", f"Oui : ce plan est celui signé le {signed}, annexe du contrat. Ses fiches sont "
                             f"enregistrées comme validées (version {contract.plan_version} du plan), sans revue ni "
                             "avenant, et leur suivi annuel peut commencer."),
                     ("non", "Non : ce sont des fiches nouvelles, ajoutées après la signature. Elles sont "
                             "enregistrées en brouillon, et validées une fois en vigueur l'avenant qui les ajoute.")],
            error_messages={"required": f"Indiquez si ce plan est celui signé le {signed}."})

    @property
    def asks_signed_plan(self) -> bool:
        return "plan_signe" in self.fields

    @property
    def signed_plan(self) -> bool:
        return self.cleaned_data.get("plan_signe") == "oui"


def cleaned_rows(preview: ImportPreview) -> list[tuple[int, dict]]:
    """The valid rows of a preview with their cleaned values (they passed `PlanRowForm` already)."""
    out = []
    for number, raw in preview.rows:
        form = PlanRowForm(data=raw)
        if form.is_valid():
            out.append((number, form.cleaned_data))
    return out


def check_rows(contract, rows: list[tuple[int, dict]]) -> list[RowError]:
    """Errors spanning rows or the existing plan, each on the row where it shows."""
    errors: dict[int, list[str]] = defaultdict(list)
    existing_axes = {a.numero: a.titre for a in Axe.objects.filter(contract=contract)}
    existing_fiches = set(FicheAction.objects.filter(contract=contract).values_list("axe__numero", "numero"))
    axe_titles: dict[int, tuple[int, str]] = {}
    fiche_titles: dict[tuple, tuple[int, str]] = {}
    indicators: set[tuple] = set()
    for number, row in rows:
        axe, titre = row["axe_numero"], row["axe_titre"].strip()
        if axe in existing_axes and existing_axes[axe].strip().lower() != titre.lower():
            errors[number].append(f"l'axe {axe} existe déjà dans le plan sous le titre « {existing_axes[axe]} ».")
        first = axe_titles.setdefault(axe, (number, titre))
        if first[1].lower() != titre.lower():
            errors[number].append(f"l'axe {axe} porte un autre titre à la ligne {first[0]} (« {first[1]} »).")
        key = (axe, row["fiche_numero"])
        code = f"{axe}.{row['fiche_numero']}"
        if key in existing_fiches:
            errors[number].append(f"la fiche {code} existe déjà dans le plan d'action.")
        first = fiche_titles.setdefault(key, (number, row["fiche_titre"].strip()))
        if first[1].lower() != row["fiche_titre"].strip().lower():
            errors[number].append(f"la fiche {code} porte un autre titre à la ligne {first[0]} (« {first[1]} »).")
        if row["indicateur"] and row.get("annee_cible") is not None:
            refusal = indicator_year_refusals(contract, annee_cible=row["annee_cible"]).get("annee_cible")
            if refusal:  # the sheet form's rule, said the import's way (after « Ligne n : »)
                errors[number].append(refusal[0].lower() + refusal[1:])
        if row["indicateur"]:
            ind = (key, row["indicateur"].strip().lower())
            if ind in indicators:
                errors[number].append(f"l'indicateur « {row['indicateur']} » figure deux fois pour la fiche {code}.")
            indicators.add(ind)
    return [RowError(n, msgs) for n, msgs in sorted(errors.items())]


def read(uploaded, contract) -> ImportPreview:
    """Preview of a file: per-row errors (field and cross-row) in French; saves nothing."""
    preview = parse_import(uploaded, columns=COLUMNS, validator=PlanRowForm)
    extra = check_rows(contract, cleaned_rows(preview))
    if extra:
        by_row = {e.row: e for e in preview.errors}
        for err in extra:
            if err.row in by_row:
                by_row[err.row].messages.extend(err.messages)
            else:
                preview.errors.append(err)
        preview.errors.sort(key=lambda e: e.row)
        bad = {e.row for e in extra}
        preview.rows = [(n, r) for n, r in preview.rows if n not in bad]
    return preview


def summary(rows: list[tuple[int, dict]]) -> list[dict]:
    """Axes -> sheets -> indicators, for the preview page."""
    axes: dict[int, dict] = {}
    for _, row in rows:
        axe = axes.setdefault(row["axe_numero"], {"numero": row["axe_numero"], "titre": row["axe_titre"],
                                                  "fiches": {}})
        fiche = axe["fiches"].setdefault(row["fiche_numero"], {"code": f"{row['axe_numero']}.{row['fiche_numero']}",
                                                               "titre": row["fiche_titre"], "indicateurs": []})
        if row["indicateur"]:
            fiche["indicateurs"].append(row["indicateur"])
    return [{**a, "fiches": [a["fiches"][k] for k in sorted(a["fiches"])]} for _, a in sorted(axes.items())]


def template_xlsx() -> bytes:
    """The template offered for download: the headers, an example sheet, and the accepted values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Plan d'action"
    ws.append([c.label for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(14, len(col.label) + 4)
    example = wb.create_sheet("Exemple")
    example.append([c.label for c in COLUMNS])
    example.append([1, "Accès aux soins", "Thématique", 1, "Installer des médecins généralistes",
                    "Améliorer l'accès aux soins de premier recours", "Habitants du territoire", "",
                    "01/01/2025", "31/12/2027", "Nombre de médecins installés", "Résultat", "médecins", 0, 4, 2027])
    example.append([1, "Accès aux soins", "Thématique", 1, "Installer des médecins généralistes", "", "", "", "",
                    "", "Nombre de stages de docteurs juniors accueillis", "Processus", "stages", 0, 6, 2027])
    example.append([2, "Santé mentale", "Thématique", 1, "Former aux premiers secours en santé mentale",
                    "Repérer et orienter les personnes en souffrance psychique", "Élus, agents, bénévoles", "",
                    "", "", "", "", "", "", "", ""])
    help_ws = wb.create_sheet("Aide")
    help_ws.append(["Une ligne par fiche action, ou par indicateur : répétez l'axe et la fiche sur chaque ligne."])
    help_ws.append(["Colonnes obligatoires : N° axe, Titre de l'axe, N° fiche, Titre de la fiche."])
    help_ws.append(["Dates au format JJ/MM/AAAA. Organisation pilote : nom exact d'une organisation du portail."])
    help_ws.append(["Types d'axe : " + ", ".join(label for _, label in AxeType.choices)])
    help_ws.append(["Types d'indicateur : " + ", ".join(label for _, label in IndicateurType.choices)])
    help_ws.append(["Seule la première feuille (« Plan d'action ») est importée."])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
