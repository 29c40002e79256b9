"""Funding objects of each tenant: the région's rule, a decided and paid year, and a filed request."""

import datetime as dt
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cls_portal.notifications.models import Notification
from funding import services
from funding.models import AnneeFinancement, RegleFinancement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 6, 1)


def pdf(name="decision.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def filed_on(annee, day: dt.date):
    """Date the request `annee` as filed on `day` (the service stamps the real clock; the tests' decisions are
    dated by the calendar of their story, and no decision may precede its request)."""
    stamp = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    AnneeFinancement.objects.filter(pk=annee.pk).update(deposee_le=stamp)
    annee.deposee_le = stamp
    return annee


def ensure_rules(region):
    """Normandie's figures; Grand Est adds the half-time minimum."""
    RegleFinancement.objects.get_or_create(
        region=region, valid_from=dt.date(2020, 1, 1),
        defaults=dict(taux=D("0.5"), plafond_annuel=D("25000"), cout_reference=D("50000"),
                      etp_minimum=D("0.5") if region.code == "44" else D("0"), part_egale=True))


def extend(world, tenant):
    ensure_rules(tenant.region)
    people = tenant.people
    contract = tenant.contract
    decided = services.annee_create(
        actor=people["coordinateur"], contract=contract, annee=2025, today=TODAY, etp=D("1"), mois_pourvus=12,
        cout_salaire=D("32000"), cout_charges=D("11000"), cout_fonctionnement=D("3000"), demande_ars=D("23000"),
        demande_collectivite=D("23000"), demande_autres=D("0"))
    filed_on(decided, dt.date(2025, 1, 20))
    services.annee_instruct(actor=people["delegation"], annee_id=decided.pk, expected_version=decided.version)
    decision = services.decision_record(actor=people["delegation"], annee_id=decided.pk, expected_version=None,
                                        montant_accorde=D("23000"), date_decision=dt.date(2025, 3, 10),
                                        document=pdf(), today=TODAY)
    services.versement_record(actor=people["delegation"], annee_id=decided.pk, date=dt.date(2025, 4, 2),
                              montant=D("11500"), reference="Mandat 2025-0412", today=TODAY)
    request = services.annee_create(
        actor=people["coordinateur"], contract=contract, annee=2026, today=TODAY, etp=D("0.8"), mois_pourvus=12,
        cout_salaire=D("29000"), cout_charges=D("10000"), cout_fonctionnement=D("3000"), demande_ars=D("20000"),
        demande_collectivite=D("22000"), demande_autres=D("0"))
    filed_on(request, dt.date(2026, 1, 15))
    decided.refresh_from_db()
    # The services notified the référent and the coordinator: other apps' tests count notifications, so the
    # world leaves none behind (funding's own tests check them on objects they create).
    Notification.objects.filter(kind="financement").delete()
    tenant.extra.update(funding_year=decided, funding_request=request, funding_decision=decision)
