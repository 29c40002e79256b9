"""The sheet form never re-displays silently: a negative amount, a tampered row id or a year outside the
contract's life gets a French message next to the cell (and in the summary at the top); a budget amount
takes a decimal comma."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import FicheAction, LigneBudget
from tests.actions.test_fiche_form import _payload

pytestmark = pytest.mark.django_db


def _create(client, own, **extra):
    return client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}),
                       _payload(own, **extra))


def _alert(response):
    html = response.content.decode()
    block = re.search(r'<div class="fr-alert fr-alert--error fr-mb-4w cls-error-summary" id="erreurs"(.*?)</div>', html,
                      re.S)
    return re.sub(r"\s+", " ", block.group(1)) if block else ""


def test_budget_amount_with_a_decimal_comma_is_saved(client, world):
    client.force_login(world.own.people["coordinateur"])
    response = _create(client, world.own, **{"lignes_budget-0-montant_prevu": "35,5"})
    assert response.status_code == 302
    assert FicheAction.objects.get(titre="Bus santé itinérant").lignes_budget.get().montant_prevu == Decimal("35.50")


def test_negative_amount_gets_a_french_error_next_to_the_cell(client, world):
    client.force_login(world.own.people["coordinateur"])
    response = _create(client, world.own, **{"lignes_budget-0-montant_prevu": "-10"})
    assert response.status_code == 200
    row = response.context["formsets"][2]["formset"].forms[0]
    assert row.errors["montant_prevu"] == ["Un montant ne peut pas être négatif."]
    assert 'Erreur : 1 champ à corriger' in _alert(response)
    assert ('<a href="#id_lignes_budget-0-montant_prevu">Montant prévu (Budget prévisionnel par année, ligne 1) : '
            "Un montant ne peut pas être négatif.</a>") in _alert(response)
    assert not FicheAction.objects.filter(titre="Bus santé itinérant").exists()


@pytest.mark.parametrize("tamper", ["another sheet's line", "no such line"])
def test_tampered_row_id_is_said_in_french_at_the_top(client, world, tamper):
    own, other = world.own, world.other
    fiche = own.fiche
    foreign = LigneBudget.objects.create(fiche=other.fiche, annee=2025, type="fonctionnement", montant_prevu=1)
    row_id = foreign.pk if tamper == "another sheet's line" else 987654321
    client.force_login(own.people["coordinateur"])
    data = _payload(own, **{"lignes_budget-0-id": str(row_id)})
    data["version"] = fiche.version
    for name in ("partenaires", "jalons", "lignes_budget", "financements", "indicateurs"):
        data[f"{name}-INITIAL_FORMS"] = "0"
    data["lignes_budget-INITIAL_FORMS"] = "1"
    before = fiche.lignes_budget.count()
    response = client.post(reverse("actions:fiche_edit", kwargs={"pk": fiche.pk}), data)
    assert response.status_code == 200
    expected = ("Une ligne envoyée n&#x27;appartient pas à cette fiche." if tamper == "another sheet's line" else
                "Budget prévisionnel par année, ligne 1 : Cette ligne n&#x27;existe plus ou n&#x27;appartient pas "
                "à cette fiche")
    assert expected in _alert(response)
    foreign.refresh_from_db()
    assert foreign.fiche_id == other.fiche.pk and foreign.montant_prevu == 1
    assert fiche.lignes_budget.count() == before


def test_budget_year_outside_the_contract_life_is_refused(client, world):
    from contracts.selectors import life_years

    client.force_login(world.own.people["coordinateur"])
    first, last = life_years(world.own.contract)
    response = _create(client, world.own, **{"lignes_budget-0-annee": str(last + 30)})
    assert response.status_code == 200
    row = response.context["formsets"][2]["formset"].forms[0]
    assert row.errors["annee"] == [f"Choisissez une année du contrat, de {first} à {last}."]


@pytest.mark.parametrize("fields, field, message", [
    ({"indicateurs-0-annee_cible": "1900"}, "annee_cible",
     "Choisissez une année cible du contrat, de {first} à {last}."),
    ({"indicateurs-0-annee_cible": "{after}"}, "annee_cible",
     "Choisissez une année cible du contrat, de {first} à {last}."),
    ({"indicateurs-0-annee_reference": "1900"}, "annee_reference",
     "Choisissez une année de référence de 1950 à {last}."),
    ({"indicateurs-0-annee_reference": "{last}", "indicateurs-0-annee_cible": "{first}"}, "annee_cible",
     "L'année cible précède l'année de référence ({last})."),
])
def test_indicator_years_outside_the_contract_are_refused_next_to_the_cell(client, world, fields, field, message):
    from contracts.selectors import life_years

    client.force_login(world.own.people["coordinateur"])
    first, last = life_years(world.own.contract)
    years = {"first": first, "last": last, "after": last + 1}
    response = _create(client, world.own, **{k: v.format(**years) for k, v in fields.items()})
    assert response.status_code == 200
    row = response.context["formsets"][4]["formset"].forms[0]
    assert row.errors[field] == [message.format(**years)]
    assert not FicheAction.objects.filter(titre="Bus santé itinérant").exists()


def test_an_indicator_year_saved_before_the_rule_does_not_block_other_changes(client, world):
    """A target year out of the contract's life (saved before the rule, or imported) stays until someone types
    another year: changing the unit of that indicator saves."""
    from actions.models import Indicateur
    from contracts.selectors import life_years

    own = world.own
    client.force_login(own.people["coordinateur"])
    assert _create(client, own).status_code == 302
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    ind = fiche.indicateurs.get()
    Indicateur.objects.filter(pk=ind.pk).update(annee_cible=1990)
    data = _payload(own, **{"indicateurs-0-annee_cible": "1990", "indicateurs-0-unite": "participants"})
    data.update({"version": fiche.version, "indicateurs-0-id": str(ind.pk), "indicateurs-INITIAL_FORMS": "1",
                 "indicateurs-TOTAL_FORMS": "1"})
    for name in ("partenaires", "jalons", "lignes_budget", "financements"):
        data[f"{name}-TOTAL_FORMS"] = "0"
    response = client.post(reverse("actions:fiche_edit", kwargs={"pk": fiche.pk}), data)
    assert response.status_code == 302
    ind.refresh_from_db()
    assert (ind.unite, ind.annee_cible) == ("participants", 1990)
    assert life_years(own.contract)[0] > 1990


@pytest.mark.parametrize("field", ["champs", "reunions"])
def test_a_huge_id_in_a_sheet_list_is_a_french_error_not_a_500(client, world, field):
    """Found by the form fuzzing: an id beyond 64 bits in the fields of action raised OverflowError on SQLite."""
    client.force_login(world.own.people["coordinateur"])
    response = _create(client, world.own, **{field: "99999999999999999999"})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Choix invalide : sélectionnez une valeur de la liste."]


def test_a_huge_id_in_an_axe_s_fields_of_action_is_a_french_error_not_a_500(client, world):
    axe = world.own.axe
    client.force_login(world.own.people["coordinateur"])
    response = client.post(reverse("actions:axe_edit", kwargs={"pk": axe.pk}),
                           {"titre": axe.titre, "type": axe.type, "champs": "99999999999999999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["champs"] == ["Choix invalide : sélectionnez une valeur de la liste."]
