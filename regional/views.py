"""Thin views: user-scoped selectors (404 for other tenants), predicates (403 with a French reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from cls_portal.core import charts
from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.exports import ColumnChoiceForm, export_response
from cls_portal.core.tabular import (
    ImportConfirmForm,
    ImportUploadForm,
    discard_preview,
    load_preview,
    store_preview,
)
from cls_portal.notifications.models import Notification

from . import exports, filters, permissions, plan_import, public, selectors, services
from .forms import EmailPreferencesForm


def _check(result):
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def dashboard(request):
    _check(permissions.can_view_dashboard(request.user))
    scope = selectors.dashboard_scope(request.user, request.GET.get("region") or None)
    data = selectors.dashboard_data(scope)
    cov = data["coverage"]
    return render(request, "regional/dashboard.html", {
        **data, "scope": scope,
        "coverage_chart": charts.bar_chart(
            [(d.nom, (d.share or 0) * 100) for d in cov.departements], unit="%",
            title=f"Part de la population couverte par un CLS actif, par département — {scope.label}"),
        "phase_chart": charts.bar_chart([(f.label, f.value) for f in data["phases"]],
                                        title=f"Contrats par phase — {scope.label}", label_width=250),
        "signed_chart": charts.series_chart([(f.label, f.value) for f in data["signed_years"]],
                                            title=f"Contrats signés par année — {scope.label}"),
        "title": f"Vue régionale — {scope.label}",
    })


def _filter_params(request):
    return [(k, v) for k, values in request.GET.lists() if k not in ("page", "format", "colonnes") for v in values]


def _list_page(request, *, filterset, columns, template, title, export_url, extra=None):
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, template, {
        "filter": filterset, "page_obj": page, "title": title,
        "export_form": ColumnChoiceForm(columns=columns, auto_id="export_%s"), "export_url": export_url,
        "filter_params": _filter_params(request),
        "breadcrumbs": [("Vue régionale", reverse("regional:dashboard")), (title, None)]
        if permissions.can_view_dashboard(request.user)[0] else [(title, None)],
        **(extra or {}),
    })


def _export(request, *, filterset, columns, basename):
    _check(permissions.can_export(request.user))
    form = ColumnChoiceForm(request.GET, columns=columns)
    if not form.is_valid():
        form = ColumnChoiceForm({"format": "csv"}, columns=columns)
        form.is_valid()
    return export_response(filterset.qs, form.selected_columns(), form.cleaned_data["format"], basename)


def contract_list(request):
    fs = filters.ContractFilter(request.GET or None, request=request,
                                queryset=selectors.contracts_for_list(request.user))
    return _list_page(request, filterset=fs, columns=exports.CONTRACT_COLUMNS, template="regional/contract_list.html",
                      title="Contrats locaux de santé — liste filtrée", export_url=reverse("regional:contracts_export"))


def contract_export(request):
    fs = filters.ContractFilter(request.GET or None, request=request,
                                queryset=selectors.contracts_for_export(request.user))
    return _export(request, filterset=fs, columns=exports.CONTRACT_COLUMNS, basename="contrats")


def fiche_list(request):
    fs = filters.FicheFilter(request.GET or None, request=request, queryset=selectors.fiches_for_list(request.user))
    return _list_page(request, filterset=fs, columns=exports.FICHE_COLUMNS, template="regional/fiche_list.html",
                      title="Fiches actions", export_url=reverse("regional:fiches_export"))


def fiche_export(request):
    fs = filters.FicheFilter(request.GET or None, request=request, queryset=selectors.fiches_for_list(request.user))
    return _export(request, filterset=fs, columns=exports.FICHE_COLUMNS, basename="fiches-actions")


def _indicateur_filter(request):
    fs = filters.IndicateurFilter(request.GET or None, request=request,
                                  queryset=selectors.indicateurs_for_list(request.user))
    return fs, exports.indicateur_columns(selectors.value_years(fs.qs))


def indicateur_list(request):
    fs, columns = _indicateur_filter(request)
    return _list_page(request, filterset=fs, columns=columns, template="regional/indicateur_list.html",
                      title="Indicateurs et leurs valeurs", export_url=reverse("regional:indicateurs_export"))


def indicateur_export(request):
    fs, columns = _indicateur_filter(request)
    return _export(request, filterset=fs, columns=columns, basename="indicateurs")


# --- Public directory (no login) ---------------------------------------------------------------

@login_not_required
def directory(request):
    region, departement = request.GET.get("region", ""), request.GET.get("departement", "")
    q = request.GET.get("q", "").strip()
    page = Paginator(public.directory(region=region, departement=departement, q=q), 30).get_page(
        request.GET.get("page"))
    return render(request, "regional/directory.html", {
        "page_obj": page, "groups": public.group_by_departement(page.object_list),
        "region": region, "departement": departement, "q": q, **public.filter_choices(region),
        "title": "Annuaire des contrats locaux de santé",
    })


@login_not_required
def directory_contract(request, pk):
    contract = public.public_contract(pk)
    return render(request, "regional/directory_contract.html", {
        "contract": contract, "axes": public.public_axes(contract), "reports": public.published_reports(contract),
        "title": contract.nom,
        "breadcrumbs": [("Annuaire des contrats locaux de santé", reverse("regional:directory")), (contract.nom, None)],
    })


@login_not_required
def directory_report(request, pk):
    report = public.public_report(pk)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")


# --- Notifications ---------------------------------------------------------------------------------

def notification_list(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
        return redirect("regional:notifications")
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "regional/notifications.html", {
        "page_obj": page, "nb_unread": qs.filter(read_at__isnull=True).count(), "title": "Mes notifications",
        "breadcrumbs": [("Mes notifications", None)],
    })


def email_preferences(request):
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_update(actor=request.user, user=request.user, wanted=set(form.cleaned_data["kinds"]))
        messages.success(request, "Vos préférences d'e-mails sont enregistrées.")
        return redirect("regional:notifications")
    return render(request, "regional/email_preferences.html", {
        "form": form, "title": "Mes préférences d'e-mails",
        "breadcrumbs": [("Mes notifications", reverse("regional:notifications")), ("Préférences d'e-mails", None)],
    })


# --- Action plan import -----------------------------------------------------------------------------

def _import_contract(request, contract_pk):
    contract = selectors.contract_for_import(request.user, contract_pk)
    _check(permissions.can_import_plan(request.user, contract))
    return contract


def _import_page(request, contract, form, preview=None, token="", status=200):
    rows = plan_import.cleaned_rows(preview) if preview is not None else []
    return render(request, "regional/plan_import.html", {
        "contract": contract, "form": form, "preview": preview, "token": token,
        "summary": plan_import.summary(rows), "nb_rows": len(rows),
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
        preview = plan_import.read(form.cleaned_data["fichier"], contract)
    except DomainError as err:
        apply_domain_error(form, err)
        return _import_page(request, contract, form)
    token = store_preview(request.session, f"plan-{contract.pk}", preview) if preview.is_valid else ""
    return _import_page(request, contract, ImportUploadForm(), preview=preview, token=token)


@require_POST
def plan_import_confirm(request, contract_pk):
    contract = _import_contract(request, contract_pk)
    form = ImportConfirmForm(request.POST)
    preview = load_preview(request.session, f"plan-{contract.pk}", request.POST.get("token", "")) \
        if form.is_valid() else None
    if preview is None:
        messages.error(request, "L'aperçu a expiré ou a été remplacé : déposez de nouveau le fichier.")
        return redirect("regional:plan_import", contract_pk=contract.pk)
    try:
        preview.revalidate(plan_import.PlanRowForm)
        created = services.plan_import(actor=request.user, contract=contract, rows=plan_import.cleaned_rows(preview))
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("regional:plan_import", contract_pk=contract.pk)
    discard_preview(request.session, f"plan-{contract.pk}")
    messages.success(request, f"Plan d'action importé : {created['axes']} axe(s) créé(s), {created['fiches']} "
                              f"fiche(s) et {created['indicateurs']} indicateur(s), en brouillon.")
    return redirect(_plan_url(contract))


def _plan_url(contract):
    try:
        return reverse("actions:plan", kwargs={"contract_pk": contract.pk})
    except NoReverseMatch:
        return reverse("regional:fiches") + f"?contrat={contract.pk}"


def plan_import_template(request, contract_pk):
    _import_contract(request, contract_pk)
    response = HttpResponse(plan_import.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="modele-plan-action-cls.xlsx"'
    return response
