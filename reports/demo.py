"""Demo: the 2025 activity and financial reports of the first demo contract (Bayeux Intercom), produced
in this process (no broker needed) and published by the délégation, so that `elu` finds them at once."""

from . import services
from .enums import ANNUAL_KINDS
from .models import Report

# The demo's story is set in 2026: Bayeux's indicator values, follow-ups and budget lines run to 2025, the last
# full year (actions/demo.py). Its reports are that year's whatever the day `seed_demo` runs: run in 2027, « last
# year's » reports would be 2026's, with empty charts.
REPORTS_YEAR = 2025


def seed(ctx):
    contract = ctx["contracts"]["bayeux"]
    coordinator, delegation = ctx["users"]["coordinateur"], ctx["users"]["ars14"]
    year = REPORTS_YEAR
    for kind in ANNUAL_KINDS:
        if Report.objects.filter(contract=contract, kind=kind, year=year, published=True).exists():
            continue
        report = services.report_produce_now(actor=coordinator, contract=contract, kind=kind, year=year)
        if not report.is_ready:
            ctx["stdout"].write(f"Rapport de démonstration non produit ({kind} {year}) : {report.error_message}")
            continue
        services.report_publish(actor=delegation, report=report)
    ctx["reports_year"] = year
