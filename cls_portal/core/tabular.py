"""Import of CSV / XLSX tables in two steps: preview (nothing saved), then confirmation (all or nothing).

    COLUMNS = [ImportColumn("libelle", "Libellé", aliases=["indicateur"]), ImportColumn("valeur", "Valeur")]
    preview = parse_import(request.FILES["fichier"], columns=COLUMNS, validator=IndicateurRowForm)
    # show preview.rows / preview.errors; keep it for the confirmation step:
    token = store_preview(request.session, "diagnostic-12-indicateurs", preview)
    ...
    preview = load_preview(request.session, "diagnostic-12-indicateurs", token)   # None: expired
    cleaned_rows = preview.revalidate(IndicateurRowForm)                          # DomainError if a row broke

Where the preview lives between the two steps: in the user's session (database-backed sessions).
It is per user, expires with the session, needs no table of its own and no clean-up job; the row
limit keeps it small. Only the *raw* cell texts are kept (JSON-friendly); the confirmation step
validates them again with the same form, so what is saved is exactly what a fresh validation
accepts (rules may have changed in between, e.g. a row added by someone else).

Whole-file problems (empty, binary, unreadable, too big, wrong headers) raise `TabularError`, a
`DomainError` on the field `fichier`: views show it next to the upload field, never a 500.
Row problems are collected, in French, with the row number as the user sees it in a spreadsheet
(the header is row 1).

Bounded resources (every import goes through `read_numbered_table`): the file is at most
`MAX_BYTES`; an XLSX is first checked by `cls_portal.core.uploads` (entry count, declared and real
inflated sizes, compression ratio: `uploads.TABLE_LIMITS`) and only then parsed by openpyxl in
read-only (streaming) mode, with at most `max_rows` rows, `MAX_COLUMNS` columns and `MAX_CELL_CHARS`
characters per cell; the first cell past a limit stops the reading with a French error. CSV has the
same row, column and cell limits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from . import uploads
from .errors import DomainError
from .validation import PortalForm

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 10_000
XLSX_MAGIC = b"PK\x03\x04"


class TabularError(DomainError):
    def __init__(self, message: str):
        super().__init__(message, field="fichier", code="import")


@dataclass(frozen=True)
class ImportColumn:
    """`key`: the validator's field name; `label`: the expected header; `aliases`: other accepted headers."""

    key: str
    label: str
    required: bool = True
    aliases: tuple[str, ...] | list[str] = ()

    def accepted(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, self.label, *self.aliases)}


@dataclass
class RowError:
    row: int
    messages: list[str]

    def __str__(self):
        """« Ligne 4 : la date de fin précède la date de début ; Date : Saisissez une date valide. »: one sentence,
        its parts joined by « ; » without the full stop each message ends with."""
        parts = [m.rstrip() for m in self.messages]
        parts = [p[:-1] if p.endswith(".") and not p.endswith("..") else p for p in parts]
        return f"Ligne {self.row} : " + " ; ".join(parts) + "."


@dataclass
class ImportPreview:
    """Rows read from a file. `rows`: (row number, raw values by key) of valid rows; `errors`: the others."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    filename: str = ""
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.errors)

    def to_dict(self) -> dict:
        return {"rows": [[n, r] for n, r in self.rows], "errors": [[e.row, e.messages] for e in self.errors],
                "filename": self.filename, "ignored_headers": self.ignored_headers}

    @classmethod
    def from_dict(cls, data: dict) -> ImportPreview:
        return cls(rows=[(n, r) for n, r in data["rows"]], errors=[RowError(n, m) for n, m in data["errors"]],
                   filename=data.get("filename", ""), ignored_headers=data.get("ignored_headers", []))

    def revalidate(self, validator) -> list[dict]:
        """Validate the kept rows again (at confirmation) and return their cleaned values.

        Raises DomainError when the preview had errors or a row no longer passes: nothing must be saved.
        """
        if not self.is_valid:
            raise TabularError("Le fichier contient des erreurs : corrigez-les puis importez-le de nouveau. "
                               "Aucune ligne n'a été enregistrée.")
        cleaned, errors = [], []
        for number, raw in self.rows:
            ok, value = _validate(validator, raw)
            if ok:
                cleaned.append(value)
            else:
                errors.append(RowError(number, value))
        if errors:
            raise TabularError("Des lignes ne sont plus valides, aucune n'a été enregistrée : "
                               + " — ".join(str(e) for e in errors))
        return cleaned


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def normalise_header(text) -> str:
    """`' Valeur  Département (%)'` -> `valeur_departement`: lower case, no accents, words joined by `_`."""
    # œ and æ have no decomposition: without this, « Mise en œuvre » and « Mise en oeuvre » (as typed on most
    # keyboards) would both lose the letters and never match each other.
    text = str(text or "").translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    if "(" in text:
        text = text.split("(", 1)[0]
    out, sep = [], False
    for ch in text:
        if ch.isalnum():
            if sep and out:
                out.append("_")
            out.append(ch)
            sep = False
        else:
            sep = True
    return "".join(out)


def read_table(uploaded, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> tuple[list[str], list[list[str]]]:
    """Header cells and data rows (lists of text) of an uploaded CSV or XLSX file."""
    header, body = read_numbered_table(uploaded, max_bytes=max_bytes, max_rows=max_rows)
    return header, [cells for _, cells in body]


def read_numbered_table(uploaded, *, max_bytes: int = MAX_BYTES,
                        max_rows: int = MAX_ROWS) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header cells and `(row number, cells)` of the data rows. Blank rows are skipped but keep their place
    in the numbering, so "ligne 7" is row 7 of the user's spreadsheet."""
    if uploaded is None:
        raise TabularError("Choisissez un fichier CSV ou Excel (XLSX).")
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise TabularError(f"Le fichier est trop volumineux ({uploads.human_size(size)}) : la limite est de "
                           f"{uploads.limit_size(max_bytes)}.")
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TabularError(f"Le fichier est trop volumineux : la limite est de {uploads.limit_size(max_bytes)}.")
    if not data.strip():
        raise TabularError("Le fichier est vide.")
    name = (getattr(uploaded, "name", "") or "").lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(data, max_rows)
    elif name.endswith(".xls"):
        raise TabularError("L'ancien format Excel (.xls) n'est pas pris en charge : enregistrez le fichier "
                           "au format .xlsx ou .csv.")
    else:
        rows = _read_csv(data, max_rows)
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(str(c).strip() for c in r)]
    if not numbered:
        raise TabularError("Le fichier est vide.")
    (_, header), body = numbered[0], numbered[1:]
    if len(body) > max_rows:
        raise TabularError(f"Le fichier contient trop de lignes ({len(body)}) : la limite est de {max_rows}.")
    if not body:
        raise TabularError("Le fichier ne contient que la ligne d'en-tête, aucune donnée.")
    return header, body


def parse_import(uploaded, *, columns: list[ImportColumn], validator, max_bytes: int = MAX_BYTES,
                 max_rows: int = MAX_ROWS) -> ImportPreview:
    """Read the file, map its headers to `columns`, validate each row. Saves nothing.

    `validator`: a Form class (bound with the row's values by key) or a callable `row -> cleaned`
    raising `ValidationError`.
    """
    header, body = read_numbered_table(uploaded, max_bytes=max_bytes, max_rows=max_rows)
    index, ignored = _map_headers(header, columns)
    preview = ImportPreview(filename=getattr(uploaded, "name", "") or "", ignored_headers=ignored)
    for number, cells in body:
        raw = {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()}
        ok, value = _validate(validator, raw)
        if ok:
            preview.rows.append((number, raw))
        else:
            preview.errors.append(RowError(number, value))
    return preview


def store_preview(session, key: str, preview: ImportPreview) -> str:
    """Keep the preview in the session for the confirmation step; returns the token the form posts back."""
    token = secrets.token_urlsafe(12)
    session[f"import:{key}"] = {"token": token, "preview": preview.to_dict()}
    return token


def load_preview(session, key: str, token: str) -> ImportPreview | None:
    """The preview stored under `key` if `token` matches (else None: expired or replaced by a newer upload)."""
    stored = session.get(f"import:{key}")
    if not stored or not token or not secrets.compare_digest(str(stored.get("token")), str(token)):
        return None
    return ImportPreview.from_dict(stored["preview"])


def discard_preview(session, key: str) -> None:
    session.pop(f"import:{key}", None)


class ImportUploadForm(PortalForm):
    fichier = forms.FileField(label="Fichier à importer",
                              help_text="Formats acceptés : CSV (séparateur point-virgule ou virgule, UTF-8) "
                                        "ou Excel (.xlsx). Première ligne : les en-têtes de colonnes.")


class ImportConfirmForm(PortalForm):
    token = forms.CharField(widget=forms.HiddenInput)


# --- internals -----------------------------------------------------------------------------------

def _map_headers(header: list[str], columns: list[ImportColumn]) -> tuple[dict[str, int], list[str]]:
    index: dict[str, int] = {}
    ignored = []
    for i, cell in enumerate(header):
        norm = normalise_header(cell)
        col = next((c for c in columns if norm and norm in c.accepted()), None)
        if col is None or col.key in index:
            if str(cell).strip():
                ignored.append(str(cell).strip())
            continue
        index[col.key] = i
    missing = [c.label for c in columns if c.required and c.key not in index]
    if missing:
        expected = ", ".join(f"« {c.label} »" for c in columns)
        raise TabularError(
            f"Colonne(s) manquante(s) : {', '.join(missing)}. La première ligne du fichier doit contenir les "
            f"en-têtes suivants : {expected}.")
    return index, ignored


def _validate(validator, raw: dict) -> tuple[bool, object]:
    if isinstance(validator, type) and issubclass(validator, forms.BaseForm):
        form = validator(data=raw)
        if form.is_valid():
            return True, form.cleaned_data
        messages = []
        for name, errs in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for err in errs:
                messages.append(f"{label} : {err}" if label else str(err))
        return False, messages
    try:
        return True, validator(raw)
    except ValidationError as exc:
        return False, [str(m) for m in exc.messages]
    except DomainError as exc:
        return False, [exc.message]


def _read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise TabularError("Ce fichier n'est pas un tableau CSV ou Excel lisible (contenu binaire).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularError("Le fichier CSV doit être encodé en UTF-8. Dans votre tableur, choisissez "
                           "« Enregistrer sous » puis « CSV UTF-8 ».") from None
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = []
    i = 0
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
            if i > max_rows + 1:
                raise TabularError(f"Le fichier contient trop de lignes : la limite est de {max_rows}.")
            rows.append(_checked_row(i + 1, row))
    except csv.Error as exc:
        raise TabularError(f"Le fichier CSV est mal formé (ligne {i + 2}).") from exc
    return rows


def _checked_row(number: int, cells) -> list[str]:
    """The row's cells as text, refused past `MAX_COLUMNS` filled columns or `MAX_CELL_CHARS` characters."""
    cells = list(cells)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise TabularError(f"La ligne {number} a trop de colonnes ({len(cells)}) : la limite est de {MAX_COLUMNS}.")
    out = []
    for col, value in enumerate(cells, start=1):
        text = value if isinstance(value, str) else _xlsx_text(value)
        if len(text) > MAX_CELL_CHARS:
            raise TabularError(f"La cellule {_column_letter(col)}{number} contient {len(text)} caractères : la limite "
                               f"est de {MAX_CELL_CHARS}.")
        out.append(text)
    return out


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_UNREADABLE = ("Le fichier Excel n'a pas pu être lu : vérifiez qu'il s'agit bien d'un fichier .xlsx non protégé "
               "par un mot de passe.")


def _read_xlsx(data: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook

    # Bounded first: entry count, declared and real inflated sizes, ratio (nothing parsed yet). After
    # `verify_zip`, openpyxl's own reads of the archive cannot inflate more than TABLE_LIMITS allow.
    try:
        fileobj = io.BytesIO(data)
        zf = uploads.open_zip(fileobj, limits=uploads.TABLE_LIMITS)
        uploads.verify_zip(zf, fileobj, limits=uploads.TABLE_LIMITS)
    except DomainError as err:
        raise TabularError(_UNREADABLE if err.code == "damaged" else err.message) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException...) on junk
        raise TabularError(_UNREADABLE) from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise TabularError("Le fichier Excel ne contient aucune feuille.")
        rows = []
        # Explicit bounds: read-only sheets pad every row to the width their <dimension> claims
        # (A1:XFD1048576 is 16 384 columns), and fill gaps up to the next row number.
        for i, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1, max_row=max_rows + 3)):
            if i > max_rows + 1:
                raise TabularError(f"Le fichier contient trop de lignes : la limite est de {max_rows}.")
            rows.append(_checked_row(i + 1, row))
        return rows
    except TabularError:
        raise
    except Exception:
        raise TabularError("Le fichier Excel n'a pas pu être lu.") from None
    finally:
        wb.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


__all__ = ["ImportColumn", "ImportPreview", "RowError", "TabularError", "parse_import", "read_table",
           "read_numbered_table",
           "store_preview", "load_preview", "discard_preview", "normalise_header", "ImportUploadForm",
           "ImportConfirmForm"]
