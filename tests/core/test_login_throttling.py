"""Login throttling (django-axes): per account, username and e-mail alike; per client, behind the proxy;
not reset by someone else's success; on the admin login too. Password reset rate limit. Admin second
factor (django-otp)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, with_role

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"  # the TLS proxy: every request arrives from it


@pytest.fixture
def camille(db):
    return with_role(UserFactory(username="camille", email="camille@example.fr"), "coordinateur")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _login(client, username, password="demo", client_ip=None, url=None):
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_ip} if client_ip else {}
    return client.post(url or reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_failures_by_username_and_by_email_count_on_one_account(client, camille):
    for login in ("camille", "CAMILLE", "camille@example.fr", "Camille@Example.fr"):
        assert _login(client, login, "faux").status_code == 200
    assert _login(client, "camille@example.fr", "faux").status_code == 429  # the fifth failure locks
    for login in ("camille", "camille@example.fr"):
        response = _login(Client(REMOTE_ADDR="192.0.2.77"), login)  # another client, right password
        assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()


def test_behind_the_proxy_one_client_is_locked_not_everybody(client, camille, behind_proxy):
    other = with_role(UserFactory(username="dominique"), "coordinateur")
    for i in range(5):  # one client tries five accounts (and writes its own X-Forwarded-For)
        _login(client, f"inconnu{i}", "faux", client_ip=f"6.6.6.{i}, 203.0.113.9")
    assert _login(client, "dominique", client_ip="203.0.113.9").status_code == 429
    assert _login(Client(), other.username, client_ip="198.51.100.4").status_code == 302  # same proxy, other client


def test_forged_forwarded_for_is_ignored_without_a_trusted_proxy(client, camille):
    for i in range(5):  # X-Forwarded-For changes at every attempt: still one client (REMOTE_ADDR)
        _login(client, f"inconnu{i}", "faux", client_ip=f"203.0.113.{i}")
    assert _login(client, "camille", client_ip="203.0.113.200").status_code == 429


def test_someone_elses_success_does_not_reset_the_client_counter(client, camille):
    with_role(UserFactory(username="attaque"), "coordinateur")
    for _ in range(4):
        _login(client, "attaque", "faux")
    assert _login(Client(), "camille").status_code == 302  # same address, another person logs in
    _login(client, "attaque", "faux")  # fifth failure from the address
    assert _login(client, "attaque").status_code == 429


def test_own_success_forgets_own_failures(client, camille):
    for _ in range(4):
        _login(client, "camille", "faux")
    assert _login(client, "camille").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "camille", "faux")
    assert _login(client, "camille").status_code == 302


def test_admin_login_is_throttled_too(client, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(4):
        assert _login(client, "root", "faux", url=url).status_code == 200
    assert _login(client, "root", "faux", url=url).status_code == 429
    response = _login(client, "root", "demo", url=url)
    assert response.status_code == 429
    assert not client.get(reverse("admin:index")).status_code == 200


def test_password_reset_is_rate_limited_per_client_and_per_address(client, camille, settings):
    settings.PASSWORD_RESET_PER_CLIENT, settings.PASSWORD_RESET_PER_EMAIL = 5, 3
    url = reverse("accounts:password_reset")
    for _ in range(5):
        assert client.post(url, {"email": "camille@example.fr"}).status_code == 302
    assert len(mail.outbox) == 3  # the address receives three e-mails at most
    response = client.post(url, {"email": "camille@example.fr"})
    assert response.status_code == 200 and "Trop de demandes" in response.content.decode()
    assert Client(REMOTE_ADDR="192.0.2.8").post(url, {"email": "autre@example.fr"}).status_code == 302


@pytest.fixture
def admin_with_device(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user, device


def test_admin_requires_a_second_factor_when_configured(admin_with_device, settings):
    settings.ADMIN_REQUIRE_OTP = True
    user, device = admin_with_device
    client = Client()
    client.force_login(user)  # password only: not enough
    assert client.get(reverse("admin:index")).status_code == 302
    client.logout()
    page = client.get(reverse("admin:login"))
    assert "otp_token" in page.content.decode()
    refused = client.post(reverse("admin:login"), {"username": "root", "password": "demo", "otp_device":
                                                   device.persistent_id, "otp_token": "000000"})
    assert refused.status_code == 200 and client.get(reverse("admin:index")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the device wait after a wrong token: skip the wait
    token = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)
    done = client.post(reverse("admin:login"), {"username": "root", "password": "demo",
                                                "otp_device": device.persistent_id, "otp_token": token})
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_the_setting_the_admin_takes_a_password(admin_with_device, settings):
    settings.ADMIN_REQUIRE_OTP = False
    client = Client()
    client.force_login(admin_with_device[0])
    assert client.get(reverse("admin:index")).status_code == 200
