"""`notify()`: in-app notification for each recipient + an e-mail after commit (unless opted out).
Also the notification centre's writes and the daily reminders (sent once each, see reminders.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from cls_portal.core import history

from .events import NotificationEvent
from .kinds import KINDS
from .models import Notification, SentReminder
from .reminders import Reminder, due_reminders

logger = logging.getLogger(__name__)


def wants_email(user, kind: str) -> bool:
    return bool(user.email) and (user.email_preferences or {}).get(kind, True) is not False


def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Notify each distinct active user once. E-mails leave only if the transaction commits."""
    seen, created = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        email = wants_email(user, kind)
        created.append(Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url,
                                                   emailed=email))
        if email:
            transaction.on_commit(lambda u=user: send_mail(
                subject=f"[Portail CLS] {title}", message=f"{body}\n\n{url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[u.email], fail_silently=True,
            ))
    return created


# --- The notification centre ---------------------------------------------------------------------------

@transaction.atomic
def email_preferences_update(*, actor, user, wanted: set[str]) -> None:
    """Which kinds of notification `user` also receives by e-mail. Preconditions: actor is the user."""
    old = dict(user.email_preferences or {})
    user.email_preferences = {kind: kind in wanted for kind in KINDS}
    user.save(update_fields=["email_preferences"])
    changes = {k: [old.get(k, True), v] for k, v in user.email_preferences.items() if old.get(k, True) != v}
    if changes:
        history.record(actor=actor, obj=user, event=NotificationEvent.PREFERENCES, changes=changes)


@transaction.atomic
def notifications_mark_read(*, actor, ids=None) -> int:
    """Mark the actor's notifications read (all of them, or those of `ids`)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- Reminders (the apps register them: see reminders.py) ----------------------------------------------

REMINDER_KIND = "rappel"  # notification kind (kinds.KINDS): users may turn its e-mails off


def reminder_send(*, reminder: Reminder) -> bool:
    """Send one reminder unless it was already sent for its object and period. Returns whether it was sent.

    The log row is claimed first (unique kind/object/period) in the same transaction as the
    notifications: a concurrent run fails on the constraint and sends nothing; e-mails leave on commit.
    """
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=reminder.kind, object_key=reminder.object_key, period=reminder.period,
                                        contract=reminder.contract, nb_recipients=len({u.pk for u in reminder.users}))
            notify(users=reminder.users, kind=REMINDER_KIND, title=reminder.title, body=reminder.body,
                   url=reminder.url)
    except IntegrityError:
        return False
    return True


def send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Send every reminder due on `today` that was not sent yet. Idempotent. Returns counts by kind."""
    today = today or timezone.localdate()
    due = list(due_reminders(today))
    already = set(SentReminder.objects.filter(kind__in={r.kind for r in due}, period__in={r.period for r in due})
                  .values_list("kind", "object_key", "period"))
    sent: dict[str, int] = {}
    for reminder in due:
        if (reminder.kind, reminder.object_key, reminder.period) in already or not reminder.users:
            continue
        if reminder_send(reminder=reminder):
            sent[reminder.kind] = sent.get(reminder.kind, 0) + 1
    logger.info("Rappels envoyés le %s : %s", today, sent)
    return sent
