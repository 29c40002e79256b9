from decimal import Decimal

import pytest
from django.urls import reverse

from actions.enums import Avancement
from actions.models import SuiviAnnuel, ValeurIndicateur
from tests.actions.factories import SuiviFactory

pytestmark = pytest.mark.django_db


def _url(fiche, annee=2024):
    return reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": annee})


def test_pilot_fills_the_follow_up_and_indicator_values_of_their_sheet(client, world):
    own = world.own
    fiche = own.fiche_validee
    ind = fiche.indicateurs.get()
    pilote = own.people["pilote"]
    client.force_login(pilote)
    r = client.post(_url(fiche), {"avancement": Avancement.EN_RETARD, "realise": "Douze permanences.",
                                  "difficultes": "Recrutement difficile.", "perspectives": "Ouvrir un 2e site.",
                                  f"valeur_{ind.pk}": "42,5", f"commentaire_{ind.pk}": "Données du 2e semestre"})
    assert r.status_code == 302
    suivi = SuiviAnnuel.objects.get(fiche=fiche, annee=2024)
    assert suivi.avancement == Avancement.EN_RETARD and suivi.saisi_par == pilote
    v = ValeurIndicateur.objects.get(indicateur=ind, annee=2024)
    assert v.valeur == Decimal("42.5") and v.saisi_par == pilote and v.commentaire == "Données du 2e semestre"
    page = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode()
    assert "Données du 2e semestre" in page and "<svg" in page and 'class="fr-sr-only"' in page


def test_pilot_cannot_fill_another_sheet_nor_edit_the_plan(client, world):
    own = world.own
    client.force_login(own.people["pilote"])
    assert client.get(_url(own.fiche_autre)).status_code == 403
    assert client.post(_url(own.fiche_autre), {"avancement": Avancement.EN_COURS}).status_code == 403
    assert client.get(reverse("actions:fiche_edit", kwargs={"pk": own.fiche_validee.pk})).status_code == 403
    assert not SuiviAnnuel.objects.filter(fiche=own.fiche_autre).exists()


def test_year_outside_the_contract_is_404(client, world):
    client.force_login(world.own.people["coordinateur"])
    assert client.get(_url(world.own.fiche_validee, 2019)).status_code == 404


def test_bad_value_is_shown_next_to_the_field(client, world):
    fiche = world.own.fiche_validee
    ind = fiche.indicateurs.get()
    client.force_login(world.own.people["coordinateur"])
    r = client.post(_url(fiche), {"avancement": Avancement.EN_COURS, "realise": "Texte conservé",
                                  f"valeur_{ind.pk}": "beaucoup"})
    assert r.status_code == 200
    assert r.context["form"].errors[f"valeur_{ind.pk}"]
    assert "Texte conservé" in r.content.decode()


def test_year_view_shows_sheets_without_follow_up(client, world):
    own = world.own
    SuiviFactory(fiche=own.fiche_validee, annee=2024)
    client.force_login(own.people["coordinateur"])
    r = client.get(reverse("actions:followup_year", kwargs={"contract_pk": own.contract.pk}) + "?annee=2024")
    assert r.status_code == 200
    rows = {row["fiche"].pk: row["suivi"] for row in r.context["rows"]}
    # validated sheets only (the draft and the submitted one are not under way)
    assert set(rows) == {own.fiche_validee.pk, own.fiche_autre.pk}
    assert rows[own.fiche_validee.pk] is not None and rows[own.fiche_autre.pk] is None
    assert r.context["manquants"] == 1
    assert "Pas de suivi" in r.content.decode()


def test_year_view_pilot_sees_fill_link_only_for_own_sheet(client, world):
    own = world.own
    client.force_login(own.people["pilote"])
    r = client.get(reverse("actions:followup_year", kwargs={"contract_pk": own.contract.pk}) + "?annee=2024")
    can = {row["fiche"].pk: row["can_fill"] for row in r.context["rows"]}
    assert can == {own.fiche_validee.pk: True, own.fiche_autre.pk: False}
