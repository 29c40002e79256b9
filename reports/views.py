"""Thin views: scoped fetch (404 for other tenants), predicate (403 with a French reason), one service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.files import open_stored
from cls_portal.core.permissions import require
from contracts.tabs import tabs_for
from resources import permissions as resource_permissions

from . import permissions, selectors, services
from .forms import CampaignForm, ReportPublishForm, ReportRequestForm, ReportResourceForm

PAGE_SIZE = 20
# A page that waits for a report says its progress in a polite live region: static/js/poll.js asks the same
# view for `?etat=1` (the same permission checks, by construction) and replaces the parts that changed,
# every POLL_SECONDS, without moving focus; without JavaScript, a « Rafraîchir » link. Never a meta refresh
# (it moved focus to the top every 3 seconds: WCAG 2.2.1).
POLL_SECONDS = 3
POLL_PARAM = "etat"


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template, context, status=200):
    """The page, or with `?etat=1` only its parts that change while reports are produced (`<name>_etat.html`)."""
    context = {**context, "poll_seconds": POLL_SECONDS}
    if request.GET.get(POLL_PARAM):
        return render(request, template.replace(".html", "_etat.html"), context, status=status)
    return render(request, template, context, status=status)


def home(request):
    """The reports the user may open: published ones (elected officials), drafts too for the ARS and coordinators."""
    return render(request, "reports/home.html", {
        "page_obj": _page(request, selectors.reports_for_user(request.user)),
        "can_start_campaign": permissions.can_start_campaign(request.user)[0],
        "title": "Rapports annuels",
    })


def _contract_page(request, contract, form, status=200):
    drafts = permissions.can_view_drafts(request.user, contract)[0]
    reports = selectors.contract_reports(contract, drafts=drafts)
    page = _page(request, reports)
    unfinished = sum(1 for r in page if r.is_unfinished)
    return _render(request, "reports/contract_reports.html", {
        "contract": contract,
        "page_obj": page,
        "drafts": drafts,
        "form": form,
        "polling": bool(unfinished),
        "nb_unfinished": unfinished,
        "contract_tabs": tabs_for(request.user, contract),
        "title": f"Rapports annuels — {contract.nom}",
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")), (contract.nom, None)],
    }, status=status)


def contract_reports(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    can_request = permissions.can_request_report(request.user, contract)[0]
    return _contract_page(request, contract, ReportRequestForm(contract=contract) if can_request else None)


@require_POST
def report_request(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    require(permissions.can_request_report(request.user, contract))
    form = ReportRequestForm(request.POST, contract=contract)
    if form.is_valid():
        try:
            report = services.report_request(actor=request.user, contract=contract, **form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Votre demande est enregistrée : le rapport est en préparation.")
            return redirect("reports:detail", pk=report.pk)
    return _contract_page(request, contract, form)


def _detail(request, report, publish_form=None, resource_form=None):
    if resource_form is None and permissions.can_set_resource(request.user, report)[0]:
        resource_form = ReportResourceForm(report=report)
    can_publish = report.is_ready and permissions.can_publish_report(request.user, report)[0]
    if can_publish and publish_form is None:
        publish_form = ReportPublishForm(require_copil=permissions.must_record_copil_decision(request.user, report))
    return _render(request, "reports/report_detail.html", {
        "report": report,
        "stale": can_publish and selectors.report_is_stale(report),
        "can_retry": report.status == "echec" and permissions.can_retry_report(request.user, report)[0],
        "publish_form": publish_form if can_publish else None,
        "resource_form": resource_form,
        "can_open_resources": resource_permissions.can_view_library(request.user)[0],
        "polling": report.is_unfinished,
        "title": str(report),
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")),
                        (report.contract.nom, reverse("reports:contract", args=[report.contract_id])),
                        (f"{report.get_kind_display()} {report.year}", None)],
    })


def report_detail(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    require(permissions.can_view_report(request.user, report))
    return _detail(request, report)


@require_POST
def report_retry(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    require(permissions.can_view_report(request.user, report))
    require(permissions.can_retry_report(request.user, report))
    try:
        services.report_retry(actor=request.user, report=report)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "La production du rapport est relancée.")
    return redirect("reports:detail", pk=report.pk)


@require_POST
def report_publish(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    require(permissions.can_view_report(request.user, report))
    require(permissions.can_publish_report(request.user, report))
    form = ReportPublishForm(request.POST, require_copil=permissions.must_record_copil_decision(request.user, report))
    if form.is_valid():
        try:
            services.report_publish(actor=request.user, report=report, copil_date=form.cleaned_data["copil_date"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Le rapport est publié : il est public dans l'annuaire des CLS et les élus de "
                                      "la collectivité peuvent le télécharger.")
            return redirect("reports:detail", pk=report.pk)
    return _detail(request, report, publish_form=form)


@require_POST
def report_resource(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    require(permissions.can_view_report(request.user, report))
    require(permissions.can_set_resource(request.user, report))
    form = ReportResourceForm(request.POST, report=report)
    if form.is_valid():
        try:
            services.report_set_resource(actor=request.user, report=report, ressource=form.cleaned_data["ressource"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "La ressource suivie par le rapport est enregistrée.")
            return redirect("reports:detail", pk=report.pk)
    return _detail(request, report, resource_form=form)


def report_download(request, pk):
    """The PDF, through this permission-checked view only (private storage, no public media URL)."""
    report = selectors.report_get_for_user(request.user, pk)
    require(permissions.can_view_report(request.user, report))
    if not report.is_ready or not report.file:
        raise Http404("Ce rapport n'est pas encore prêt.")
    return FileResponse(open_stored(report.file), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")


def campaigns(request):
    require(permissions.can_start_campaign(request.user))
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_start(actor=request.user, **form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "La campagne est lancée : les rapports sont en préparation.")
            return redirect("reports:campaign", pk=campaign.pk)
    return render(request, "reports/campaigns.html", {
        "form": form,
        "page_obj": _page(request, selectors.campaigns_for_user(request.user)),
        "title": "Campagnes de rapports annuels",
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")), ("Campagnes", None)],
    })


def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for_user(request.user, pk)
    require(permissions.can_start_campaign(request.user))
    return _render(request, "reports/campaign_detail.html", {
        "campaign": campaign,
        "page_obj": _page(request, selectors.campaign_reports(campaign)),
        "polling": bool(campaign.nb_unfinished),
        "title": str(campaign),
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")), ("Campagnes", reverse("reports:campaigns")),
                        (str(campaign), None)],
    })
