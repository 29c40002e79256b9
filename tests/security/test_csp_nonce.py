"""The CSP nonce is a real per-response nonce: the header names it, the page's scripts carry it, and it
changes at each response (the literal 'nonce' made Chromium refuse every inline script)."""

import re

import pytest
from django.test import Client
from django.urls import reverse


def _nonces(response):
    header = response.headers["Content-Security-Policy"]
    script_src = next(part for part in header.split(";") if part.strip().startswith("script-src"))
    in_header = re.findall(r"'nonce-([A-Za-z0-9+/=_-]+)'", script_src)
    in_page = set(re.findall(r'<script[^>]*nonce="([^"]+)"', response.content.decode()))
    return script_src, in_header, in_page


@pytest.mark.django_db
def test_each_response_has_its_own_nonce_and_every_script_carries_it(world):
    client = Client()
    client.force_login(world.users["coordinateur"])
    url = reverse("diagnostics:synthese", args=[world.own.extra["diagnostic"].pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    script_src, in_header, in_page = _nonces(first)
    assert "'nonce'" not in script_src
    assert len(in_header) == 1 and len(in_header[0]) >= 16
    assert in_page == {in_header[0]}  # the DSFR scripts and the print button's inline script
    assert 'data-print' in first.content.decode()
    assert _nonces(second)[1] != in_header
