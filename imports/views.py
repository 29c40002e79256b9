"""Thin views of the XLSX imports: preview (nothing saved), then confirm (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.formatting import count_label, format_euros, format_number
from cls_portal.core.permissions import require
from cls_portal.core.tabular import (
    ImportConfirmForm,
    ImportUploadForm,
    discard_preview,
    load_preview,
    store_preview,
)
from contracts import permissions as contracts_permissions

from . import contracts as contracts_import
from . import funding_years, indicators, permissions, plan, selectors, services


def _import_contract(request, contract_pk):
    contract = selectors.contract_for_import(request.user, contract_pk)
    require(permissions.can_import_plan(request.user, contract))
    return contract


def _import_page(request, contract, form, preview=None, token="", confirm_form=None, status=200):
    rows = plan.cleaned_rows(preview) if preview is not None else []
    if token and confirm_form is None:
        confirm_form = plan.PlanConfirmForm(initial={"token": token}, contract=contract)
    return render(request, "imports/plan.html", {
        "contract": contract, "form": form, "preview": preview, "token": token, "confirm_form": confirm_form,
        "summary": plan.summary(rows), "nb_rows": len(rows),
        "title": f"Importer un plan d'action — {contract.nom}",
        "breadcrumbs": [(contract.nom, reverse("contracts:detail", args=[contract.pk])),
                        ("Importer un plan d'action", None)],
    }, status=status)


def plan_import_upload(request, contract_pk):
    contract = _import_contract(request, contract_pk)
    if request.method != "POST":
        return _import_page(request, contract, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, contract, form)
    try:
        preview = plan.read(form.cleaned_data["fichier"], contract)
    except DomainError as err:
        apply_domain_error(form, err)
        return _import_page(request, contract, form)
    token = store_preview(request.session, f"plan-{contract.pk}", preview) if preview.is_valid else ""
    return _import_page(request, contract, ImportUploadForm(), preview=preview, token=token)


@require_POST
def plan_import_confirm(request, contract_pk):
    contract = _import_contract(request, contract_pk)
    form = plan.PlanConfirmForm(request.POST, contract=contract)
    token = request.POST.get("token", "")
    preview = load_preview(request.session, f"plan-{contract.pk}", token)
    if preview is None:
        messages.error(request, "L'aperçu a expiré ou a été remplacé : déposez de nouveau le fichier.")
        return redirect("imports:plan", contract_pk=contract.pk)
    if not form.is_valid():  # the signed plan question unanswered: the same preview, the error beside it
        return _import_page(request, contract, ImportUploadForm(), preview=preview, token=token, confirm_form=form)
    try:
        preview.revalidate(plan.PlanRowForm)
        created = services.plan_import(actor=request.user, contract=contract, rows=plan.cleaned_rows(preview),
                                       signed_plan=form.signed_plan)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("imports:plan", contract_pk=contract.pk)
    discard_preview(request.session, f"plan-{contract.pk}")
    fiches = ("fiche validée", "fiches validées") if form.signed_plan else ("fiche", "fiches")
    counted = (f"{count_label(created['axes'], 'axe', 'axes')}, {count_label(created['fiches'], *fiches)} et "
               f"{count_label(created['indicateurs'], 'indicateur', 'indicateurs')}")
    if form.signed_plan:
        messages.success(request, f"Plan d'action signé le {contract.date_signature:%d/%m/%Y} enregistré : "
                                  f"{counted}. Son suivi annuel peut commencer.")
    else:
        messages.success(request, f"Plan d'action importé, en brouillon : {counted}.")
    return redirect("actions:plan", contract_pk=contract.pk)


def plan_import_template(request, contract_pk):
    _import_contract(request, contract_pk)
    response = HttpResponse(plan.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="modele-plan-action-cls.xlsx"'
    return response


# --- existing CLS of a région ----------------------------------------------------------------------

def _import_region(request):
    """The région of the import: the user's only one, or the one chosen (?region=). None: must choose."""
    require(contracts_permissions.can_import_contracts(request.user))
    regions = selectors.import_regions(request.user)
    if not regions:
        raise PermissionDenied("Votre compte n'est rattaché à aucune région.")
    if len(regions) == 1:
        return regions[0], regions
    code = request.POST.get("region") or request.GET.get("region")
    return next((r for r in regions if r.code == code), None), regions


def _contracts_page(request, region, regions, form, preview=None, rows=(), recognised=(), token=""):
    summary = contracts_import.summary(list(rows), set(recognised))
    return render(request, "imports/contracts.html", {
        "region": region, "regions": regions, "form": form, "preview": preview, "token": token,
        "summary": summary, "nb_new": sum(1 for r in summary if not r["existant"]),
        "nb_existing": sum(1 for r in summary if r["existant"]),
        "title": "Importer les CLS existants" + (f" — {region.nom}" if region else ""),
        "breadcrumbs": [("Contrats", reverse("contracts:list")), ("Importer les CLS existants", None)],
    })


def contracts_import_upload(request):
    region, regions = _import_region(request)
    if region is None or request.method != "POST":
        return _contracts_page(request, region, regions, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _contracts_page(request, region, regions, form)
    try:
        preview, rows, recognised = contracts_import.read(form.cleaned_data["fichier"], region)
    except DomainError as err:
        apply_domain_error(form, err)
        return _contracts_page(request, region, regions, form)
    token = store_preview(request.session, f"contracts-{region.code}", preview) if preview.is_valid else ""
    return _contracts_page(request, region, regions, ImportUploadForm(), preview=preview, rows=rows,
                           recognised=recognised, token=token)


@require_POST
def contracts_import_confirm(request):
    region, regions = _import_region(request)
    back = reverse("imports:contracts") + (f"?region={region.code}" if region and len(regions) > 1 else "")
    form = ImportConfirmForm(request.POST)
    key = f"contracts-{region.code}" if region else ""
    preview = load_preview(request.session, key, request.POST.get("token", "")) \
        if region and form.is_valid() else None
    if preview is None:
        messages.error(request, "L'aperçu a expiré ou a été remplacé : déposez de nouveau le fichier.")
        return redirect(back)
    try:
        cleaned = preview.revalidate(contracts_import.validator(region))  # same order as preview.rows
        created = services.contracts_import(actor=request.user, region=region,
                                            rows=[(n, row) for (n, _), row in zip(preview.rows, cleaned, strict=True)])
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(back)
    discard_preview(request.session, key)
    kept = count_label(created["inchanges"], "déjà présent laissé tel quel", "déjà présents laissés tels quels")
    contacts = count_label(created["contacts"], "contact", "contacts")
    messages.success(request, f"{count_label(created['contrats'], 'contrat importé', 'contrats importés')}, {kept} ; "
                              f"{contacts} (coordinateurs et référents) à inviter depuis la page « Personnes » de "
                              "chaque contrat.")
    return redirect("contracts:list")


def contracts_import_template(request):
    _import_region(request)
    response = HttpResponse(contracts_import.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="modele-import-cls.xlsx"'
    return response


# --- past indicator values and past funding years of a région ----------------------------------------------------

ETATS = {"nouvelle": ("À créer", "success"), "creee": ("À créer", "success"), "modifiee": ("Modifiée", "warning"),
         "inchangee": ("Inchangée", "info")}


def _values_lines(lignes) -> tuple[list[str], list[dict]]:
    headers = ["Ligne", "Contrat", "Fiche", "Indicateur", "Année ou période", "Valeur"]
    return headers, [{"cells": [r["ligne"], r["contrat"], r["fiche"], r["indicateur"], r["periode"] or str(r["annee"]),
                                format_number(r["valeur"]) + (f" (avant : {format_number(r['ancienne'])})"
                                                              if r["etat"] == "modifiee" else "")],
                      "etat": ETATS[r["etat"]]} for r in indicators.summary(lignes)]


def _funding_lines(lignes) -> tuple[list[str], list[dict]]:
    headers = ["Ligne", "Contrat", "Année", "ETP", "Coût du poste", "Collectivité", "ARS accordé", "ARS versé"]
    return headers, [{"cells": [r["ligne"], r["contrat"], r["annee"], format_number(r["etp"]), format_euros(r["cout"]),
                                format_euros(r["collectivite"]), format_euros(r["accorde"]), format_euros(r["verse"])],
                      "etat": ETATS[r["etat"]]} for r in funding_years.summary(lignes)]


HISTORY_IMPORTS = {
    "values": {"module": indicators, "lines": _values_lines, "service": services.indicator_values_import,
               "title": "Importer les valeurs passées des indicateurs", "file": "modele-valeurs-indicateurs.xlsx",
               "intro": "Une ligne par valeur : le contrat (son nom sur le portail), le numéro de la fiche, le libellé "
                        "de l'indicateur, l'année et la valeur. Une valeur déjà saisie et identique ne change rien ; "
                        "une valeur différente remplace l'ancienne, que l'historique de la fiche garde.",
               "done": lambda c: (f"{count_label(c['creees'], 'valeur créée', 'valeurs créées')}, "
                                  f"{count_label(c['modifiees'], 'modifiée', 'modifiées')}, "
                                  f"{count_label(c['inchangees'], 'inchangée', 'inchangées')}.")},
    "funding": {"module": funding_years, "lines": _funding_lines, "service": services.funding_years_import,
                "title": "Importer les années de financement passées", "file": "modele-financements-passes.xlsx",
                "intro": "Une ligne par contrat et par année du poste de coordination : temps de travail, coût, "
                         "cofinancements, montants accordé et versé par l'ARS. Chaque année est contrôlée comme une "
                         "demande (vie du contrat, règle de la région). Une année identique ne change rien ; une "
                         "année déjà importée puis modifiée est mise à jour, avec son historique.",
                "done": lambda c: (f"{count_label(c['creee'], 'année créée', 'années créées')}, "
                                   f"{count_label(c['modifiee'], 'modifiée', 'modifiées')}, "
                                   f"{count_label(c['inchangee'], 'inchangée', 'inchangées')}.")},
}


def _history_page(request, kind, region, regions, form, preview=None, lignes=(), token=""):
    spec = HISTORY_IMPORTS[kind]
    headers, lines = spec["lines"](list(lignes))
    suffix = f"?region={region.code}" if region and len(regions) > 1 else ""
    return render(request, "imports/history.html", {
        "region": region, "regions": regions, "form": form, "preview": preview, "token": token, "kind": kind,
        "headers": headers, "lines": lines, "intro": spec["intro"],
        "nb_changes": sum(1 for li in lines if li["etat"][0] != "Inchangée"),
        "template_url": reverse(f"imports:{kind}_template") + suffix,
        "upload_url": reverse(f"imports:{kind}"), "confirm_url": reverse(f"imports:{kind}_confirm"),
        "title": spec["title"] + (f" — {region.nom}" if region else ""), "heading": spec["title"],
        "breadcrumbs": [("Contrats", reverse("contracts:list")), (spec["title"], None)],
    })


def _history_upload(request, kind):
    region, regions = _import_region(request)
    if region is None or request.method != "POST":
        return _history_page(request, kind, region, regions, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _history_page(request, kind, region, regions, form)
    try:
        preview, lignes = HISTORY_IMPORTS[kind]["module"].read(form.cleaned_data["fichier"], region)
    except DomainError as err:
        apply_domain_error(form, err)
        return _history_page(request, kind, region, regions, form)
    token = store_preview(request.session, f"{kind}-{region.code}", preview) if preview.is_valid else ""
    return _history_page(request, kind, region, regions, ImportUploadForm(), preview=preview, lignes=lignes,
                         token=token)


def _history_confirm(request, kind):
    region, regions = _import_region(request)
    spec = HISTORY_IMPORTS[kind]
    back = reverse(f"imports:{kind}") + (f"?region={region.code}" if region and len(regions) > 1 else "")
    form = ImportConfirmForm(request.POST)
    key = f"{kind}-{region.code}" if region else ""
    preview = load_preview(request.session, key, request.POST.get("token", "")) if region and form.is_valid() else None
    if preview is None:
        messages.error(request, "L'aperçu a expiré ou a été remplacé : déposez de nouveau le fichier.")
        return redirect(back)
    try:
        cleaned = preview.revalidate(spec["module"].validate)  # same order as preview.rows
        counts = spec["service"](actor=request.user, region=region,
                                 rows=[(n, row) for (n, _), row in zip(preview.rows, cleaned, strict=True)])
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(back)
    discard_preview(request.session, key)
    messages.success(request, "Import terminé : " + spec["done"](counts))
    return redirect(back)


def _history_template(request, kind):
    _import_region(request)
    response = HttpResponse(HISTORY_IMPORTS[kind]["module"].template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{HISTORY_IMPORTS[kind]["file"]}"'
    return response


def values_import_upload(request):
    return _history_upload(request, "values")


@require_POST
def values_import_confirm(request):
    return _history_confirm(request, "values")


def values_import_template(request):
    return _history_template(request, "values")


def funding_import_upload(request):
    return _history_upload(request, "funding")


@require_POST
def funding_import_confirm(request):
    return _history_confirm(request, "funding")


def funding_import_template(request):
    return _history_template(request, "funding")
