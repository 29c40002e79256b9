"""Security properties checked over every page of the permission table (as each role)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.crawl import get_pages, parse


@pytest.mark.slow
@pytest.mark.django_db
def test_every_post_form_carries_a_csrf_token_and_pages_send_csp(world):
    seen_forms = 0
    for _case, role, url in get_pages(world):
        client = Client()
        client.force_login(world.users[role])
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert "Content-Security-Policy" in response.headers, url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        for form in parse(response.content.decode()).forms:
            if form["method"] == "post":
                seen_forms += 1
                assert form["csrf"], f"formulaire POST sans jeton CSRF sur {url} ({role})"
    assert seen_forms >= 1


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinateur"])
    assert client.post(reverse("accounts:logout")).status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code == 403



@pytest.fixture(autouse=False)
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "cls.example.fr")


def test_production_settings_are_hardened(production_env):
    import importlib

    import cls_portal.settings.production as prod

    prod = importlib.reload(prod)
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and prod.SECURE_SSL_REDIRECT
    assert prod.DEBUG is False


def test_session_cookie_flags_in_responses(client, db):
    from tests.factories import UserFactory

    UserFactory(username="cookie")
    response = client.post(reverse("accounts:login"), {"username": "cookie", "password": "demo"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_private_media_is_never_served_from_a_url(world, tmp_path, settings):
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for role in ("anonymous", "coordinateur", "admin"):
        client = Client()
        if world.users[role]:
            client.force_login(world.users[role])
        for path in ("/media-non-public/secret.pdf", "/media/secret.pdf"):
            response = client.get(path)
            assert response.status_code in (302, 404), (role, path, response.status_code)
            assert b"secret" not in getattr(response, "content", b"")


@pytest.mark.django_db
def test_private_responses_are_not_stored_by_caches_in_production(world, settings):
    settings.PRIVATE_NO_STORE = True
    client = Client()
    client.force_login(world.users["region"])
    for url in (reverse("contracts:list"), reverse("regional:contracts_export") + "?format=xlsx",
                reverse("contracts:detail", args=[world.own.contract.pk])):
        assert client.get(url)["Cache-Control"] == "private, no-store", url
    assert "no-store" not in Client().get(reverse("directory:index")).get("Cache-Control", "")


def test_production_turns_on_no_store_and_the_admin_second_factor(production_env):
    import importlib

    import cls_portal.settings.production as prod

    prod = importlib.reload(prod)
    assert prod.PRIVATE_NO_STORE and prod.ADMIN_REQUIRE_OTP and prod.TRUSTED_PROXY_COUNT == 1
