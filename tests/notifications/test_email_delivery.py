"""Notification e-mails (issue 14): sent by a Celery task against a real SMTP server (aiosmtpd, on 127.0.0.1),
retried when the server refuses, marked e-mailed only once accepted, links absolute (SITE_URL), header count."""

import pytest
from django.urls import reverse

from cls_portal.notifications import tasks
from cls_portal.notifications.models import Notification
from cls_portal.notifications.services import notify
from tests.support.smtp import free_port, smtp  # noqa: F401  (fixture)


@pytest.fixture
def person(world):
    user = world.own.people["coordinateur"]
    user.email = "coordinatrice@example.fr"
    user.email_preferences = {}
    user.save()
    Notification.objects.all().delete()
    return user


def test_refused_then_accepted_is_retried_and_marked_once_sent(smtp,  # noqa: F811
                                                               person, settings,
                                                              django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://cls.example.fr"
    server = smtp(refusals=2)
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify(users=[person], kind="rapport", title="Rapport publié", body="Le rapport 2025 est publié.",
                        url="/rapports/")
    note.refresh_from_db()
    assert server.attempts == 3 and len(server.delivered) == 1
    assert note.emailed and note.email_attempts == 3
    body = server.delivered[0].content.decode()
    assert "https://cls.example.fr/rapports/" in body
    assert "https://cls.example.fr/notifications/" in body
    # Running the task again (a duplicate delivery of the message) sends nothing more.
    tasks.send_notification_email.apply(args=[note.pk])
    assert len(server.delivered) == 1


def test_stays_not_sent_while_the_server_refuses(smtp,  # noqa: F811
                                                   person, django_capture_on_commit_callbacks):
    server = smtp(refusals=100)
    with pytest.raises(Exception) as err, django_capture_on_commit_callbacks(execute=True):
        [note] = notify(users=[person], kind="rapport", title="Rapport publié", url="/rapports/")
    assert "451" in str(err.value)
    note = Notification.objects.get(user=person)
    retries = len(tasks.mail.RETRY_DELAYS)
    assert server.attempts == retries + 1 and not server.delivered
    assert not note.emailed and note.email_claimed_at is None and note.email_attempts == retries + 1
    # The server accepts again: the next run sends it, once.
    server.refusals = 0
    tasks.send_notification_email.apply(args=[note.pk])
    note.refresh_from_db()
    assert note.emailed and len(server.delivered) == 1


def test_server_down_is_retried_and_nothing_marked(settings, person, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        notify(users=[person], kind="rapport", title="Rapport publié")
    note = Notification.objects.get(user=person)
    assert not note.emailed and note.email_attempts == len(tasks.mail.RETRY_DELAYS) + 1


def test_opted_out_kind_is_never_sent(smtp,  # noqa: F811
                                        person, django_capture_on_commit_callbacks):
    server = smtp(refusals=0)
    person.email_preferences = {"rappel": False}
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify(users=[person], kind="rappel", title="Rappel")
    assert not server.attempts
    assert tasks.send_notification_email.apply(args=[note.pk]).get() is False


def test_header_links_the_notification_centre_with_the_unread_count(client, person):
    notify(users=[person], kind="rapport", title="Un")
    notify(users=[person], kind="rapport", title="Deux")
    client.force_login(person)
    html = client.get(reverse("notifications:email_preferences")).content.decode()
    assert 'data-header-notifications' in html and f'href="{reverse("notifications:list")}"' in html
    assert ">2<span class=\"fr-sr-only\"> non lues</span>" in html
    client.post(reverse("notifications:list"))
    html = client.get(reverse("notifications:email_preferences")).content.decode()
    assert "non lue" not in html.split("</header>")[0]
