"""Thin views: scoped fetch (404 for other tenants), predicate (403 with a French reason), one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.core.errors import DomainError, apply_domain_error

from . import permissions, selectors, services
from .forms import CampaignForm, ReportPublishForm, ReportRequestForm


def _check(result):
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def home(request):
    """Published annual reports of the user's contracts (the elected officials' start page)."""
    return render(request, "reports/home.html", {
        "reports": selectors.published_reports_for_user(request.user),
        "title": "Rapports annuels",
    })


def _contract_page(request, contract, form, status=200):
    drafts = permissions.can_view_drafts(request.user, contract)[0]
    return render(request, "reports/contract_reports.html", {
        "contract": contract,
        "reports": selectors.with_current_flag(selectors.contract_reports(contract, drafts=drafts)),
        "drafts": drafts,
        "form": form,
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
    _check(permissions.can_request_report(request.user, contract))
    form = ReportRequestForm(request.POST, contract=contract)
    if form.is_valid():
        try:
            report = services.report_request(actor=request.user, contract=contract, **form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Votre demande est enregistrée : le rapport est en cours de préparation.")
            return redirect("reports:detail", pk=report.pk)
    return _contract_page(request, contract, form)


def report_detail(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    _check(permissions.can_view_report(request.user, report))
    can_publish = report.is_ready and permissions.can_publish_report(request.user, report)[0]
    require_copil = permissions.must_record_copil_decision(request.user, report)
    return render(request, "reports/report_detail.html", {
        "report": report,
        "can_retry": permissions.can_retry_report(request.user, report)[0],
        "publish_form": ReportPublishForm(require_copil=require_copil) if can_publish else None,
        "title": str(report),
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")),
                        (report.contract.nom, reverse("reports:contract", args=[report.contract_id])),
                        (f"{report.get_kind_display()} {report.year}", None)],
    })


@require_POST
def report_retry(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    _check(permissions.can_view_report(request.user, report))
    _check(permissions.can_retry_report(request.user, report))
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
    _check(permissions.can_view_report(request.user, report))
    _check(permissions.can_publish_report(request.user, report))
    form = ReportPublishForm(request.POST, require_copil=permissions.must_record_copil_decision(request.user, report))
    if form.is_valid():
        try:
            services.report_publish(actor=request.user, report=report, **form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Le rapport est publié : les élus de la collectivité peuvent le télécharger.")
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_detail.html", {
        "report": report, "can_retry": permissions.can_retry_report(request.user, report)[0],
        "publish_form": form, "title": str(report),
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")), (str(report), None)],
    })


def report_download(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    _check(permissions.can_view_report(request.user, report))
    if not report.is_ready or not report.file:
        raise Http404("Ce rapport n'est pas encore prêt.")
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")


def campaigns(request):
    _check(permissions.can_start_campaign(request.user))
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
        "form": form, "campaigns": selectors.campaigns_for_user(request.user)[:50],
        "title": "Campagnes de rapports annuels",
        "breadcrumbs": [("Rapports annuels", reverse("reports:home")), ("Campagnes", None)],
    })


def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for_user(request.user, pk)
    _check(permissions.can_start_campaign(request.user))
    done = campaign.nb_pret + campaign.nb_echec
    return render(request, "reports/campaign_detail.html", {
        "campaign": campaign, "reports": selectors.campaign_reports(campaign),
        "done": done, "unfinished": campaign.nb_total - done,
        "percent": round(100 * done / campaign.nb_total) if campaign.nb_total else 100,
        "title": str(campaign),
        "breadcrumbs": [("Campagnes", reverse("reports:campaigns")), (str(campaign), None)],
    })
