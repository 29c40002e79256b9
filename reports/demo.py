"""Demo: last year's activity and financial reports of the first demo contract (Bayeux Intercom), produced
in this process (no broker needed) and published by the délégation, so that `elu` finds them at once."""

from django.utils import timezone

from . import services
from .enums import ANNUAL_KINDS
from .models import Report


def seed(ctx):
    contract = ctx["contracts"]["bayeux"]
    coordinator, delegation = ctx["users"]["coordinateur"], ctx["users"]["ars14"]
    year = timezone.localdate().year - 1
    for kind in ANNUAL_KINDS:
        if Report.objects.filter(contract=contract, kind=kind, year=year, published=True).exists():
            continue
        report = services.report_produce_now(actor=coordinator, contract=contract, kind=kind, year=year)
        if not report.is_ready:
            ctx["stdout"].write(f"Rapport de démonstration non produit ({kind} {year}) : {report.error_message}")
            continue
        services.report_publish(actor=delegation, report=report)
    ctx["reports_year"] = year
