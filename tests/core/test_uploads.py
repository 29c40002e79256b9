"""The bounded upload reader (cls_portal.core.uploads) and the spreadsheet limits (cls_portal.core.tabular)."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cls_portal.core import uploads
from cls_portal.core.tabular import MAX_CELL_CHARS, MAX_COLUMNS, TabularError, read_table
from tests.contracts.files import PDF
from tests.security import bombs


def _refused(content, name="a.odt", **kwargs):
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(SimpleUploadedFile(name, content), **kwargs)
    return exc.value


def test_size_message_never_says_the_file_equals_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    err = _refused(b"%PDF-" + b"0" * (20 * 1024 * 1024 + 14), name="gros.pdf")
    assert err.message == ("Le fichier est trop volumineux (20,1 Mo) : la taille maximale est de 20 Mo.")


def test_forged_mimetype_member_is_refused_after_one_chunk_not_inflated():
    bomb = bombs.odt_bomb(200, forged=True)
    tracemalloc.start()
    err = _refused(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "compressé est anormal" in err.message and err.field == "fichier"
    assert peak < 5 * 1024 * 1024  # zipfile.read() took 200 MB here


def test_honest_bomb_is_refused_on_its_declared_sizes():
    assert "compressé est anormal" in _refused(bombs.odt_bomb(50)).message


def test_bzip2_members_and_encrypted_members_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("mimetype", bombs.ODT_MIMETYPE)
    assert "méthode de compression" in _refused(buf.getvalue()).message
    member = bombs.member("mimetype", bombs.ODT_MIMETYPE)
    raw = bytearray(bombs.build_zip([member]))
    raw[6] |= 1  # encrypted flag, local header
    raw[raw.index(b"PK\x01\x02") + 8] |= 1  # and central directory
    assert "mot de passe" in _refused(bytes(raw)).message


def test_too_many_entries_refused_before_zipfile_reads_the_directory():
    members = [bombs.member(f"f{i}", b"", zipfile.ZIP_STORED) for i in range(uploads.TABLE_LIMITS.max_members + 1)]
    with pytest.raises(uploads.UploadError, match="trop d'éléments"):
        uploads.open_zip(io.BytesIO(bombs.build_zip(members)), limits=uploads.TABLE_LIMITS)


def test_a_real_odt_is_still_accepted():
    odt = bombs.build_zip([bombs.member("mimetype", bombs.ODT_MIMETYPE, zipfile.ZIP_STORED),
                           bombs.member("content.xml", b"<office:document-content/>" * 1000)])
    assert uploads.check_upload(SimpleUploadedFile("cr.odt", odt)).content_type.endswith("opendocument.text")


def test_funding_decision_html_named_pdf_is_refused():
    err = _refused(b"<html><script>alert(1)</script></html>", name="decision.pdf", accepted={".pdf"},
                   field="document")
    assert "ne correspond pas à son extension « .pdf »" in err.message and err.field == "document"
    assert _refused(PDF, name="decision.docx", accepted={".pdf"}, field="document").message.startswith(
        "Ce type de fichier n'est pas accepté. Formats acceptés : PDF.")


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("t.xlsx", buf.getvalue())


def test_xlsx_cell_too_long_refused_with_its_cell_name():
    with pytest.raises(TabularError, match=f"La cellule B2 contient {MAX_CELL_CHARS + 1} caractères"):
        read_table(_xlsx([["Libellé", "Valeur"], ["a", "x" * (MAX_CELL_CHARS + 1)]]))


def test_xlsx_too_many_columns_refused():
    with pytest.raises(TabularError, match=f"la limite est de {MAX_COLUMNS}"):
        read_table(_xlsx([["h"] * (MAX_COLUMNS + 1), ["v"] * (MAX_COLUMNS + 1)]))


def test_xlsx_claiming_the_whole_sheet_is_read_within_the_limits():
    """A <dimension ref="A1:XFD1048576"/> does not make the reader pad every row to 16 384 columns."""
    content = bombs.xlsx(["Libellé", "Valeur"]).replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    header, body = read_table(SimpleUploadedFile("t.xlsx", content))
    assert header == ["Libellé", "Valeur"] and body == [["x", "x"]]


def test_csv_cell_and_column_limits():
    with pytest.raises(TabularError, match="La cellule A2"):
        read_table(SimpleUploadedFile("t.csv", ("a;b\n" + "x" * (MAX_CELL_CHARS + 1) + ";1\n").encode()))
    with pytest.raises(TabularError, match="trop de colonnes"):
        read_table(SimpleUploadedFile("t.csv", (";".join(["h"] * 70) + "\n" + ";".join(["v"] * 70)).encode()))
