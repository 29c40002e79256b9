"""A search too long for the directory is refused next to its field, and nothing is listed as if it were its result
(QA walk-through: 3 000 characters were silently dropped, the field came back empty and every contract listed)."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MESSAGE = "Recherche trop longue : 200 caractères au plus. Raccourcissez-la pour lancer la recherche."


def test_a_too_long_search_is_refused_next_to_the_field_and_lists_nothing(client, world):
    typed = "bayeux " * 429  # 3 003 characters
    response = client.get(reverse("directory:index"), {"q": typed})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert MESSAGE in page
    assert 'fr-input-group--error' in page and 'aria-describedby="id_q-messages"' in page
    assert 'id="id_q-messages"' in page and 'maxlength="200"' in page
    assert typed.strip() in page  # what was typed comes back, to be shortened
    assert "data-search-refused" in page and "data-entry=" not in page
    assert world.own.contract.nom not in page.split('id="resultats"')[1].split('id="carte"')[0]


def test_a_search_within_the_limit_still_lists(client, world):
    response = client.get(reverse("directory:index"), {"q": "x" * 200})
    page = response.content.decode()
    assert "Recherche trop longue" not in page and "data-search-refused" not in page
    page = client.get(reverse("directory:index")).content.decode()
    assert "data-entry=" in page and "Recherche trop longue" not in page
