"""Demo data told as it happened: `happened_on(day)` runs the services of a past step of the demo (a funding request
filed in January 2024, its decision in April…) with the portal's clock set to that day, so that every moment the
step stores (`auto_now_add` timestamps, its history line, its notifications) and every « today » its services check
are that day's, and pages read « Demande déposée le 15/01/2024 », not the day the demo was loaded.

For `seed_demo` only (one thread, inside its transaction): it swaps `django.utils.timezone.now` for the time of the
block. No library does this outside tests (freezegun, time-machine are test tools) and a clock argument on every
service and model would exist only for the demo: the swap is the smaller change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

from django.utils import timezone

_lock = threading.Lock()


def moment(day: dt.date, hour: int = 10, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@contextlib.contextmanager
def happened_on(day: dt.date, hour: int = 10, minute: int = 30):
    """The portal's clock reads `day` at `hour`:`minute` (Paris), a second later at each reading (the order of what
    is stored keeps the order of the calls). A day to come is refused: the demo tells the past, not the future."""
    start = moment(day, hour, minute)
    if start > timezone.now():
        raise ValueError(f"happened_on({day:%d/%m/%Y}) : la démo ne date rien dans le futur")
    real_now = timezone.now
    ticks = iter(range(10**9))

    def now():
        return (start + dt.timedelta(seconds=next(ticks))).astimezone(dt.UTC)

    with _lock:
        timezone.now = now
        try:
            yield start
        finally:
            timezone.now = real_now
