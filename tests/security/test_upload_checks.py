"""Upload checks seen from the pages: the funding decision's content is sniffed (not only its extension), and
the size message never says a file equals the limit it exceeds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_a_script_in_html_named_pdf_is_refused_as_funding_decision(world):
    annee = world.own.funding_year
    before = annee.decisions.count()
    response = _client(world.users["delegation"]).post(reverse("funding:year_decide", args=[annee.pk]), {
        "montant_accorde": "23000", "date_decision": "2025-03-10", "motif": "Révision", "version": annee.version,
        "document": SimpleUploadedFile("decision.pdf", b"<html><script>alert(document.cookie)</script></html>",
                                       content_type="application/pdf")})
    assert response.status_code == 200
    errors = response.context["form"].errors["document"]
    assert errors == ["Le contenu du fichier ne correspond pas à son extension « .pdf » : il ne s'agit pas d'un "
                      "fichier PDF valide. Formats acceptés : PDF."]
    assert annee.decisions.count() == before


def test_a_file_just_over_the_limit_is_not_said_to_weigh_the_limit(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    contract = world.own.contract
    response = _client(world.users["coordinateur"]).post(reverse("contracts:document_upload", args=[contract.pk]), {
        "type": "autre", "titre": "Gros fichier",
        "fichier": SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))})
    assert response.status_code == 200
    assert response.context["form"].errors["fichier"] == [
        "Le fichier est trop volumineux (1,1 Mo) : la taille maximale est de 1 Mo."]
