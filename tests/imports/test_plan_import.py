"""Action plan import: the portal's template, a preview that saves nothing, all or nothing at confirmation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions.models import Axe, FicheAction, Indicateur
from cls_portal.core.models import HistoryEntry
from imports.plan import COLUMNS
from tests import factories as f

GOOD = [
    [2, "Prévention et promotion de la santé", "Thématique", 1, "Dépistage organisé des cancers",
     "Augmenter la participation", "Femmes de 50 à 74 ans", "CPAM test Calvados", "01/01/2025", "31/12/2027",
     "Taux de participation au dépistage", "Résultat", "%", "48,5", "55", 2027],
    [2, "Prévention et promotion de la santé", "", 1, "Dépistage organisé des cancers", "", "", "", "", "",
     "Nombre de séances d'information", "Processus", "séances", "", "12", ""],
    [3, "Santé mentale", "Thématique", 1, "Premiers secours en santé mentale", "", "", "", "", "", "", "", "", "",
     "", ""],
]


def xlsx(rows, header=None):
    wb = Workbook()
    ws = wb.active
    ws.append(header or [c.label for c in COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("plan.xlsx", buf.getvalue())


def counts():
    return Axe.objects.count(), FicheAction.objects.count(), Indicateur.objects.count()


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.own.people["coordinateur"])
    return client


def _upload(client, contract, file):
    return client.post(reverse("imports:plan", args=[contract.pk]), {"fichier": file})


@pytest.mark.django_db
def test_template_download_fill_preview_then_confirm_saves_everything(coordinator, world):
    contract = world.own.contract
    response = coordinator.get(reverse("imports:plan_template", args=[contract.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.label for c in COLUMNS]
    ws = wb.worksheets[0]
    for row in GOOD:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)

    before = counts()
    response = _upload(coordinator, contract, SimpleUploadedFile("mon-plan.xlsx", buf.getvalue()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fiche 2.1 Dépistage organisé des cancers" in html and "Confirmer l'import" in html
    assert counts() == before  # the preview saves nothing

    token = response.context["token"]
    response = coordinator.post(reverse("imports:plan_confirm", args=[contract.pk]), {"token": token})
    assert response.status_code == 302
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2)
    fiche = FicheAction.objects.get(contract=contract, axe__numero=2, numero=1)
    assert fiche.statut == "brouillon" and fiche.pilote_organisation == world.own.pilote_org
    assert fiche.date_debut.isoformat() == "2025-01-01"
    ind = fiche.indicateurs.get(libelle="Taux de participation au dépistage")
    assert str(ind.valeur_reference) == "48.50" and ind.type == "resultat" and ind.annee_cible == 2027
    assert HistoryEntry.objects.filter(contract_id=contract.pk, action="plan_importe").count() == 1
    # The token is spent: confirming again imports nothing more.
    coordinator.post(reverse("imports:plan_confirm", args=[contract.pk]), {"token": token})
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2)


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_is_reported(coordinator, world):
    contract = world.own.contract
    bad = [list(r) for r in GOOD]
    bad[1][3] = "un"          # row 3: N° fiche is not a number
    bad[2][8] = "31/02/2025"  # row 4: impossible date
    before = counts()
    response = _upload(coordinator, contract, xlsx(bad))
    html = response.content.decode()
    assert "2 lignes en erreur : rien ne sera importé" in html
    assert "Ligne 3 : N° fiche : Saisissez un nombre entier." in html
    assert "Ligne 4 : Date de début" in html
    assert "Confirmer l'import" not in html and response.context["token"] == ""
    assert counts() == before
    # A forged confirmation does nothing either.
    response = coordinator.post(reverse("imports:plan_confirm", args=[contract.pk]), {"token": "x"})
    assert response.status_code == 302 and counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("change,message", [
    (lambda rows: rows[1].__setitem__(1, "Autre titre"), "Ligne 3 : l'axe 2 porte un autre titre à la ligne 2"),
    (lambda rows: rows[2].__setitem__(0, 1), "Ligne 4 : l'axe 1 existe déjà dans le plan sous le titre"),
    (lambda rows: rows[1].__setitem__(10, "Taux de participation au dépistage"), "figure deux fois"),
    (lambda rows: rows[2].__setitem__(13, "12"), "Ligne 4 : Indicateur : renseignez le libellé"),
    (lambda rows: rows[0].__setitem__(7, "Organisation inconnue"), "aucune organisation « Organisation inconnue »"),
    # the sheet form's rule for a target year (actions.services.indicator_year_refusals)
    (lambda rows: rows[0].__setitem__(15, 2001), "Ligne 2 : choisissez une année cible du contrat, de"),
])
def test_rows_inconsistent_with_each_other_or_the_plan(coordinator, world, change, message):
    rows = [list(r) for r in GOOD]
    change(rows)
    before = counts()
    html = _upload(coordinator, world.own.contract, xlsx(rows)).content.decode().replace("&#x27;", "'")
    assert message in html.replace("&quot;", '"')
    assert "Confirmer l'import" not in html and counts() == before


@pytest.mark.django_db
def test_a_pilot_organisation_typed_without_accents_is_recognised(coordinator, world):
    """« CENTRE HOSPITALIER D'EVREUX VERNON » in the spreadsheet is the portal's « Centre hospitalier
    d'Évreux-Vernon » (accents, case, hyphens and apostrophes aside)."""
    org = f.OrganisationFactory(nom="Centre hospitalier d'Évreux-Vernon", type="etablissement")
    rows = [list(r) for r in GOOD]
    rows[0][7] = "CENTRE HOSPITALIER D'EVREUX VERNON"
    response = _upload(coordinator, world.own.contract, xlsx(rows))
    assert "Confirmer l'import" in response.content.decode().replace("&#x27;", "'")
    token = response.context["token"]
    coordinator.post(reverse("imports:plan_confirm", args=[world.own.contract.pk]), {"token": token})
    fiche = FicheAction.objects.get(contract=world.own.contract, axe__numero=2, numero=1)
    assert fiche.pilote_organisation == org


@pytest.mark.django_db
def test_plan_changed_between_preview_and_confirmation_saves_nothing(coordinator, world):
    contract = world.own.contract
    response = _upload(coordinator, contract, xlsx(GOOD))
    Axe.objects.create(contract=contract, numero=3, titre="Un axe ajouté entre-temps")
    before = counts()
    response = coordinator.post(reverse("imports:plan_confirm", args=[contract.pk]),
                                {"token": response.context["token"]}, follow=True)
    assert "rien n'a été importé" in response.content.decode().replace("&#x27;", "'")
    assert counts() == before


@pytest.mark.django_db
def test_unreadable_file_gets_a_french_error_next_to_the_field(coordinator, world):
    response = _upload(coordinator, world.own.contract, SimpleUploadedFile("plan.xlsx", b"PK\x03\x04 pas un xlsx"))
    assert response.status_code == 200
    assert "Le fichier Excel n'a pas pu être lu" in response.content.decode().replace("&#x27;", "'")
    response = _upload(coordinator, world.own.contract, xlsx(GOOD, header=["Colonne", "Autre"]))
    assert "Colonne(s) manquante(s)" in response.content.decode()


@pytest.mark.django_db
def test_closed_contract_refuses_import(client, world):
    contract = world.own.contract
    contract.phase = "clos"
    contract.save()
    client.force_login(world.own.people["coordinateur"])
    assert client.get(reverse("imports:plan", args=[contract.pk])).status_code == 403
