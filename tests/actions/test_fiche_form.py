from decimal import Decimal

import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import FicheAction, Financement, LigneBudget
from actions.selectors import budget_totals

pytestmark = pytest.mark.django_db

FORMSETS = ["partenaires", "jalons", "lignes_budget", "financements", "indicateurs"]


def _management(data, fiche=None):
    for name in FORMSETS:
        initial = getattr(fiche, name).count() if fiche else 0
        data.setdefault(f"{name}-TOTAL_FORMS", str(initial + 1))
        data.setdefault(f"{name}-INITIAL_FORMS", str(initial))
    return data


def _payload(tenant, **extra):
    return _management({
        "axe": tenant.axe.pk, "titre": "Bus santé itinérant", "priorite": "haute",
        "objectif_general": "Rapprocher la prévention des habitants isolés.",
        "objectifs_operationnels": "Vingt tournées par an.", "description": "Un bus équipé sillonne le territoire.",
        "public_cible": "Personnes âgées isolées", "tout_le_perimetre": "on",
        "pilote_organisation": tenant.pilote_org.pk, "pilote_personne": tenant.people["pilote"].pk,
        "date_debut": "2025-01-01", "date_fin": "2027-12-31",
        "lignes_budget-0-annee": "2025", "lignes_budget-0-type": "fonctionnement",
        "lignes_budget-0-montant_prevu": "12000.50",
        "financements-0-annee": "2025", "financements-0-financeur": "ars", "financements-0-montant": "8000",
        "indicateurs-0-libelle": "Personnes reçues", "indicateurs-0-type": "resultat",
        "indicateurs-0-unite": "personnes",
        "indicateurs-0-cible": "400", "indicateurs-0-annee_cible": "2027", "indicateurs-0-frequence": "annuelle",
        "indicateurs-0-hausse_attendue": "on",
        "jalons-0-libelle": "Achat du bus", "jalons-0-date_prevue": "2025-03-01",
        "partenaires-0-role": "operateur",  # the default the browser sends for the empty row
        **extra,
    })


def test_coordinator_creates_a_complete_sheet_with_children(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(own))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    assert fiche.numero == 14 and fiche.statut == FicheStatut.BROUILLON  # world: 1.1 and 1.11 to 1.13
    assert fiche.indicateurs.get().cible == Decimal("400")
    assert fiche.lignes_budget.get().montant_prevu == Decimal("12000.50")
    assert fiche.jalons.count() == 1 and fiche.financements.count() == 1
    page = client.get(r["Location"]).content.decode()
    assert "La fiche est complète." in page
    assert "12\u00a0000,50\u00a0€" in page  # |euros


def test_bad_input_keeps_everything_typed(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    data = _payload(own, date_fin="2024-01-01", **{"indicateurs-0-cible": "beaucoup"})
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), data)
    assert r.status_code == 200
    assert "La date de fin doit suivre la date de début." in r.content.decode()
    assert r.context["formsets"][4]["formset"].forms[0].errors["cible"]
    html = r.content.decode()
    assert "Rapprocher la prévention des habitants isolés." in html and "Achat du bus" in html
    assert not FicheAction.objects.filter(titre="Bus santé itinérant").exists()


def test_pilot_who_is_the_coordinator_warns_but_saves(client, world):
    own = world.own
    coord = own.people["coordinateur"]
    client.force_login(coord)
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}),
                    _payload(own, pilote_personne=coord.pk), follow=True)
    assert r.status_code == 200
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    assert fiche.pilote_personne == coord
    assert "Le pilote choisi est le coordinateur du contrat" in r.content.decode()


def test_concurrent_edit_is_refused_and_keeps_the_input(client, world):
    own = world.own
    fiche = own.fiche
    client.force_login(own.people["coordinateur"])
    url = reverse("actions:fiche_edit", kwargs={"pk": fiche.pk})
    version = client.get(url).context["form"]["version"].value()
    # Someone else saves first.
    first = _payload(own, titre="Titre de l'autre personne", version=version)
    assert client.post(url, _management(first, fiche)).status_code == 302
    second = _payload(own, titre="Mon titre", version=version)
    r = client.post(url, _management(second, fiche))
    assert r.status_code == 200
    html = r.content.decode()
    assert "modifiée par une autre personne" in html
    assert "Titre de l&#x27;autre personne" in html and 'value="Mon titre"' in html
    fiche.refresh_from_db()
    assert fiche.titre == "Titre de l'autre personne"
    # Saving again, after seeing the conflict, goes through.
    again = dict(second, version=r.context["form"].data["version"])
    assert client.post(url, _management(again, fiche)).status_code == 302
    fiche.refresh_from_db()
    assert fiche.titre == "Mon titre"


def test_children_are_updated_and_deleted(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(own))
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    jalon = fiche.jalons.get()
    url = reverse("actions:fiche_edit", kwargs={"pk": fiche.pk})
    data = _payload(own, version=fiche.version, **{
        "jalons-0-id": jalon.pk, "jalons-0-DELETE": "on",
        "indicateurs-0-id": fiche.indicateurs.get().pk,
        "lignes_budget-0-id": fiche.lignes_budget.get().pk,
        "financements-0-id": fiche.financements.get().pk,
    })
    r = client.post(url, _management(data, fiche))
    assert r.status_code == 302, r.context["form"].errors
    assert fiche.jalons.count() == 0 and fiche.indicateurs.count() == 1



def test_history_tells_only_the_rows_that_changed(client, world):
    """The coordinator adds one indicator to a sheet with a milestone, a budget line and a funding: the history
    read « Jalons : 0 ajout(s), 1 mise(s) à jour, 0 suppression(s) » (and the same for the budget and the
    funding), every stored row sent back by the form being counted as updated. Now: « Indicateurs : 1 ajout »."""
    from cls_portal.core.history import history_for

    own = world.own
    client.force_login(own.people["coordinateur"])
    client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(own))
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    url = reverse("actions:fiche_edit", kwargs={"pk": fiche.pk})
    data = _payload(own, version=fiche.version, **{
        "jalons-0-id": fiche.jalons.get().pk,
        "indicateurs-0-id": fiche.indicateurs.get().pk,
        "lignes_budget-0-id": fiche.lignes_budget.get().pk,
        "financements-0-id": fiche.financements.get().pk,
        "indicateurs-1-libelle": "Tournées réalisées", "indicateurs-1-type": "processus",
        "indicateurs-1-unite": "tournées", "indicateurs-1-cible": "20", "indicateurs-1-annee_cible": "2027",
        "indicateurs-1-frequence": "annuelle", "indicateurs-1-hausse_attendue": "on",
    })
    data["indicateurs-TOTAL_FORMS"] = "2"
    r = client.post(url, _management(data, fiche))
    assert r.status_code == 302, [f["formset"].errors for f in r.context["formsets"]]
    assert fiche.indicateurs.count() == 2
    edit = history_for(fiche).filter(action="fiche_modifiee").get()
    assert edit.changes == {"indicateurs": [None, "1 ajout"]}


def test_budget_totals_per_year_and_funder():
    lignes = [LigneBudget(annee=2025, type="personnel", montant_prevu=Decimal("1000.10"),
                          montant_realise=Decimal("900")),
              LigneBudget(annee=2025, type="autre", montant_prevu=Decimal("500")),
              LigneBudget(annee=2026, type="autre", montant_prevu=Decimal("700"))]
    fins = [Financement(annee=2025, financeur="ars", montant=Decimal("800")),
            Financement(annee=2026, financeur="ars", montant=Decimal("300")),
            Financement(annee=2025, financeur="cpam", montant=Decimal("200.05"))]
    b = budget_totals(lignes, fins)
    assert [(y["annee"], y["prevu"], y["realise"], y["finance"]) for y in b.annees] == [
        (2025, Decimal("1500.10"), Decimal("900"), Decimal("1000.05")), (2026, Decimal("700"), Decimal("0"),
                                                                          Decimal("300"))]
    assert b.financeurs[0]["montant"] == Decimal("1100") and b.total_prevu == Decimal("2200.10")
    assert b.total_finance == Decimal("1300.05")


def test_submitted_sheet_cannot_be_edited(client, world):
    client.force_login(world.own.people["coordinateur"])
    r = client.get(reverse("actions:fiche_edit", kwargs={"pk": world.own.fiche_soumise.pk}))
    assert r.status_code == 403


def test_pilot_choices_are_local_pilots_and_coordinators(world):
    from actions.selectors import pilot_candidates
    from cls_portal.accounts.models import Role
    from tests import factories as f

    own = world.own
    far = f.with_role(f.UserFactory(), Role.PILOTE, organisation=f.OrganisationFactory(
        nom="CPAM lointaine", type="cpam", departement=world.other.departement))
    candidates = set(pilot_candidates(own.contract))
    assert own.people["pilote"] in candidates and own.people["coordinateur"] in candidates
    assert far not in candidates and own.people["delegation"] not in candidates
