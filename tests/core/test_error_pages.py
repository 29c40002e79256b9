import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cls_portal.core import error_views


@pytest.mark.django_db
def test_403_shows_the_reason_in_french(client, world):
    user = world.users["elu"]
    request = RequestFactory().get("/cls/1/")
    request.user = user
    response = error_views.permission_denied(request, PermissionDenied("Seule la délégation peut valider."))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in html and "Seule la délégation peut valider." in html


@pytest.mark.django_db
def test_404_page_is_french_and_in_the_layout(client, world):
    client.force_login(world.users["coordinateur"])
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html and "République" in html


def test_500_page_needs_no_database():
    response = error_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Erreur inattendue" in response.content.decode()
