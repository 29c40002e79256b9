"""Celery tasks of the funding app: thin, idempotent."""

from celery import shared_task

from . import services


@shared_task(name="funding.send_dialogue_reminders", ignore_result=True)
def send_dialogue_reminders() -> int:
    """Daily: remind contracts without a dialogue de gestion this year once the configured date has passed.
    One reminder per contract and year, so running it twice (or daily) sends nothing more."""
    return services.dialogue_reminders_send()
