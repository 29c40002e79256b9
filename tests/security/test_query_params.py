"""Malformed query parameters and missing files answer a page or a 404, never a 500 (the test client
re-raises any exception a view lets through)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 22  # 23 digits: beyond any database integer


def _as(world, role):
    client = Client(raise_request_exception=True)
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role,name,kwargs,query,status", [
    ("coordinateur", "actions:followup_year", "contract_pk", "?annee=²", 200),
    ("coordinateur", "actions:followup_year", "contract_pk", "?annee=٢٠٢٥", 200),
    ("coordinateur", "actions:followup_year", "contract_pk", f"?annee={HUGE}", 200),
    ("coordinateur", "actions:fiche_create", "contract_pk", "?axe=²", 200),
    ("coordinateur", "actions:fiche_create", "contract_pk", f"?axe={HUGE}", 200),
    ("coordinateur", "actions:fiche_list", "contract_pk", "?annee=99999999", 200),
    ("coordinateur", "actions:fiche_list", "contract_pk", "?annee=1e5", 200),
    ("coordinateur", "contracts:document_upload", "pk", "?remplace=abc", 404),
    ("coordinateur", "contracts:document_upload", "pk", f"?remplace={HUGE}", 404),
    ("coordinateur", "contracts:list", None, f"?generation={HUGE}", 200),
    ("coordinateur", "contracts:list", None, "?annee_fin=1_000", 200),
    ("region", "regional:fiches", None, f"?contrat={HUGE}", 200),
    ("region", "regional:indicateurs", None, f"?contrat={HUGE}", 200),
    ("region", "regional:contracts", None, f"?annee_signature={HUGE}&annee_rapport=²", 200),
    ("region", "regional:contracts_export", None, f"?annee_signature={HUGE}&format=xlsx", 200),
])
def test_malformed_query_parameter_is_not_a_500(world, role, name, kwargs, query, status):
    args = {kwargs: world.own.contract.pk} if kwargs else None
    response = _as(world, role).get(reverse(name, kwargs=args) + query)
    assert response.status_code == status


def test_followup_year_ignores_a_year_it_cannot_read_and_shows_the_default(world):
    url = reverse("actions:followup_year", kwargs={"contract_pk": world.own.contract.pk})
    client = _as(world, "coordinateur")
    assert client.get(url + "?annee=²").context["annee"] == client.get(url).context["annee"]


def test_document_whose_file_is_missing_on_disk_answers_404(world):
    doc = world.own.document
    doc.fichier.storage.delete(doc.fichier.name)
    response = _as(world, "coordinateur").get(reverse("contracts:document_download", args=[world.own.contract.pk,
                                                                                           doc.pk]))
    assert response.status_code == 404


def test_funding_decision_whose_file_is_missing_on_disk_answers_404(world):
    decision = world.own.funding_decision
    decision.document.storage.delete(decision.document.name)
    response = _as(world, "delegation").get(reverse("funding:decision_document", args=[decision.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b&region=%00&departement=" + "9" * 40, "?page=" + HUGE])
def test_public_directory_reads_its_parameters_through_a_form(client, db, query):
    response = client.get(reverse("directory:index") + query)
    assert response.status_code == 200
