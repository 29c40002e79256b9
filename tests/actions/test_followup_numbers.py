"""The yearly follow-up's indicator values are typed, refused and shown back the French way (QA walk-through)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.enums import Avancement
from actions.models import ValeurIndicateur

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _url(fiche, annee=2024):
    return reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": annee})


def _post(client, fiche, ind, valeur):
    return client.post(_url(fiche), {"avancement": Avancement.EN_COURS, "version": 0, f"valeur_{ind.pk}": valeur,
                                     f"commentaire_{ind.pk}": ""})


@pytest.mark.parametrize("typed, saved", [
    ("12 345,5", Decimal("12345.5")),
    (f"12{NBSP}345,5", Decimal("12345.5")),
    ("12\u202f345,5", Decimal("12345.5")),
    ("12345.5", Decimal("12345.5")),
    ("-5", Decimal("-5")),
])
def test_a_value_typed_the_french_way_is_saved(client, world, typed, saved):
    fiche = world.own.fiche_validee
    ind = fiche.indicateurs.get()
    client.force_login(world.own.people["pilote"])
    r = _post(client, fiche, ind, typed)
    assert r.status_code == 302, r.context["form"].errors
    assert ValeurIndicateur.objects.get(indicateur=ind, annee=2024).valeur == saved


@pytest.mark.parametrize("typed", ["1e5", "1E5", "2,5e3", "inf", "nan", "Infinity"])
def test_an_exponent_or_an_infinity_is_refused_next_to_the_field(client, world, typed):
    fiche = world.own.fiche_validee
    ind = fiche.indicateurs.get()
    client.force_login(world.own.people["pilote"])
    r = _post(client, fiche, ind, typed)
    assert r.status_code == 200
    errors = r.context["form"].errors[f"valeur_{ind.pk}"]
    assert errors
    if "e" in typed.lower() and typed[0].isdigit():
        assert "sans exposant" in errors[0]
    assert not ValeurIndicateur.objects.filter(indicateur=ind, annee=2024).exists()


@pytest.mark.parametrize("stored, shown", [
    (Decimal("34.00"), "34"), (Decimal("100000.00"), f"100{NBSP}000"), (Decimal("12.50"), "12,5"),
    (Decimal("-5.00"), "-5"),
])
def test_a_saved_value_is_shown_back_as_the_portal_writes_it_and_resubmits_unchanged(client, world, stored, shown):
    fiche = world.own.fiche_validee
    ind = fiche.indicateurs.get()
    ValeurIndicateur.objects.create(indicateur=ind, annee=2024, valeur=stored)
    client.force_login(world.own.people["pilote"])
    form = client.get(_url(fiche)).context["form"]
    field = form[f"valeur_{ind.pk}"]
    assert field.value() is not None and form.fields[field.name].prepare_value(field.value()) == shown
    assert f'value="{shown}"' in str(field)
    r = _post(client, fiche, ind, shown)
    assert r.status_code == 302, r.context["form"].errors
    assert ValeurIndicateur.objects.get(indicateur=ind, annee=2024).valeur == stored
