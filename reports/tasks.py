"""Celery tasks: thin, take ids, idempotent (the service claims the job with a conditional UPDATE)."""

from celery import shared_task
from django.conf import settings

from . import services

MAX_RETRIES = 3


@shared_task(
    bind=True,
    name="reports.render_report",
    acks_late=True,  # a worker that dies mid-job leaves the message to be delivered again
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def render_report(self, report_id: int) -> bool:
    """Produce one report job. A second delivery of the same job does nothing (returns False)."""
    try:
        return services.report_produce(report_id=report_id, final_attempt=self.request.retries >= MAX_RETRIES)
    except (services.TransientReportError, *services.TRANSIENT_ERRORS) as exc:
        raise self.retry(exc=exc, countdown=min(60, 5 * 2 ** self.request.retries)) from exc


@shared_task(name="reports.requeue_reports", ignore_result=True)
def requeue_reports() -> int:
    """Beat sweep: resend waiting jobs (broker was down) and release jobs of dead workers."""
    return services.requeue_waiting().sent
