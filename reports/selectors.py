"""Reads for annual reports, always from the user's point of view (another tenant's object: 404)."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404

from cls_portal.accounts.models import Role
from cls_portal.territories.models import Delegation
from contracts.models import Contract, in_departements_q

from . import data as report_data
from .models import Report, ReportCampaign, campaign_progress_annotations


def _contracts_prefetched(user):
    return (Contract.objects.visible_to(user)
            .select_related("collectivite", "ars")
            .prefetch_related("coordinators",
                              Prefetch("delegations", queryset=Delegation.objects.select_related("departement"))))


def contract_get_for_user(user, pk) -> Contract:
    return get_object_or_404(_contracts_prefetched(user), pk=pk)


def report_get_for_user(user, pk) -> Report:
    report = get_object_or_404(
        Report.objects.filter(contract__in=Contract.objects.visible_to(user))
        .select_related("requested_by", "published_by", "campaign", "reused_from", "ressource__current_version"),
        pk=pk)
    report.contract = contract_get_for_user(user, report.contract_id)  # with what the predicates read
    return report


def _latest_version():
    """Latest published version of the same contract, kind and year (to flag the current one)."""
    return Subquery(Report.objects.filter(contract=OuterRef("contract"), kind=OuterRef("kind"),
                                          year=OuterRef("year"), published=True)
                    .order_by("-version").values("version")[:1])


def draft_contracts(user):
    """Contracts whose unpublished jobs `user` sees: coordinator, délégation, regional office, admin.

    The same rule as `permissions.can_view_drafts`, as a queryset (for lists).
    """
    qs = Contract.objects.visible_to(user)
    if user.is_portal_admin:
        return qs
    roles, q = user.roles(), Q(pk__in=[])
    if Role.COORDINATEUR in roles:
        q |= Q(pk__in=Contract.coordinators.through.objects.filter(user_id=user.pk).values("contract_id"))
    if Role.DELEGATION in roles:
        q |= in_departements_q(user.departement_codes())
    if Role.REGION in roles:
        q |= Q(ars__region_id__in=user.region_codes())
    return qs.filter(q)


def reports_for_user(user):
    """Every report the user may open: published ones of the contracts they see, drafts where allowed.

    Newest years first; each row knows whether it is the current published version (`latest_version`).
    """
    return (Report.objects.filter(contract__in=Contract.objects.visible_to(user))
            .filter(Q(published=True) | Q(contract__in=draft_contracts(user)))
            .select_related("contract", "contract__collectivite")
            .annotate(latest_version=_latest_version())
            .order_by("-year", "contract__nom", "kind", "-published", "-version", "-requested_at", "-id"))


def contract_reports(contract, *, drafts: bool):
    qs = (Report.objects.filter(contract=contract).select_related("requested_by", "published_by")
          .annotate(latest_version=_latest_version()))
    if not drafts:
        qs = qs.filter(published=True)
    return qs.order_by("-year", "kind", "-published", "-version", "-requested_at", "-id")


def campaigns_for_user(user):
    qs = ReportCampaign.objects.select_related("region", "departement", "started_by")
    if not user.is_portal_admin:
        qs = qs.filter(region_id__in=user.region_codes()) if user.has_role(Role.REGION) else qs.none()
    return qs.annotate(**campaign_progress_annotations()).order_by("-started_at", "-id")


def campaign_get_for_user(user, pk) -> ReportCampaign:
    """A campaign of a region the user works in (else 404); who may open it is the predicate's call (403)."""
    qs = ReportCampaign.objects.select_related("region", "departement", "started_by")
    if not user.is_portal_admin:
        regions = Q(region_id__in=user.region_codes()) | Q(
            region_id__in=Contract.objects.visible_to(user).values("ars__region_id"))
        qs = qs.filter(regions)
    return get_object_or_404(qs.annotate(**campaign_progress_annotations()), pk=pk)


def campaign_reports(campaign):
    return campaign.reports.select_related("contract").order_by("contract__nom", "kind", "id")




def report_is_stale(report) -> bool:
    """True when the contract's data changed since the report was produced: its fingerprint is no longer
    that of the data the report would be built from today (the producer is warned before publishing)."""
    if not report.fingerprint:
        return False
    data = report_data.report_data(report.contract, report.kind, report.year)
    return report_data.fingerprint(report.kind, report.year, data) != report.fingerprint
