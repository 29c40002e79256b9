"""`notify()`: in-app notification for each recipient + an e-mail after commit (unless opted out)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification


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
