"""Celery tasks of the notifications app: thin, idempotent."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="notifications.send_reminders", soft_time_limit=600, time_limit=660)
def send_reminders(today: str | None = None):
    """Daily (Celery beat). Each reminder is recorded once sent: running twice sends nothing more.

    `today` (ISO date) only for replays and tests; the beat entry passes nothing.
    """
    return services.send_reminders(today=dt.date.fromisoformat(today) if today else None)
