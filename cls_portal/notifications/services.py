"""`notify()`: in-app notification for each recipient + an e-mail after commit (unless opted out).
Also the notification centre's writes and the daily reminders (sent once each, see reminders.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cls_portal.core import history

from . import mail
from .events import NotificationEvent
from .kinds import KINDS
from .models import Notification, SentReminder
from .reminders import Reminder, due_reminders

logger = logging.getLogger(__name__)


def wants_email(user, kind: str) -> bool:
    return bool(user.email) and (user.email_preferences or {}).get(kind, True) is not False


def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Notify each distinct active user once. E-mails are sent by a Celery task published after commit;
    the notification is marked e-mailed only once the SMTP server accepted it (`notification_email_send`)."""
    from . import tasks

    seen, created = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        email = wants_email(user, kind)
        notification = Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url,
                                                   email_wanted=email)
        created.append(notification)
        if email:
            transaction.on_commit(lambda pk=notification.pk: tasks.send_notification_email.delay(pk))
    if seen:
        _recount_unread(seen)
    return created


CLAIM_TIMEOUT = dt.timedelta(minutes=10)  # a claim older than this is a dead worker's: claim again


def notification_email_body(notification: Notification) -> str:
    link = mail.absolute_url(notification.url)
    parts = [notification.body.strip(), f"Voir sur le portail : {link}" if link else "",
             f"Vos notifications : {mail.absolute_url('/notifications/')}",
             f"Choisir les e-mails reçus : {mail.absolute_url('/notifications/preferences/')}"]
    return "\n\n".join(p for p in parts if p)


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail of one notification once. Returns True when sent now, False when nothing was due
    (already sent, not wanted, or claimed by a concurrent run). Raises the SMTP error after releasing the
    claim, so the task retries and the notification stays marked as not sent."""
    now = timezone.now()
    claimed = (Notification.objects.filter(pk=notification_id, email_wanted=True, emailed=False)
               .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT))
               .update(email_claimed_at=now))
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        mail.send(to=notification.user.email, subject=f"[Portail CLS] {notification.title}",
                  body=notification_email_body(notification))
    except mail.TRANSIENT_ERRORS:
        Notification.objects.filter(pk=notification_id).update(
            email_claimed_at=None, email_attempts=notification.email_attempts + 1)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed=True, email_claimed_at=None,
                                                           email_attempts=notification.email_attempts + 1)
    return True


def _recount_unread(user_ids) -> None:
    """Keep `User.unread_notifications` (the header's count) equal to the unread notifications."""
    unread = (Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True).order_by()
              .values("user").annotate(n=Count("pk")).values("n"))
    get_user_model().objects.filter(pk__in=list(user_ids)).update(unread_notifications=Coalesce(Subquery(unread), 0))


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
    n = qs.update(read_at=timezone.now())
    _recount_unread([actor.pk])
    return n


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
