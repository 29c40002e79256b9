"""cls_portal.core.tabular: generic CSV/XLSX import with preview (lives here because the diagnostics
engineer owns it; the action-plan import reuses it)."""

import io
from decimal import Decimal

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cls_portal.core.tabular import (
    ImportColumn,
    TabularError,
    discard_preview,
    load_preview,
    normalise_header,
    parse_import,
    read_table,
    store_preview,
)

COLUMNS = [
    ImportColumn("libelle", "Libellé", aliases=["indicateur"]),
    ImportColumn("valeur", "Valeur"),
    ImportColumn("annee", "Année", required=False),
]


class RowForm(forms.Form):
    libelle = forms.CharField(label="Libellé", max_length=50)
    valeur = forms.DecimalField(label="Valeur", localize=True)
    annee = forms.IntegerField(label="Année", required=False, min_value=1990, max_value=2100)


def upload(text, name="table.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text)


def xlsx(rows, name="table.xlsx"):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_normalise_header():
    assert normalise_header("  Libellé ") == "libelle"
    assert normalise_header("Valeur Département (%)") == "valeur_departement"
    assert normalise_header("ANNÉE") == "annee"
    assert normalise_header(None) == ""


@pytest.mark.parametrize("text", [
    "Libellé;Valeur;Année\nMédecins;12,5;2023\nPharmacies;3;\n",
    "\ufeffLibellé;Valeur;Année\r\nMédecins;12,5;2023\r\nPharmacies;3;\r\n",
    'libelle,valeur,annee\nMédecins,"12,5",2023\nPharmacies,3,\n',
])
def test_csv_delimiters_and_bom(text):
    preview = parse_import(upload(text), columns=COLUMNS, validator=RowForm)
    assert preview.is_valid
    assert [r for _, r in preview.rows] == [
        {"libelle": "Médecins", "valeur": "12,5", "annee": "2023"},
        {"libelle": "Pharmacies", "valeur": "3", "annee": ""},
    ]


def test_row_errors_carry_spreadsheet_row_number_and_field_label():
    text = "Indicateur;Valeur\nMédecins;12\nSans valeur;abc\n;4\n"
    preview = parse_import(upload(text), columns=COLUMNS, validator=RowForm)
    assert not preview.is_valid
    assert [n for n, _ in preview.rows] == [2]
    assert [e.row for e in preview.errors] == [3, 4]
    assert str(preview.errors[0]).startswith("Ligne 3 : Valeur : ")
    assert "Libellé" in str(preview.errors[1])
    assert preview.total == 3


def test_blank_rows_keep_their_place_in_the_numbering():
    text = "\nLibellé;Valeur\nMédecins;12\n;\n\nSans valeur;abc\n"
    preview = parse_import(upload(text), columns=COLUMNS, validator=RowForm)
    assert [n for n, _ in preview.rows] == [3]
    assert [e.row for e in preview.errors] == [6]  # as the spreadsheet shows it
    preview = parse_import(xlsx([["Libellé", "Valeur"], [None, None], ["IDE", "x"]]), columns=COLUMNS,
                           validator=RowForm)
    assert preview.errors[0].row == 3


def test_xlsx_read_only_with_numbers():
    preview = parse_import(xlsx([["Libellé", "Valeur", "Année", "Commentaire"], ["Médecins", 12.5, 2023, "x"],
                                 [None, None, None, None], ["IDE", 7, None, None]]),
                           columns=COLUMNS, validator=RowForm)
    assert preview.is_valid
    assert preview.rows[0] == (2, {"libelle": "Médecins", "valeur": "12.5", "annee": "2023"})
    assert preview.rows[1] == (4, {"libelle": "IDE", "valeur": "7", "annee": ""})
    assert preview.ignored_headers == ["Commentaire"]


def test_callable_validator():
    def validate(row):
        if row["libelle"] == "interdit":
            raise ValidationError("Libellé interdit.")
        return {"libelle": row["libelle"].upper()}

    preview = parse_import(upload("Libellé;Valeur\nok;1\ninterdit;2\n"), columns=COLUMNS, validator=validate)
    assert preview.errors[0].messages == ["Libellé interdit."] and preview.errors[0].row == 3


@pytest.mark.parametrize("content,name,message", [
    (b"", "vide.csv", "Le fichier est vide."),
    (b"\n\n ;; \n", "vide.csv", "Le fichier est vide."),
    (b"Libell\xe9;Valeur\nx;1\n", "latin1.csv", "UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv", "contenu binaire"),
    (b"PK\x03\x04not really a zip", "faux.xlsx", "n'a pas pu être lu"),
    (b"\xd0\xcf\x11\xe0", "ancien.xls", ".xls"),
    (b"Nom;Chiffre\nx;1\n", "mauvais.csv", "Colonne(s) manquante(s) : Libellé, Valeur"),
    ("Libellé;Valeur\n".encode(), "entete.csv", "que la ligne d'en-tête"),
])
def test_junk_files_get_a_french_message(content, name, message):
    with pytest.raises(TabularError) as exc:
        parse_import(SimpleUploadedFile(name, content), columns=COLUMNS, validator=RowForm)
    assert message in exc.value.message
    assert exc.value.field == "fichier"


def test_size_and_row_limits():
    with pytest.raises(TabularError, match="trop volumineux"):
        read_table(upload("Libellé;Valeur\n" + "x;1\n" * 100), max_bytes=100)
    with pytest.raises(TabularError, match="trop de lignes"):
        read_table(upload("Libellé;Valeur\n" + "x;1\n" * 11), max_rows=10)
    header, body = read_table(upload("Libellé;Valeur\n" + "x;1\n" * 10), max_rows=10)
    assert len(body) == 10


@pytest.mark.django_db
def test_preview_survives_the_session_and_revalidates():
    session = SessionStore()
    preview = parse_import(upload("Libellé;Valeur\nMédecins;12,5\n"), columns=COLUMNS, validator=RowForm)
    token = store_preview(session, "k", preview)
    session.save()
    reloaded = SessionStore(session_key=session.session_key)
    assert load_preview(reloaded, "k", "mauvais-jeton") is None
    kept = load_preview(reloaded, "k", token)
    assert kept.revalidate(RowForm) == [{"libelle": "Médecins", "valeur": Decimal("12.5"), "annee": None}]
    discard_preview(reloaded, "k")
    assert load_preview(reloaded, "k", token) is None


def test_revalidate_refuses_a_preview_with_errors_or_rows_now_invalid():
    bad = parse_import(upload("Libellé;Valeur\nok;1\nko;x\n"), columns=COLUMNS, validator=RowForm)
    with pytest.raises(TabularError, match="Aucune ligne n'a été enregistrée"):
        bad.revalidate(RowForm)

    good = parse_import(upload("Libellé;Valeur\nok;1\n"), columns=COLUMNS, validator=RowForm)

    class Stricter(RowForm):
        def clean_libelle(self):
            raise ValidationError("Ce libellé existe déjà.")

    with pytest.raises(TabularError, match="Ligne 2 : Libellé : Ce libellé existe déjà."):
        good.revalidate(Stricter)
