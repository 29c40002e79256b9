"""The sheet's calendar is written as French writes dates: « Du 1er mars 2024 au 31 décembre 2028 »."""

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_calendar_writes_the_first_of_the_month_as_1er(client, world):
    fiche = world.own.fiche
    fiche.date_debut, fiche.date_fin = dt.date(2024, 3, 1), dt.date(2028, 12, 31)
    fiche.save(update_fields=["date_debut", "date_fin"])
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("actions:fiche_detail", args=[fiche.pk])).content.decode()
    assert "Du 1er mars 2024 au 31 décembre 2028" in html  # it read « Du 1 mars 2024 »


@pytest.mark.parametrize("debut, fin, text", [
    (None, None, "Dates de début et de fin non renseignées."),  # it read « Du — au — »
    (dt.date(2025, 1, 1), None, "À partir du 1er janvier 2025 (date de fin non renseignée)"),
    (None, dt.date(2026, 6, 30), "Jusqu'au 30 juin 2026 (date de début non renseignée)"),
])
def test_a_calendar_with_missing_dates_says_so(client, world, debut, fin, text):
    fiche = world.own.fiche
    fiche.date_debut, fiche.date_fin = debut, fin
    fiche.save(update_fields=["date_debut", "date_fin"])
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("actions:fiche_detail", args=[fiche.pk])).content.decode()
    assert text in html
