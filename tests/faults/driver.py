"""Runs one step of a fault scenario in a process of its own, on the scenario's PostgreSQL database.

    python -m tests.faults.driver <command> [args…]     (env: DATABASE_URL, CELERY_BROKER_URL, MEDIA_ROOT)

The fault tests drive a real Celery worker in another process: both must see the same committed
data, which pytest-django's per-test transactions (or in-memory SQLite) would hide. So every step
that touches the database runs here, and prints one JSON document.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import F  # noqa: E402

# seed_scale is a bench command (its app is installed by the bench settings only): run it as an object.
from bench.scale.management.commands.seed_scale import Command as SeedScale  # noqa: E402


def setup():
    """A fresh 60-sheet signed contract (seed_scale wipes the previous one), no report yet."""
    from contracts.models import Contract
    from reports.models import Report

    Report.objects.all().delete()
    with open(os.devnull, "w") as devnull:
        call_command(SeedScale(), contracts=1, sheets=40, stdout=devnull)
    contract = Contract.objects.get(nom__startswith="CLS échelle")
    return {"contract": contract.pk, "user": contract.coordinators.get().username, "fiches": contract.fiches.count()}


def request(contract_id, username):
    """The service a user's click calls (the view is thin around it)."""
    from django.contrib.auth import get_user_model

    from contracts.models import Contract
    from reports import services

    user = get_user_model().objects.get(username=username)
    report = services.report_request(actor=user, contract=Contract.objects.get(pk=contract_id), kind="activite",
                                     year=2025)
    return {"report": report.pk}


def http_request(contract_id, username):
    """The coordinator opens the contract's reports page and submits the request form (whole Django stack)."""
    import re
    import time

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from reports.models import Report

    setup_test_environment()  # "testserver" allowed, as under pytest-django; nothing else changes
    client = Client(raise_request_exception=False)  # a view error would be a 500 response, as for a user
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get(reverse("reports:contract", kwargs={"pk": int(contract_id)}))
    t0 = time.perf_counter()
    response = client.post(reverse("reports:request", kwargs={"pk": int(contract_id)}),
                           {"kind": "activite", "year": "2025"}, follow=True)
    seconds = time.perf_counter() - t0
    text = re.sub(r"\s+", " ", response.content.decode())
    report = Report.objects.filter(contract_id=contract_id).order_by("-pk").first()
    return {"get": page.status_code, "post": response.status_code, "seconds": round(seconds, 2),
            "redirects": [u for u, _ in response.redirect_chain], "report": report.pk if report else None,
            "detail_url": reverse("reports:detail", kwargs={"pk": report.pk}) if report else None,
            "says_waiting": "En attente" in text, "says_registered": "Votre demande est enregistrée" in text}


def state(contract_id):
    from cls_portal.core.models import HistoryEntry
    from reports.models import Report

    reports = list(Report.objects.filter(contract_id=contract_id).order_by("pk").values(
        "pk", "status", "file", "attempts", "enqueued_at", "started_at", "error_message"))
    folder = Path(settings.MEDIA_ROOT) / "rapports" / str(contract_id)
    files = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in folder.rglob("*") if p.is_file())
    ready = HistoryEntry.objects.filter(action="rapport_pret", contract_id=contract_id).count()
    return {"reports": reports, "files": files, "ready_entries": ready}


def backdate(report_id, field, seconds):
    """Move a timestamp back: what the sweep would see after that long, without sleeping through it."""
    import datetime as dt

    from reports.models import Report

    n = Report.objects.filter(pk=report_id).update(**{field: F(field) - dt.timedelta(seconds=float(seconds))})
    return {"updated": n}


def send(task_name, *args):
    """Publish a task to the broker by name (what beat, or a late redelivery, does)."""
    from cls_portal.celery import app

    app.send_task(task_name, args=[int(a) for a in args])
    return {"sent": task_name}


COMMANDS = {"setup": setup, "request": request, "http_request": http_request, "state": state,
            "backdate": backdate, "send": send}

if __name__ == "__main__":
    json.dump(COMMANDS[sys.argv[1]](*sys.argv[2:]), sys.stdout, default=str)
