"""Reports in both tenants: a published activity report, a ready draft, a failed job, a campaign."""

from reports.enums import ReportKind
from tests.reports.factories import CampaignFactory, ReportFactory


def extend(world, tenant):
    contract = tenant.contract
    campaign = CampaignFactory(region=tenant.region, started_by=tenant.people["region"])
    tenant.extra.update(
        report_published=ReportFactory(contract=contract, kind=ReportKind.ACTIVITE, published_v1=True),
        report_draft=ReportFactory(contract=contract, kind=ReportKind.FINANCIER, ready=True, campaign=campaign),
        report_failed=ReportFactory(contract=contract, kind=ReportKind.FINANCIER, year=2024, failed=True),
        report_campaign=campaign,
    )
