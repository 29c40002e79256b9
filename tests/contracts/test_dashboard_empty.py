"""From an empty database the délégation's dashboard said only « Aucun contrat à afficher »: it now offers the way
to its first contract (`/cls/nouveau/`, which the délégation may use)."""

import pytest
from django.urls import reverse

from cls_portal.accounts.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_empty_dashboard_offers_a_new_contract(client):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    client.force_login(f.with_role(f.UserFactory(username="dd14"), Role.DELEGATION, departements=[dep]))
    html = client.get(reverse("contracts:delegation_dashboard")).content.decode()
    assert "Aucun contrat à afficher." in html
    assert f'href="{reverse("contracts:create")}"' in html and "Nouveau contrat</a>" in html
