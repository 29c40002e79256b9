"""Reads for annual reports, always from the user's point of view (another tenant's object: 404)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cls_portal.territories.models import Delegation
from contracts.models import Contract

from .models import Report, ReportCampaign, campaign_progress_annotations


def _contracts_prefetched(user):
    return (Contract.objects.visible_to(user)
            .select_related("collectivite", "ars")
            .prefetch_related("coordinators",
                              Prefetch("delegations", queryset=Delegation.objects.select_related("departement"))))


def contract_get_for_user(user, pk) -> Contract:
    return get_object_or_404(_contracts_prefetched(user), pk=pk)


def report_get_for_user(user, pk) -> Report:
    contract_qs = Contract.objects.visible_to(user)
    report = get_object_or_404(
        Report.objects.filter(contract__in=contract_qs).select_related("requested_by", "published_by", "campaign"),
        pk=pk)
    report.contract = contract_get_for_user(user, report.contract_id)  # with what the predicates read
    return report


def contract_reports(contract, *, drafts: bool):
    qs = Report.objects.filter(contract=contract).select_related("requested_by", "published_by")
    if not drafts:
        qs = qs.filter(published=True)
    return qs.order_by("-year", "kind", "-published", "-version", "-requested_at", "-id")


def with_current_flag(reports) -> list[Report]:
    """Mark `is_current` on the latest published version of each (contract, kind, year)."""
    reports = list(reports)
    latest = {}
    for r in reports:
        if r.published:
            key = (r.contract_id, r.kind, r.year)
            latest[key] = max(latest.get(key, 0), r.version)
    for r in reports:
        r.is_current = r.published and latest.get((r.contract_id, r.kind, r.year)) == r.version
    return reports


def published_reports_for_user(user) -> list[Report]:
    """Published reports of every contract the user sees, newest years first (one query)."""
    qs = (Report.objects.published().filter(contract__in=Contract.objects.visible_to(user))
          .select_related("contract", "contract__collectivite")
          .order_by("contract__nom", "contract_id", "-year", "kind", "-version"))
    return with_current_flag(qs)


def campaigns_for_user(user):
    qs = ReportCampaign.objects.select_related("region", "departement", "started_by")
    if not user.is_authenticated:
        return qs.none()
    if not user.is_portal_admin:
        qs = qs.filter(region_id__in=user.region_codes())
    return qs.annotate(**campaign_progress_annotations())


def campaign_get_for_user(user, pk) -> ReportCampaign:
    return get_object_or_404(campaigns_for_user(user), pk=pk)


def campaign_reports(campaign):
    return (campaign.reports.select_related("contract").order_by("contract__nom", "kind"))
