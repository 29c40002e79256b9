"""Report factories with traits for each job state (a ready report carries a small PDF file)."""

import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.enums import ReportKind, ReportStatus
from reports.models import Report, ReportCampaign
from tests.factories import ContractFactory

# The smallest file a PDF reader accepts as a PDF header: enough for download tests.
FAKE_PDF = b"%PDF-1.7\n% rapport de test\n%%EOF\n"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    contract = factory.SubFactory(ContractFactory)
    kind = ReportKind.ACTIVITE
    year = 2025
    status = ReportStatus.EN_ATTENTE

    class Params:
        ready = factory.Trait(
            status=ReportStatus.PRET,
            file=factory.LazyAttribute(lambda o: ContentFile(FAKE_PDF, name=f"{o.kind}-{o.year}.pdf")),
            fingerprint="0" * 64,
            started_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(seconds=5)),
            finished_at=factory.LazyFunction(timezone.now),
            duration=dt.timedelta(seconds=2),
            attempts=1,
        )
        published_v1 = factory.Trait(
            ready=True, published=True, version=1, published_at=factory.LazyFunction(timezone.now))
        failed = factory.Trait(
            status=ReportStatus.ECHEC, attempts=1, finished_at=factory.LazyFunction(timezone.now),
            error_message="La production du rapport a échoué : ValueError — données incohérentes")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportCampaign

    year = 2025
    kind = ""
