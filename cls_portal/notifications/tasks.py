"""Celery tasks of the notifications app: thin, idempotent."""

import datetime as dt

from celery import shared_task

from . import mail, services


@shared_task(name="notifications.send_reminders", soft_time_limit=600, time_limit=660)
def send_reminders(today: str | None = None):
    """Daily (Celery beat). Each reminder is recorded once sent: running twice sends nothing more.

    `today` (ISO date) only for replays and tests; the beat entry passes nothing.
    """
    return services.send_reminders(today=dt.date.fromisoformat(today) if today else None)


@shared_task(bind=True, name="notifications.send_notification_email", max_retries=len(mail.RETRY_DELAYS),
             soft_time_limit=60, time_limit=90)
def send_notification_email(self, notification_id: int):
    """E-mail one notification. An SMTP refusal or a connection error is retried later; the notification
    stays "not e-mailed" until the server accepts. Running it again after success sends nothing."""
    try:
        return services.notification_email_send(notification_id=notification_id)
    except mail.TRANSIENT_ERRORS as err:
        # throw=False: the retry is scheduled without raising Retry, so an eager run (make run without a
        # broker, the tests) retries in place too; past max_retries the SMTP error itself is raised.
        return self.retry(exc=err, countdown=mail.retry_delay(self.request.retries), throw=False)
