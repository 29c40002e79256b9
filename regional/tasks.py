import datetime as dt

from celery import shared_task


@shared_task(name="regional.send_reminders", soft_time_limit=600, time_limit=660)
def send_reminders(today: str | None = None):
    """Daily (Celery beat). Each reminder is recorded once sent: running twice sends nothing more.

    `today` (ISO date) only for replays and tests; the beat entry passes nothing.
    """
    from .services import send_reminders as run

    return run(today=dt.date.fromisoformat(today) if today else None)
