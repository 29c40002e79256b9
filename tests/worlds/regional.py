"""Regional objects of each tenant: a published annual report (public) and a draft one (private)."""

import datetime as dt

from django.core.files.base import ContentFile

from contracts.reports.enums import ReportKind, ReportStatus
from contracts.reports.models import Report


def extend(world, tenant):
    # 3 years back: the reports world already holds the last two years (unique contract, kind, year, version).
    year = dt.date.today().year - 3
    published = Report(contract=tenant.contract, kind=ReportKind.ACTIVITE, year=year, status=ReportStatus.PRET,
                       published=True, version=1)
    published.file.save("rapport-publie.pdf", ContentFile(b"%PDF-1.4 rapport publie"), save=False)
    published.save()
    draft = Report(contract=tenant.contract, kind=ReportKind.FINANCIER, year=year, status=ReportStatus.PRET)
    draft.file.save("rapport-brouillon.pdf", ContentFile(b"%PDF-1.4 brouillon"), save=False)
    draft.save()
    tenant.extra.update(public_report=published, draft_report=draft)
