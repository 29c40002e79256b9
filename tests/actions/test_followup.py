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


# --- the progress a new year's follow-up starts from ---------------------------------------------------------------

from actions.enums import FicheStatut  # noqa: E402
from actions.selectors import avancement_initial  # noqa: E402


class _Suivi:
    def __init__(self, annee, avancement):
        self.annee, self.avancement = annee, avancement


@pytest.mark.parametrize("statut,previous,expected", [
    # No follow-up before: what the sheet's status implies.
    (FicheStatut.VALIDEE, None, Avancement.NON_DEMARREE),
    (FicheStatut.EN_COURS, None, Avancement.EN_COURS),
    (FicheStatut.REALISEE, None, Avancement.REALISEE),
    (FicheStatut.REPORTEE, None, Avancement.SUSPENDUE),
    (FicheStatut.ABANDONNEE, None, Avancement.ABANDONNEE),
    # The year before said more, and the status has not said otherwise since: kept.
    (FicheStatut.EN_COURS, Avancement.EN_RETARD, Avancement.EN_RETARD),
    (FicheStatut.EN_COURS, Avancement.SUSPENDUE, Avancement.SUSPENDUE),
    (FicheStatut.VALIDEE, Avancement.EN_COURS, Avancement.EN_COURS),  # running, not yet marked started
    (FicheStatut.REPORTEE, Avancement.NON_DEMARREE, Avancement.NON_DEMARREE),
    # The status moved on since: it wins.
    (FicheStatut.EN_COURS, Avancement.NON_DEMARREE, Avancement.EN_COURS),
    (FicheStatut.REALISEE, Avancement.EN_COURS, Avancement.REALISEE),
    (FicheStatut.ABANDONNEE, Avancement.EN_RETARD, Avancement.ABANDONNEE),
    (FicheStatut.REPORTEE, Avancement.EN_COURS, Avancement.SUSPENDUE),
    (FicheStatut.VALIDEE, Avancement.REALISEE, Avancement.NON_DEMARREE),
])
def test_progress_starts_from_the_year_before_or_the_sheets_status(statut, previous, expected):
    value, hint = avancement_initial(statut, 2025, _Suivi(2024, previous) if previous else None)
    assert value == expected
    assert hint == ("Proposé d'après le suivi 2024 : à confirmer pour 2025." if previous and value == previous else
                    f"Proposé d'après le statut de la fiche (« {FicheStatut(statut).label} ») : à confirmer pour 2025.")


def _selected(response):
    return response.context["form"]["avancement"].value()


def test_a_running_sheets_new_follow_up_does_not_say_not_started(client, world):
    """The coordinator opened the 2024 follow-up of a sheet in progress: « Non démarrée » was selected."""
    fiche = world.own.fiche_validee
    type(fiche).objects.filter(pk=fiche.pk).update(statut=FicheStatut.EN_COURS)
    client.force_login(world.own.people["coordinateur"])
    r = client.get(_url(fiche, 2024))
    assert _selected(r) == Avancement.EN_COURS
    html = r.content.decode()
    assert '<option value="en_cours" selected>' in html
    assert "Proposé d'après le statut de la fiche (« En cours ») : à confirmer pour 2024." in html
    # The year after starts from that year's follow-up, saved « en retard ».
    SuiviFactory(fiche=fiche, annee=2024, avancement=Avancement.EN_RETARD)
    r = client.get(_url(fiche, 2025))
    assert _selected(r) == Avancement.EN_RETARD
    assert "Proposé d'après le suivi 2024 : à confirmer pour 2025." in r.content.decode()
    # A follow-up already saved for the year keeps its value, with no proposal.
    SuiviFactory(fiche=fiche, annee=2025, avancement=Avancement.SUSPENDUE)
    r = client.get(_url(fiche, 2025))
    assert _selected(r) == Avancement.SUSPENDUE and "Proposé d" not in r.content.decode()
