"""The in-app notification list and the choice of e-mails, used by `notify()` and the reminders."""

import pytest
from django.core import mail
from django.urls import reverse

from cls_portal.core.models import HistoryEntry
from cls_portal.notifications.models import Notification
from cls_portal.notifications.services import notify


@pytest.mark.django_db
def test_list_shows_only_own_notifications_and_marks_them_read(client, world):
    me, other = world.own.people["coordinateur"], world.other.people["coordinateur"]
    Notification.objects.all().delete()  # those the other apps' world objects sent
    notify(users=[me], kind="rappel", title="Rapport financier attendu", url="/cls/")
    notify(users=[other], kind="rappel", title="Notification d'un autre")
    client.force_login(me)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Rapport financier attendu" in html and "Notification d'un autre" not in html
    assert "1 notification non lue" in html
    client.post(reverse("notifications:list"))
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_user_turns_off_reminder_emails(client, world, django_capture_on_commit_callbacks):
    me = world.own.people["coordinateur"]
    client.force_login(me)
    response = client.post(reverse("notifications:email_preferences"), {"kinds": ["revue_fiche", "rapport"]})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.email_preferences["rappel"] is False and me.email_preferences["rapport"] is True
    assert HistoryEntry.objects.filter(action="notifications_preferences", object_id=me.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[me], kind="rappel", title="Rappel")
        notify(users=[me], kind="rapport", title="Rapport publié")
    assert [m.subject for m in mail.outbox] == ["[Portail CLS] Rapport publié"]
    html = client.get(reverse("notifications:email_preferences")).content.decode()
    assert 'value="rapport" id="id_kinds_4" checked' in html
    assert 'value="rappel" id="id_kinds_5">' in html  # unchecked
