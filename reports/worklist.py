"""What waits on annual reports (work-list source registered in `ReportsConfig.ready()`).

Délégation and region: reports ready and not published yet (the newest job of each contract, kind and year
with nothing published since). Region: its campaigns still producing. Coordinator: last year's reports due
(the reminder's rule, `reminders.REPORTS_DUE_FROM`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cls_portal.core.worklist import COORDINATEUR, DELEGATION, REGION, Pending, WorkItem, url_maker
from contracts.models import q_owes_year
from contracts.worklist import departement, in_scope, rollup, scope

from .enums import ANNUAL_KINDS, ReportStatus
from .models import Q_CAMPAIGN_RUNNING, Report, ReportCampaign, campaign_done_annotations
from .reminders import REPORTS_DUE_FROM


def ready_to_publish(user, audience) -> Pending:
    same = Report.objects.filter(contract_id=OuterRef("contract_id"), kind=OuterRef("kind"), year=OuterRef("year"))
    # A newer ready one, or one published since: one EXISTS for both (two cost 0.25 ms more of SQL building).
    superseded = same.filter(Q(status=ReportStatus.PRET, requested_at__gt=OuterRef("requested_at"))
                             | Q(published=True, requested_at__gte=OuterRef("requested_at")))
    detail_url = url_maker("reports:detail")

    kind = dict(kind="rapport_a_publier", label="Rapport prêt à publier", rank=50)

    def item(r):
        return WorkItem(title=f"{r.get_kind_display()} {r.year}", url=detail_url(r.pk), contract_id=r.contract_id,
                        contract=r.contract.nom, departement=departement(r),
                        due=timezone.localdate(r.finished_at) if r.finished_at else None, **kind)

    ready = (Report.objects.filter(in_scope(user, audience), status=ReportStatus.PRET, published=False)
             .exclude(Exists(superseded)))
    return Pending(ready.select_related("contract").only("kind", "year", "finished_at", "contract__nom")
                   .order_by("contract__nom", "-year"), item, departement=rollup(audience), due="finished_at",
                   **kind)


def campaigns_running(user) -> Pending:
    qs = ReportCampaign.objects.select_related("region", "departement")
    if not user.is_portal_admin:
        qs = qs.filter(region_id__in=user.region_codes())

    def item(c):
        return WorkItem("campagne_en_cours", "Campagne de rapports en cours", str(c),
                        reverse("reports:campaign", args=[c.pk]), None, "", c.departement_id or "",
                        timezone.localdate(c.started_at),
                        f"{c.nb_done} rapport{'s' if c.nb_done > 1 else ''} sur {c.nb_total}", rank=55)

    return Pending(qs.annotate(**campaign_done_annotations()).filter(Q_CAMPAIGN_RUNNING).order_by("-started_at"),
                   item)


def reports_due(user, today: dt.date) -> list[Pending]:
    """Last year's reports of each kind that no published report answers yet (from REPORTS_DUE_FROM on)."""
    if (today.month, today.day) < REPORTS_DUE_FROM:
        return []
    year = today.year - 1
    contracts = scope(user, COORDINATEUR).filter(q_owes_year(year))
    pendings = []
    contract_url = url_maker("reports:contract")
    for kind, label in ((k.value, k.label) for k in ANNUAL_KINDS):
        def item(c, label=label):
            return WorkItem("rapport_du", f"{label} {year} à publier", f"{label} {year}",
                            contract_url(c.pk), c.pk, c.nom,
                            due=dt.date(year + 1, *REPORTS_DUE_FROM), rank=50)

        published = Report.objects.published().filter(contract=OuterRef("pk"), year=year, kind=kind)
        pendings.append(Pending(contracts.exclude(Exists(published)).only("nom").order_by("nom"), item))
    return pendings


def source(user, audience: str, today: dt.date) -> list[Pending]:
    if audience in (DELEGATION, REGION):
        return [ready_to_publish(user, audience), *([campaigns_running(user)] if audience == REGION else [])]
    if audience == COORDINATEUR:
        return reports_due(user, today)
    return []
