"""End to end through Redis and a real Celery worker (CI has Redis; skipped only when it is unreachable)."""

import os
import time

import pytest
from django.core.files.storage import default_storage

from reports import services, tasks
from reports.enums import ReportStatus
from reports.models import Report
from tests.reports.broker import using_broker

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis injoignable à {BROKER} ({exc}) : le test du worker Celery réel ne peut pas tourner.")


@pytest.fixture
def worker():
    """A real worker (solo pool, in a thread of this process so it shares the test database) fed by Redis."""
    _redis_or_skip()
    from celery.contrib.testing.worker import start_worker

    with using_broker(BROKER) as app:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app


def _wait_until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_report_asked_for_is_produced_by_the_worker(worker, contract):
    report = services.report_request(actor=contract.people["coordinateur"], contract=contract, kind="financier",
                                     year=2025)  # commits: the job leaves for Redis
    assert Report.objects.get(pk=report.pk).enqueued_at is not None
    assert _wait_until(lambda: Report.objects.get(pk=report.pk).status in (ReportStatus.PRET, ReportStatus.ECHEC))
    report.refresh_from_db()
    assert report.status == ReportStatus.PRET, report.error_message
    assert report.file.read(5) == b"%PDF-" and report.attempts == 1


def test_a_job_delivered_twice_makes_one_file(worker, contract):
    report = Report.objects.create(contract=contract, kind="activite", year=2025)
    tasks.render_report.apply_async(args=[report.pk])
    tasks.render_report.apply_async(args=[report.pk])
    assert _wait_until(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.PRET)
    time.sleep(1)  # let the second delivery run (it must do nothing)
    report.refresh_from_db()
    assert report.attempts == 1
    assert default_storage.listdir(f"rapports/{contract.pk}/2025")[1] == [report.file.name.rsplit("/", 1)[1]]
