"""Sending e-mails from Celery tasks: absolute links and the errors worth a retry.

Links in e-mails are absolute, built from `SITE_URL` (a mail client cannot open `/rapports/`)."""

from __future__ import annotations

import smtplib
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail

# What a later attempt may cure: the server refused for now, the connection failed or timed out.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
RETRY_DELAYS = (30, 120, 600, 1800, 3600)  # seconds before attempts 2..6


def absolute_url(path: str) -> str:
    """`/rapports/` -> `https://cls.example.fr/rapports/`; an absolute URL is returned as is."""
    if not path:
        return ""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path)


def retry_delay(attempt: int) -> int:
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]


def send(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail; raises on failure (the task retries)."""
    send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to],
              fail_silently=False)
