"""Dates are the portal's (Europe/Paris), never the server's nor UTC's. Between midnight and 1 or 2 a.m. in Paris,
UTC is still on the day before: a sheet submitted at 00:30 on 6 December read « Soumise le 05/12/2026 » on the
délégation's dashboard (the stored UTC moment printed as such), while the review queue, which goes through the
template's `date` filter, read 06/12/2026. Work items now take the local day of every stored moment, the history
prints moments in local time, and no code asks the server's clock for « today »."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from actions.enums import FicheStatut
from actions.models import FicheAction
from cls_portal.core import history, worklist
from diagnostics.enums import Statut as DiagStatut
from diagnostics.models import Diagnostic
from tests.diagnostics.factories import DiagnosticFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["actions", "cls_portal", "contracts", "diagnostics", "directory", "funding", "imports", "network", "people",
        "regional", "reports", "resources"]
AFTER_MIDNIGHT_IN_PARIS = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)  # 6 December, 00:30 in Paris


@pytest.mark.django_db
def test_work_items_are_dated_on_the_local_day(world):
    t = world.own
    FicheAction.objects.filter(pk=t.fiche.pk).update(statut=FicheStatut.SOUMISE, updated_at=AFTER_MIDNIGHT_IN_PARIS)
    diagnostic = DiagnosticFactory(contract=t.contract)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(statut=DiagStatut.SOUMIS, soumis_le=AFTER_MIDNIGHT_IN_PARIS)
    items = worklist.items_for(world.users["delegation"], worklist.DELEGATION, dt.date(2026, 12, 6))
    # The world holds other submitted sheets, dated the day the test runs: pick this sheet's and diagnostic's items.
    sheet = next(i for i in items if i.kind == "fiche_a_revoir" and i.fiche_id == t.fiche.pk)
    diag = next(i for i in items if i.kind == "diagnostic_a_revoir" and i.detail.startswith("Soumis le")
                and i.contract_id == t.contract.pk and i.title.endswith(f"(version {diagnostic.numero})"))
    assert (sheet.due, sheet.detail) == (dt.date(2026, 12, 6), "Soumise le 06/12/2026")
    assert (diag.due, diag.detail) == (dt.date(2026, 12, 6), "Soumis le 06/12/2026")


def test_the_history_prints_a_stored_moment_in_local_time():
    assert history._format_date(AFTER_MIDNIGHT_IN_PARIS.isoformat()) == "06/12/2026 à 00:30"
    assert history._format_date("2026-07-01T10:00:00+00:00") == "01/07/2026 à 12:00"  # summer time
    assert history._format_date("2026-12-06") == "06/12/2026"


def _calls_to_the_server_clock(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
                and node.func.attr in ("today", "now", "utcnow"):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("date", "datetime"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_no_code_asks_the_server_clock_for_today():
    """`date.today()` and `datetime.now()` read the server's time zone (UTC on most hosts), not the portal's:
    `timezone.localdate()` and `timezone.now()` do."""
    found = [hit for app in APPS for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts
             for hit in _calls_to_the_server_clock(path)]
    assert found == [], "\n".join(found)
    assert timezone.get_current_timezone_name() == "Europe/Paris"
