"""Import of past indicator values and past funding years for the contracts of a région: template, preview
with per-row French errors, all or nothing, idempotent re-upload (no history line), history of a change,
bounded reading."""

import datetime as dt
import io
import re
import tracemalloc
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions.enums import ActionEvent
from actions.models import ValeurIndicateur
from cls_portal.core.models import HistoryEntry
from contracts.models import Contract
from funding.enums import FundingEvent, Statut
from funding.models import AnneeFinancement, Decision, Versement
from imports import funding_years, indicators

pytestmark = pytest.mark.django_db


def xlsx(columns, rows, name="import.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append([c.label for c in columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def region_client(world):
    client = Client(raise_request_exception=True)
    client.force_login(world.users["region"])
    return client


def upload(client, kind, file):
    return client.post(reverse(f"imports:{kind}"), {"fichier": file})


def confirm(client, kind, response):
    return client.post(reverse(f"imports:{kind}_confirm"), {"token": response.context["token"]})


def errors(response):
    return {e.row: re.sub(r"(?<!«)\u00a0(?!»)", " ", " ; ".join(e.messages))  # numbers' separators: plain spaces
            for e in response.context["preview"].errors}


def history(event):
    return HistoryEntry.objects.filter(action=event).count()


# --- indicator values ---------------------------------------------------------------------------------------

def value_rows(world):
    nom = world.own.contract.nom
    return [[nom, "1.12", "Nombre de consultations", 2024, 120],
            [nom, "1.12", "nombre de CONSULTATIONS", 2025, "135,5"],  # label: case ignored
            [nom, "1.11", "Nombre de consultations", 2025, 40]]


def values_state():
    return sorted(ValeurIndicateur.objects.values_list("indicateur__fiche__numero", "annee", "valeur"))


def test_values_template_preview_confirm_then_reupload_changes_nothing(region_client, world):
    response = region_client.get(reverse("imports:values_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.label for c in indicators.COLUMNS]
    before = values_state()
    preview = upload(region_client, "values", xlsx(indicators.COLUMNS, value_rows(world)))
    assert preview.context["preview"].errors == [] and len(preview.context["lines"]) == 3
    assert values_state() == before  # the preview saves nothing
    assert confirm(region_client, "values", preview).status_code == 302
    fiche = world.own.extra["fiche_validee"]
    assert sorted(ValeurIndicateur.objects.filter(indicateur__fiche=fiche).values_list("annee", "valeur")) == [
        (2024, D("120")), (2025, D("135.5"))]
    assert history(ActionEvent.VALEURS_IMPORTEES) == 2  # one line per sheet
    state = values_state()
    again = upload(region_client, "values", xlsx(indicators.COLUMNS, value_rows(world)))
    assert [li["etat"][0] for li in again.context["lines"]] == ["Inchangée"] * 3
    confirm(region_client, "values", again)
    assert values_state() == state and history(ActionEvent.VALEURS_IMPORTEES) == 2  # no history line
    # A changed value is updated, its old value kept in the sheet's history.
    changed = value_rows(world)[:1]
    changed[0][4] = 125
    preview = upload(region_client, "values", xlsx(indicators.COLUMNS, changed))
    assert "125 (avant : 120)" in preview.content.decode().replace("\u00a0", " ")
    confirm(region_client, "values", preview)
    assert ValeurIndicateur.objects.get(indicateur__fiche=fiche, annee=2024).valeur == D("125")
    entry = HistoryEntry.objects.filter(action=ActionEvent.VALEURS_IMPORTEES).order_by("-id").first()
    assert list(entry.changes.values()) == [["120", "125"]]


def test_values_bad_rows_each_get_a_french_message_and_nothing_is_saved(region_client, world):
    nom = world.own.contract.nom
    rows = value_rows(world) + [
        ["CLS inconnu", "1.12", "Nombre de consultations", 2024, 1],
        [nom, "9.9", "Nombre de consultations", 2024, 1],
        [nom, "1.12", "Indicateur inconnu", 2024, 1],
        [nom, "1.12", "Nombre de consultations", 2019, 1],
        [nom, "1.12", "Nombre de consultations", dt.date.today().year + 1, 1],
        [nom, "1.12", "Nombre de consultations", 2024, "beaucoup"],
        [nom, "1.12", "Nombre de consultations", 2024, 7],
        [world.other.contract.nom, "1.12", "Nombre de consultations", 2024, 1],
    ]
    before = values_state()
    response = upload(region_client, "values", xlsx(indicators.COLUMNS, rows))
    e = errors(response)
    assert "aucun contrat « CLS inconnu » dans la région Normandie" in e[5]
    assert "n'a pas de fiche 9.9" in e[6]
    assert "n'a pas d'indicateur « Indicateur inconnu »" in e[7]
    assert "2019 n'est pas une année de mise en œuvre du contrat (2024 à" in e[8]
    assert "est dans le futur" in e[9]
    assert "Valeur : Saisissez un nombre" in e[10]
    assert "figure déjà à la ligne 2 du fichier" in e[11]
    assert "aucun contrat" in e[12]  # another région's contract is unknown here
    assert set(e) == {5, 6, 7, 8, 9, 10, 11, 12} and response.context["token"] == ""
    region_client.post(reverse("imports:values_confirm"), {"token": "forge"})
    assert values_state() == before


def test_values_too_many_rows_are_refused_while_streaming(region_client, world):
    nom = world.own.contract.nom
    response = upload(region_client, "values", xlsx(indicators.COLUMNS, [
        [nom, "1.12", "Nombre de consultations", 2024, i] for i in range(indicators.MAX_ROWS + 10)]))
    assert response.context["form"].errors["fichier"] == [
        f"Le fichier contient trop de lignes : la limite est de {indicators.MAX_ROWS}."]


def test_values_confirmation_that_fails_saves_nothing(region_client, world):
    preview = upload(region_client, "values", xlsx(indicators.COLUMNS, value_rows(world)))
    world.own.extra["fiche_soumise"].indicateurs.all().delete()  # row 4 no longer resolves
    before = values_state()
    assert confirm(region_client, "values", preview).status_code == 302
    assert values_state() == before


# --- funding years ------------------------------------------------------------------------------------------

def funding_row(nom, annee, **kw):
    row = {"etp": 1, "mois": 12, "salaire": 32000, "charges": 11000, "fonct": 3000, "coll": 23000, "autres": 0,
           "accorde": 23000, "verse": 23000, **kw}
    return [nom, annee, row["etp"], row["mois"], row["salaire"], row["charges"], row["fonct"], row["coll"],
            row["autres"], row["accorde"], row["verse"]]


def funding_state():
    return (sorted(AnneeFinancement.objects.values_list("contract_id", "annee", "statut", "montant_accorde",
                                                        "total_verse", "version")),
            Decision.objects.count(), Versement.objects.count())


def test_funding_template_preview_confirm_then_reupload_changes_nothing(region_client, world):
    response = region_client.get(reverse("imports:funding_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.label for c in funding_years.COLUMNS]
    nom = world.own.contract.nom
    rows = [funding_row(nom, 2023), funding_row(nom, 2024, verse="11500"),
            funding_row(nom, 2025, verse=11500)]  # 2025: the year decided on the portal, same figures
    before = funding_state()
    preview = upload(region_client, "funding", xlsx(funding_years.COLUMNS, rows))
    assert preview.context["preview"].errors == []
    assert [li["etat"][0] for li in preview.context["lines"]] == ["À créer", "À créer", "Inchangée"]
    assert funding_state() == before
    confirm(region_client, "funding", preview)
    y2024 = AnneeFinancement.objects.get(contract=world.own.contract, annee=2024)
    assert y2024.statut == Statut.DECIDEE and y2024.montant_accorde == D("23000") and y2024.total_verse == D("11500")
    assert y2024.decisions.get().document.name == "" and y2024.versements.get().montant == D("11500")
    assert history(FundingEvent.ANNEE_IMPORTEE) == 2
    state = funding_state()
    again = upload(region_client, "funding", xlsx(funding_years.COLUMNS, rows))
    assert [li["etat"][0] for li in again.context["lines"]] == ["Inchangée"] * 3
    confirm(region_client, "funding", again)
    assert funding_state() == state and history(FundingEvent.ANNEE_IMPORTEE) == 2
    # The rest of 2024 was paid: one more payment, history line, nothing else.
    paid = upload(region_client, "funding", xlsx(funding_years.COLUMNS, [funding_row(nom, 2024)]))
    assert [li["etat"][0] for li in paid.context["lines"]] == ["Modifiée"]
    confirm(region_client, "funding", paid)
    y2024.refresh_from_db()
    assert y2024.total_verse == D("23000") and y2024.versements.count() == 2
    assert history(FundingEvent.ANNEE_IMPORTEE) == 3
    # The page of the contract shows the imported decision without a document link.
    client = Client()
    client.force_login(world.own.people["delegation"])
    page = client.get(reverse("funding:contract", kwargs={"contract_pk": world.own.contract.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Année reprise de l'historique par un import le" in text.replace("&#x27;", "'")
    assert text.count("décision signée (PDF)") == 1  # the portal's 2025 decision only


def test_funding_bad_rows_each_get_a_french_message_and_nothing_is_saved(region_client, world):
    nom = world.own.contract.nom
    this_year = dt.date.today().year
    rows = [
        funding_row(nom, 2023, verse=24000),  # paid more than granted
        funding_row("CLS inconnu", 2023),
        funding_row(nom, 2021),  # before the préalable (2023)
        funding_row(nom, this_year + 1),
        funding_row(nom, 2024, accorde=30000, coll=30000, salaire=49000),  # above the rule's maximum
        funding_row(nom, 2025, accorde=20000, coll=26000, verse=11500),  # the portal's 2025 year is never replaced
        funding_row(nom, 2023),  # twice
        funding_row(nom, 2024, etp="un"),
    ]
    before = funding_state()
    response = upload(region_client, "funding", xlsx(funding_years.COLUMNS, rows))
    e = errors(response)
    assert "Montant ARS versé : Le total versé (24 000 €) dépasse le montant accordé" in e[2]
    assert "aucun contrat « CLS inconnu »" in e[3]
    assert "2021 précède la lettre d'intention du contrat (01/01/2023)" in e[4]
    assert "est dans le futur" in e[5]
    assert "dépasse le maximum de 25 000 €" in e[6] and "Règle Normandie en vigueur depuis le 01/01/2020" in e[6]
    assert "La demande 2025 suit son cours sur le portail" in e[7]
    assert "figure déjà à la ligne 2 du fichier" in e[8]
    assert e[9].startswith("ETP : ")
    assert set(e) == {2, 3, 4, 5, 6, 7, 8, 9} and response.context["token"] == ""
    assert funding_state() == before


def test_funding_year_before_the_regions_first_rule_is_refused(region_client, world):
    """Grand Est's rule starts in 2020: its regional team cannot import 2019, even with Normandie's figures."""
    t = world.other
    Contract.objects.filter(pk=t.contract.pk).update(date_lettre_intention=dt.date(2018, 1, 1))
    raw = dict(zip([c.key for c in funding_years.COLUMNS], [str(v) for v in funding_row(t.contract.nom, 2019)],
                   strict=True))
    errs, lignes = funding_years.resolve(t.region, [(2, funding_years.validate(raw))], dt.date.today())
    assert lignes == [] and "Aucune règle de financement de la région Grand Est ne couvre 2019" in str(errs[0])


def test_only_the_regional_team_imports(world):
    for role in ("coordinateur", "delegation", "pilote", "elu"):
        client = Client()
        client.force_login(world.users[role])
        for kind in ("values", "funding"):
            assert client.get(reverse(f"imports:{kind}")).status_code == 403


@pytest.mark.parametrize("kind", ["values", "funding"])
def test_both_history_imports_stop_at_their_row_limit(region_client, world, kind):
    module = indicators if kind == "values" else funding_years
    row = (["x", "1.1", "y", 2024, 1] if kind == "values" else funding_row("x", 2024))
    response = upload(region_client, kind, xlsx(module.COLUMNS, [row] * (module.MAX_ROWS + 10)))
    assert response.context["form"].errors["fichier"] == [
        f"Le fichier contient trop de lignes : la limite est de {module.MAX_ROWS}."]


def test_fifty_thousand_values_are_refused_before_parsing(region_client, world):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.label for c in indicators.COLUMNS])
    for i in range(50_000):
        ws.append([world.own.contract.nom, "1.12", "Nombre de consultations", 2024, i])
    buf = io.BytesIO()
    wb.save(buf)
    before = values_state()
    tracemalloc.start()
    response = upload(region_client, "values", SimpleUploadedFile("grand.xlsx", buf.getvalue()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.context["form"].errors["fichier"][0].startswith("Le fichier ")
    assert peak < 40 * 1024 * 1024, peak
    assert values_state() == before


def test_funding_confirmation_that_fails_saves_nothing(region_client, world):
    """Between preview and confirmation the coordinator filed 2023 on the portal with other figures: the whole
    import is refused, 2024 is not created either."""
    from funding import services as funding_services

    nom = world.own.contract.nom
    preview = upload(region_client, "funding", xlsx(funding_years.COLUMNS, [funding_row(nom, 2023),
                                                                          funding_row(nom, 2024)]))
    assert preview.context["token"]
    funding_services.annee_create(actor=world.own.people["coordinateur"], contract=world.own.contract, annee=2023,
                                  etp=D("1"), mois_pourvus=12, cout_salaire=D("40000"), cout_charges=D("0"),
                                  cout_fonctionnement=D("0"), demande_ars=D("20000"),
                                  demande_collectivite=D("20000"), demande_autres=D("0"))
    before = funding_state()
    response = confirm(region_client, "funding", preview)
    assert response.status_code == 302
    assert funding_state() == before
    assert not AnneeFinancement.objects.filter(contract=world.own.contract, annee=2024).exists()
