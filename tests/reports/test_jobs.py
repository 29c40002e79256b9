"""Report jobs: request, production by the task, idempotence, reuse, failure, retry, broker down, sweep."""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from reports import services, tasks
from reports.enums import ReportKind, ReportStatus
from reports.models import Report
from tests.reports.broker import using_broker
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _files(report):
    folder = f"rapports/{report.contract_id}/{report.year}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_request_records_the_job_and_enqueues_it_only_after_commit(contract, django_capture_on_commit_callbacks):
    coordinator = contract.people["coordinateur"]
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report = services.report_request(actor=coordinator, contract=contract, kind="activite", year=2025)
        assert send.call_count == 0  # nothing leaves before the commit
        assert report.status == ReportStatus.EN_ATTENTE and report.requested_by == coordinator
        for callback in callbacks:
            callback()
    send.assert_called_once_with(args=[report.pk], retry=False)
    report.refresh_from_db()
    assert report.enqueued_at is not None
    assert HistoryEntry.objects.filter(object_id=report.pk, action="rapport_demande").exists()


def test_a_second_request_while_waiting_returns_the_same_job(contract, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.render_report, "apply_async"):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.report_request(actor=None, contract=contract, kind="activite", year=2025)
            second = services.report_request(actor=None, contract=contract, kind="activite", year=2025)
    assert first.pk == second.pk and Report.objects.count() == 1


@pytest.mark.parametrize("year,message", [(2023, "pas encore signé en 2023"), (2999, "pas encore commencée")])
def test_request_refuses_a_year_outside_the_contract(contract, year, message):
    with pytest.raises(DomainError, match=message) as exc:
        services.report_request(actor=None, contract=contract, kind="activite", year=year)
    assert exc.value.field == "year"


def test_the_task_run_twice_produces_one_file(contract):
    report = ReportFactory(contract=contract, kind=ReportKind.ACTIVITE)
    assert tasks.render_report.apply(args=[report.pk]).get() is True
    assert tasks.render_report.apply(args=[report.pk]).get() is False  # second delivery: nothing to do
    report.refresh_from_db()
    assert report.status == ReportStatus.PRET and report.attempts == 1
    assert report.file.read().startswith(b"%PDF")
    assert report.duration is not None and report.finished_at is not None and len(report.fingerprint) == 64
    assert _files(report) == [report.file.name.rsplit("/", 1)[1]]


def test_unchanged_data_reuses_the_last_ready_file_without_rendering(contract):
    first = ReportFactory(contract=contract, kind=ReportKind.FINANCIER)
    services.report_produce(report_id=first.pk)
    first.refresh_from_db()
    second = ReportFactory(contract=contract, kind=ReportKind.FINANCIER)
    with mock.patch.object(services, "render_pdf") as render:
        services.report_produce(report_id=second.pk)
    render.assert_not_called()
    second.refresh_from_db()
    assert second.status == ReportStatus.PRET
    assert second.file.name == first.file.name and second.reused_from == first
    assert second.fingerprint == first.fingerprint


def test_changed_data_renders_a_new_file(contract):
    from tests.reports.builders import plan_contract

    first = ReportFactory(contract=contract, kind=ReportKind.ACTIVITE)
    services.report_produce(report_id=first.pk)
    plan_contract(contract)  # the action plan changes
    second = ReportFactory(contract=contract, kind=ReportKind.ACTIVITE)
    services.report_produce(report_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.reused_from is None and second.file.name != first.file.name
    assert second.fingerprint != first.fingerprint


def test_a_failure_is_recorded_with_its_reason_then_retried(contract, django_capture_on_commit_callbacks):
    report = ReportFactory(contract=contract)
    with mock.patch.object(services, "render_pdf", side_effect=ValueError("police introuvable")):
        assert services.report_produce(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == ReportStatus.ECHEC and "police introuvable" in report.error_message
    assert not _files(report)  # nothing half-written left behind
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(actor=contract.people["coordinateur"], report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.PRET and report.error_message == "" and report.attempts == 2


def test_only_a_failed_job_can_be_retried(contract):
    report = ReportFactory(contract=contract, ready=True)
    with pytest.raises(DomainError, match="en échec"):
        services.report_retry(actor=None, report=report)


def test_a_transient_database_error_is_retried_by_the_task(contract):
    report = ReportFactory(contract=contract, kind=ReportKind.FINANCIER)
    real = services.report_data_module.report_data
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    with mock.patch.object(services.report_data_module, "report_data", side_effect=flaky):
        tasks.render_report.apply(args=[report.pk], throw=False)  # as in a worker: the retry runs again
    report.refresh_from_db()
    assert len(calls) == 2 and report.status == ReportStatus.PRET and report.attempts == 2


def test_a_transient_error_on_the_last_attempt_fails_the_job(contract):
    report = ReportFactory(contract=contract)
    with mock.patch.object(services.report_data_module, "report_data", side_effect=OperationalError("down")):
        assert services.report_produce(report_id=report.pk, final_attempt=True) is False
    report.refresh_from_db()
    assert report.status == ReportStatus.ECHEC and "indisponible" in report.error_message


def test_the_task_has_time_limits_and_acks_late():
    task = tasks.render_report
    assert task.acks_late and task.reject_on_worker_lost
    assert 0 < task.soft_time_limit < task.time_limit
    assert task.max_retries >= 1


def test_broker_down_keeps_the_job_waiting_then_the_sweep_sends_it(contract, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.render_report, "apply_async", side_effect=BrokerDown("Connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_request(actor=None, contract=contract, kind="activite", year=2025)
    report.refresh_from_db()
    assert report.status == ReportStatus.EN_ATTENTE and report.enqueued_at is None
    # The beat sweep leaves fresh requests to their own send, then resends them.
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        assert services.requeue_waiting(min_age_seconds=60).sent == 0
        Report.objects.filter(pk=report.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=5))
        assert tasks.requeue_reports.apply().get() == 1
    send.assert_called_once_with(args=[report.pk], retry=False)


def test_broker_unreachable_for_real_keeps_the_job(contract, django_capture_on_commit_callbacks):
    """The real Redis transport pointed at a closed port: the request is recorded, nothing raises."""
    with using_broker("redis://127.0.0.1:9/0"):  # port 9 (discard): nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_request(actor=None, contract=contract, kind="financier", year=2025)
    report.refresh_from_db()
    assert report.status == ReportStatus.EN_ATTENTE and report.enqueued_at is None


def test_the_sweep_releases_a_job_whose_worker_died(contract):
    report = ReportFactory(contract=contract, status=ReportStatus.EN_COURS,
                           started_at=timezone.now() - dt.timedelta(seconds=services.lease_seconds() + 5),
                           enqueued_at=timezone.now() - dt.timedelta(hours=1))
    fresh = ReportFactory(contract=contract, kind=ReportKind.FINANCIER, status=ReportStatus.EN_COURS,
                          started_at=timezone.now())
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        result = services.requeue_waiting(min_age_seconds=0)
    assert result.released == 1 and result.sent == 1
    send.assert_called_once_with(args=[report.pk], retry=False)
    fresh.refresh_from_db()
    assert fresh.status == ReportStatus.EN_COURS  # a live worker's job is left alone


def test_a_late_worker_cannot_overwrite_a_job_taken_over(contract):
    """Worker A is presumed dead and the job re-claimed by B: A's outcome is discarded."""
    report = ReportFactory(contract=contract, kind=ReportKind.FINANCIER)
    token_a = services._claim(report.pk)
    Report.objects.filter(pk=report.pk).update(started_at=token_a - dt.timedelta(seconds=services.lease_seconds() + 1))
    assert services.report_produce(report_id=report.pk) is True  # B takes over and finishes
    assert services._finish(report.pk, token_a, status=ReportStatus.ECHEC) is False
    report.refresh_from_db()
    assert report.status == ReportStatus.PRET
