import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory, with_role


@pytest.fixture
def coordinator(db):
    return with_role(UserFactory(username="camille", email="camille@example.fr"), "coordinateur")


def _login(client, username, password="demo"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_username_or_email(client, coordinator):
    assert _login(client, "camille").status_code == 302
    client.logout()
    assert _login(client, "CAMILLE@example.fr").status_code == 302


def test_wrong_password_french_message(client, coordinator):
    response = _login(client, "camille", "faux")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_login_throttled_after_repeated_failures(client, coordinator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "camille", "faux")
    response = _login(client, "camille", "demo")  # right password, but locked
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_password_reset_sends_french_email(client, coordinator):
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@example.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].subject.lower()
    assert "/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_logout_requires_post(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
