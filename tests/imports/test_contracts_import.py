"""Import of the CLS a région already runs: template, preview with per-row French errors, all or nothing,
idempotent re-upload, bounded reading."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from contracts.enums import Phase, StepKind, StepStatus
from contracts.models import Contract, PendingContact
from imports.contracts import COLUMNS, MAX_ROWS
from tests import factories as f

pytestmark = pytest.mark.django_db


def xlsx(rows, name="cls.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append([c.label for c in COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def territory(world):
    """Two more EPCI of the Calvados, for three existing CLS."""
    dep = world.own.departement
    a, b = f.EPCIFactory(nom="CC Bessin test"), f.EPCIFactory(nom="CC Bocage test")
    communes_a = [f.CommuneFactory(departement=dep, epci=a, population=p) for p in (5000, 800)]
    communes_b = [f.CommuneFactory(departement=dep, epci=b, population=p) for p in (3000, 700, 200)]
    return {"a": a, "b": b, "communes_a": communes_a, "communes_b": communes_b}


def good_rows(territory):
    b = territory["communes_b"]
    return [
        ["CLS du Bessin", territory["a"].code, "", "Mise en œuvre et évaluation", "", "15/03/2021", "12/10/2022",
         "11/10/2027", "coord.bessin@example.fr; adjointe.bessin@example.fr", "ref14@ars.example.fr"],
        ["CLS du cœur de Bocage", territory["b"].code, f"{b[0].code} {b[1].code}", "Évaluation finale", "",
         "", "01/02/2021", "31/01/2026", "coord.bocage@example.fr", ""],
        ["CLS de la ville test", b[2].code, "", "Phase préalable", "01/09/2025", "", "", "", "", ""],
    ]


@pytest.fixture
def region_client(world):
    client = Client(raise_request_exception=True)
    client.force_login(world.users["region"])
    return client


def upload(client, file):
    return client.post(reverse("imports:contracts"), {"fichier": file})


def confirm(client, response):
    return client.post(reverse("imports:contracts_confirm"), {"token": response.context["token"]})


def snapshot():
    return (Contract.objects.count(), PendingContact.objects.count(),
            sorted(Contract.objects.values_list("nom", "phase", "version")))


def test_template_then_three_existing_cls_then_reupload_changes_nothing(region_client, world, territory):
    response = region_client.get(reverse("imports:contracts_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.label for c in COLUMNS]
    before = Contract.objects.count()
    preview = upload(region_client, xlsx(good_rows(territory)))
    assert preview.context["preview"].errors == [] and preview.context["nb_new"] == 3
    assert Contract.objects.count() == before  # the preview saves nothing
    done = confirm(region_client, preview)
    assert done.status_code == 302
    bessin = Contract.objects.get(nom="CLS du Bessin")
    assert bessin.phase == Phase.MISE_EN_OEUVRE and bessin.duree_annees == 5 and bessin.epci == territory["a"]
    assert str(bessin.date_signature) == "2022-10-12" and str(bessin.date_fin) == "2027-10-11"
    assert set(bessin.communes.all()) == set(territory["communes_a"]) and bessin.ars.region_id == "28"
    assert sorted(bessin.pending_contacts.values_list("role", "email")) == [
        ("coordinateur", "adjointe.bessin@example.fr"), ("coordinateur", "coord.bessin@example.fr"),
        ("referent", "ref14@ars.example.fr")]
    steps = {s.kind: s for s in bessin.steps.filter(annee__isnull=True)}
    assert steps[StepKind.SIGNATURE].statut == StepStatus.REALISEE  # behind the contract
    assert steps[StepKind.EVALUATION_FINALE].statut == StepStatus.A_VENIR
    assert steps[StepKind.SIGNATURE].date_prevue == bessin.date_signature  # plan stretched to the real signature
    bocage = Contract.objects.get(nom="CLS du cœur de Bocage")
    assert bocage.epci is None and bocage.communes.count() == 2 and bocage.duree_annees == 5
    ville = Contract.objects.get(nom="CLS de la ville test")
    assert ville.phase == Phase.PREALABLE and ville.collectivite.commune == territory["communes_b"][2]
    assert list(ville.communes.all()) == [territory["communes_b"][2]]
    state = snapshot()
    # The same file again: recognised, nothing created or changed.
    again = upload(region_client, xlsx(good_rows(territory)))
    assert again.context["nb_new"] == 0 and again.context["nb_existing"] == 3
    confirm(region_client, again)
    assert snapshot() == state


def _errors(response):
    return {e.row: " ; ".join(e.messages) for e in response.context["preview"].errors}


def test_bad_rows_each_get_a_french_message_and_nothing_is_created(region_client, world, territory):
    rows = good_rows(territory)
    other_commune = world.other.communes[0].code
    bad = [
        ["CLS inconnu", "200999999", "", "Phase préalable", "", "", "", "", "", ""],
        ["CLS hors région", territory["a"].code, other_commune, "Phase préalable", "", "", "", "", "", ""],
        ["CLS du Bessin", territory["a"].code, "", "Phase préalable", "", "", "", "", "", ""],
        ["CLS mauvais e-mail", territory["b"].code, "", "Phase préalable", "", "", "", "", "jean.dupont@", ""],
        ["CLS dates", territory["b"].code, "", "Mise en œuvre", "", "01/06/2023", "01/01/2023", "31/12/2027", "",
         ""],
        [world.own.contract.nom, territory["b"].code, "", "Phase préalable", "", "", "", "", "", ""],
    ]
    before = snapshot()
    response = upload(region_client, xlsx(rows + bad))
    errors = _errors(response)
    assert "Aucun EPCI n'a le SIREN 200999999" in errors[5]
    assert f"hors de la région Normandie : {other_commune}" in errors[6]
    assert "figure déjà à la ligne 2 du fichier" in errors[7]
    assert "« jean.dupont@ » n'est pas une adresse électronique valide" in errors[8]
    assert "La signature (01/01/2023) ne peut pas précéder la lettre d'intention (01/06/2023)" in errors[9]
    assert "existe déjà dans la région" in errors[10]
    assert set(errors) == {5, 6, 7, 8, 9, 10} and response.context["token"] == ""
    # Nothing can be confirmed: no token, and a forged one finds no preview.
    region_client.post(reverse("imports:contracts_confirm"), {"token": "forge"})
    assert snapshot() == before


def test_empty_file_and_header_only_are_refused_next_to_the_field(region_client):
    response = upload(region_client, SimpleUploadedFile("vide.xlsx", b""))
    assert response.context["form"].errors["fichier"]
    response = upload(region_client, xlsx([]))
    assert response.context["form"].errors["fichier"] == [
        "Le fichier ne contient que la ligne d'en-tête, aucune donnée."]


def test_fifty_thousand_rows_are_refused_with_bounded_memory(region_client, world, territory):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.label for c in COLUMNS])
    for i in range(50_000):
        ws.append([f"CLS {i}", territory["a"].code, "", "Phase préalable", "", "", "", "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    before = snapshot()
    tracemalloc.start()
    response = upload(region_client, SimpleUploadedFile("grand.xlsx", buf.getvalue()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Refused by the uploads' caps before openpyxl parses anything (its sheet inflates to ~19 Mo).
    assert response.context["form"].errors["fichier"] == [
        "Le fichier est trop volumineux une fois décompressé : un de ses éléments occupe 19,4 Mo, 8 Mo au plus."]
    assert peak < 40 * 1024 * 1024, peak
    assert snapshot() == before
    # Under the caps but past the row limit: refused while streaming, at the first row too many.
    response = upload(region_client, xlsx([[f"CLS {i}", territory["a"].code, "", "Phase préalable"] + [""] * 6
                                           for i in range(MAX_ROWS + 100)]))
    assert response.context["form"].errors["fichier"] == [
        f"Le fichier contient trop de lignes : la limite est de {MAX_ROWS}."]
    assert snapshot() == before


def test_a_confirmation_that_fails_saves_nothing(region_client, world, territory):
    """Between preview and confirmation someone created one of the contracts for another collectivité:
    the whole import is refused, the other rows are not created either."""
    rows = good_rows(territory)
    preview = upload(region_client, xlsx(rows))
    f.ContractFactory(nom="CLS du cœur de Bocage", collectivite=world.own.collectivite, ars=world.own.delegation.ars,
                      communes=territory["communes_b"], delegations=[world.own.delegation])
    before = snapshot()
    response = confirm(region_client, preview)
    assert response.status_code == 302
    assert snapshot() == before
    assert not Contract.objects.filter(nom="CLS du Bessin").exists()


def test_a_bad_date_names_its_column_its_text_and_the_expected_format(region_client, world, territory):
    """A 31 February and a year alone read « Signature : Saisissez une date valide. ; Signature : un contrat en
    « Mise en œuvre et évaluation » est signé : indiquez la date de signature. ; Fin : Saisissez une date
    valide. »: no cell text, no format, column names unlike the headers, and a second error contradicting
    the file (the signature was given, it was just not a date)."""
    row = ["CLS dates", territory["b"].code, "", "Mise en œuvre et évaluation", "", "12/03/2022", "31/02/2023",
           "2028", "", ""]
    response = upload(region_client, xlsx([row]))
    errors = _errors(response)
    assert errors[2] == ("Date de signature : « 31/02/2023 » n'est pas une date valide (format JJ/MM/AAAA, par "
                         "exemple 15/03/2021). ; Date de fin : « 2028 » n'est pas une date valide (format "
                         "JJ/MM/AAAA, par exemple 15/03/2021).")
    # As the page says it: one sentence, its parts joined by « ; » without a full stop before each.
    shown = {e.row: str(e) for e in response.context["preview"].errors}
    assert shown[2] == ("Ligne 2 : Date de signature : « 31/02/2023 » n'est pas une date valide (format JJ/MM/AAAA, "
                        "par exemple 15/03/2021) ; Date de fin : « 2028 » n'est pas une date valide (format "
                        "JJ/MM/AAAA, par exemple 15/03/2021).")
    assert shown[2] in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_oe_typed_without_the_ligature_is_the_same_phase(region_client, world, territory):
    """« Mise en oeuvre » (as most keyboards type it) was refused as an unknown phase, the list of phases
    beside it showing « Mise en œuvre et évaluation » as the only difference."""
    rows = good_rows(territory)
    rows[0][3] = "Mise en oeuvre et évaluation"
    rows[1][3] = "EVALUATION FINALE"
    response = upload(region_client, xlsx(rows))
    assert _errors(response) == {}
    confirm(region_client, response)
    assert Contract.objects.get(nom="CLS du Bessin").phase == Phase.MISE_EN_OEUVRE
    # A contract name written with or without the ligature is the same contract: re-uploading changes nothing.
    rows[1][0] = "CLS du coeur de Bocage"
    before = snapshot()
    response = upload(region_client, xlsx(rows))
    assert _errors(response) == {} and response.context["nb_new"] == 0
    confirm(region_client, response)
    assert snapshot() == before


def test_the_confirmation_message_agrees_in_french(region_client, world, territory):
    """It read « 3 contrat(s) importé(s), 0 déjà présent(s) laissé(s) tel(s) quel(s) ; 4 adresse(s) … »."""
    from django.contrib.messages import get_messages

    response = upload(region_client, xlsx(good_rows(territory)))
    done = confirm(region_client, response)
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "3 contrats importés, 0 déjà présent laissé tel quel ; 4 contacts (coordinateurs et référents) à inviter "
        "depuis la page « Personnes » de chaque contrat."]
    done = confirm(region_client, upload(region_client, xlsx(good_rows(territory)[:1])))
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "0 contrat importé, 1 déjà présent laissé tel quel ; 0 contact (coordinateurs et référents) à inviter "
        "depuis la page « Personnes » de chaque contrat."]


def test_the_yearly_reviews_of_past_years_are_not_left_overdue(region_client, world, territory):
    """A CLS signed in October 2022 came in with « Évaluation continue 2022, 2023, 2024, 2025 » all « à venir », so
    overdue: the région's first dashboard opened on dozens of « étapes en retard » of years the portal never
    followed. Those reviews are done on their planned date, as the phases behind the contract; this year's and
    later ones are still to come."""
    from django.utils import timezone

    this_year = timezone.localdate().year
    rows = good_rows(territory)
    # Signed four years ago in October, for five years: whatever the year the test runs, past years' reviews and
    # this year's are all there.
    rows[0][6:8] = [f"12/10/{this_year - 4}", f"11/10/{this_year + 1}"]
    confirm(region_client, upload(region_client, xlsx(rows)))
    bessin = Contract.objects.get(nom="CLS du Bessin")
    reviews = {s.annee: s for s in bessin.steps.filter(kind=StepKind.EVALUATION_CONTINUE)}
    assert reviews and min(reviews) < this_year <= max(reviews)
    for year, step in reviews.items():
        if year < this_year:
            assert (step.statut, step.date_realisee) == (StepStatus.REALISEE, step.date_prevue), year
        else:
            assert step.statut == StepStatus.A_VENIR, year
    overdue = [s.titre for s in bessin.steps.all() if s.is_overdue(timezone.localdate())]
    assert not any(t.startswith("Évaluation continue") and str(this_year) not in t for t in overdue), overdue
