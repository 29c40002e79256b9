"""Import of indicator tables with a preview (nothing saved before confirmation, nothing at all if a row is
wrong) and export to CSV / XLSX that re-imports as it is."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from diagnostics.models import Diagnostic, Indicateur

pytestmark = pytest.mark.django_db

HEADER = "Thème;Libellé;Valeur;Département;Région;France;Unité;Source;Année\n"
GOOD = ("Population;Part des 75 ans et plus;13,2;11,9;11,1;9,8;%;INSEE;2021\n"
        "Offre de soins;Médecins généralistes;6,8;8,1;8,3;9;pour 10 000 hab.;Assurance maladie;2023\n")
BAD = "Santé mentale;Taux de passages aux urgences pour motif psychiatrique;beaucoup;;;;‰;ORS Normandie;2022\n"
UNKNOWN_THEME = "Loisirs;Piscines;2;;;;;;2022\n"


def _upload(client, diagnostic, text, name="indicateurs.csv"):
    return client.post(reverse("diagnostics:import", kwargs={"pk": diagnostic.pk}),
                       {"fichier": SimpleUploadedFile(name, text.encode("utf-8"))})


@pytest.fixture
def coord(client, world):
    client.force_login(world.users["coordinateur"])
    return client


def test_a_file_with_bad_rows_is_reported_row_by_row_and_nothing_is_saved(coord, world):
    d = world.own.diagnostic
    before = Indicateur.objects.count()
    response = _upload(coord, d, HEADER + GOOD + BAD + UNKNOWN_THEME)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 lignes en erreur sur 4 : aucune ligne n'a été enregistrée" in page
    assert "Ligne 4" in page and "Valeur du territoire : Saisissez un nombre." in page
    assert "Ligne 5" in page and "Thème : thème inconnu" in page
    assert "Confirmer l'import" not in page
    assert Indicateur.objects.count() == before
    assert Diagnostic.objects.get(pk=d.pk).version == d.version


def test_a_valid_file_is_previewed_then_saved_only_on_confirmation(coord, world):
    d = world.own.diagnostic
    before = d.indicateurs.count()
    response = _upload(coord, d, HEADER + GOOD)
    page = response.content.decode()
    assert "Confirmer l'import de 2 indicateurs" in page and "Part des 75 ans et plus" in page
    assert d.indicateurs.count() == before  # preview only
    token = response.context["confirm_form"].initial["token"]
    response = coord.post(reverse("diagnostics:import", kwargs={"pk": d.pk}), {"token": token, "version": d.version})
    assert response.status_code == 302 and response["Location"].endswith("#indicateurs")
    assert d.indicateurs.count() == before + 2
    ind = d.indicateurs.get(libelle="Part des 75 ans et plus")
    assert (ind.theme, ind.valeur, ind.valeur_france, ind.unite, ind.source, ind.annee) == (
        "population", Decimal("13.2"), Decimal("9.8"), "%", "INSEE", 2021)
    # The same confirmation twice does not import twice.
    coord.post(reverse("diagnostics:import", kwargs={"pk": d.pk}), {"token": token, "version": d.version})
    assert d.indicateurs.count() == before + 2


def test_confirmation_after_someone_else_changed_the_diagnostic_is_refused(coord, world):
    d = world.own.diagnostic
    response = _upload(coord, d, HEADER + GOOD)
    token = response.context["confirm_form"].initial["token"]
    Diagnostic.objects.filter(pk=d.pk).update(version=d.version + 1)
    response = coord.post(reverse("diagnostics:import", kwargs={"pk": d.pk}), {"token": token, "version": d.version},
                          follow=True)
    assert "modifiée par une autre personne" in response.content.decode()
    assert not d.indicateurs.filter(libelle="Part des 75 ans et plus").exists()


def test_junk_file_gets_a_message_next_to_the_field(coord, world):
    response = _upload(coord, world.own.diagnostic, "Nom;Chiffre\nx;1\n")
    page = response.content.decode()
    assert response.status_code == 200 and "Colonne(s) manquante(s) : Thème, Libellé, Valeur" in page
    assert "fr-upload-group--error" in page


def test_export_csv_and_xlsx_reimport_as_they_are(coord, world):
    d = world.own.diagnostic
    _upload(coord, d, HEADER + GOOD)
    url = reverse("diagnostics:export", kwargs={"pk": d.pk})
    csv_text = b"".join(coord.get(url + "?format=csv").streaming_content).decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "Thème;Libellé;Valeur;Département;Région;France;Unité;Source;Année"
    assert "Offre de soins;Densité de médecins généralistes" in csv_text and ";6,8;8,1;8,3;9;" in csv_text
    response = coord.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thème", "Libellé", "Valeur") and len(rows) == 1 + d.indicateurs.count()
    # Round trip: the XLSX export re-imports cleanly (same number of rows in the preview).
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    response = coord.post(reverse("diagnostics:import", kwargs={"pk": d.pk}),
                          {"fichier": SimpleUploadedFile("export.xlsx", buf.getvalue())})
    assert response.context["preview"].is_valid and len(response.context["preview"].rows) == len(rows) - 1
    response = coord.post(reverse("diagnostics:import", kwargs={"pk": d.pk}),
                          {"fichier": SimpleUploadedFile("export.csv", csv_text.encode())})
    assert response.context["preview"].is_valid
