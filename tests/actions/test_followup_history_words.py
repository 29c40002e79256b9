"""The history line of a yearly follow-up is in words a person reads: field labels, the progress's French label,
numbers the French way (QA walk-through: « Avancement : en_cours », « Realise », « Indicateur … : 1E+5 »)."""

import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actions.enums import ActionEvent, Avancement
from cls_portal.core import history
from cls_portal.core.models import HistoryEntry

pytestmark = pytest.mark.django_db

NBSP, MINUS = "\u00a0", "\u2212"


def _details(fiche):
    entry = history.history_for(fiche).filter(action=ActionEvent.SUIVI_ENREGISTRE).first()
    return history.line(entry).details


def test_a_new_follow_up_line_names_fields_choices_and_numbers_in_words(client, world):
    fiche = world.own.fiche_validee
    ind = fiche.indicateurs.get()
    client.force_login(world.own.people["pilote"])
    url = reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": 2024})
    r = client.post(url, {"avancement": Avancement.EN_COURS, "version": 0, "realise": "Douze permanences.",
                          "difficultes": "Recrutement.", f"valeur_{ind.pk}": "100000"})
    assert r.status_code == 302
    details = _details(fiche)
    assert "État d'avancement : En cours, conforme au calendrier" in details
    assert "Ce qui a été réalisé : Douze permanences." in details
    assert "Difficultés rencontrées : Recrutement." in details
    assert f"Indicateur {ind.libelle} : 100{NBSP}000" in details
    assert not any(d.startswith("Perspectives") for d in details)  # left empty: nothing to say
    r = client.post(url, {"avancement": Avancement.EN_RETARD, "version": 1, "realise": "Douze permanences.",
                          "difficultes": "Recrutement.", f"valeur_{ind.pk}": "-5"})
    assert r.status_code == 302
    details = _details(fiche)
    assert details == ["État d'avancement : En cours, conforme au calendrier → En cours, en retard",
                       f"Indicateur {ind.libelle} : 100{NBSP}000 → {MINUS}5"]
    page = html.unescape(client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode())
    assert "En cours, conforme au calendrier → En cours, en retard" in page
    assert "en_cours" not in page.split('id="historique"')[1]


def test_a_line_stored_before_reads_right_too(world):
    """History is rendered from the stored values at display time: rows written before the fix read right."""
    fiche = world.own.fiche_validee
    entry = HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(fiche), object_id=fiche.pk, contract_id=fiche.contract_id,
        action=ActionEvent.SUIVI_ENREGISTRE, context={"fiche": fiche.code, "annee": 2024},
        changes={"avancement": [None, "en_cours"], "realise": [None, "Fait."], "difficultes": ["Trop.", ""],
                 "indicateur Participants": [None, "1E+5"]})
    assert history.line(entry).details == [
        "État d'avancement : En cours, conforme au calendrier", "Ce qui a été réalisé : Fait.",
        "Difficultés rencontrées : Trop. → —", f"Indicateur Participants : 100{NBSP}000"]
