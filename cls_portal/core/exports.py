"""CSV / XLSX exports with the columns the user picks, over the rows of a filtered list.

    COLUMNS = [Column("nom", "Contrat", lambda c: c.nom), Column("population", "Population", lambda c: c.population)]
    form = ColumnChoiceForm(request.GET, columns=COLUMNS)
    if form.is_valid():
        return export_response(queryset, form.selected_columns(), form.cleaned_data["format"], "contrats")

The queryset must already be scoped to the user and filtered like the list page (same filterset),
and prefetched so that the column getters make no query per row. Rows are streamed in chunks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from .formatting import spreadsheet_number
from .validation import PortalForm, strip_controls


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    get: Callable
    default: bool = True


class ColumnChoiceForm(PortalForm):
    FORMATS = [("csv", "CSV (séparateur point-virgule)"), ("xlsx", "Excel (XLSX)")]
    format = forms.ChoiceField(label="Format", choices=FORMATS, initial="csv")
    colonnes = forms.MultipleChoiceField(label="Colonnes", widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, columns: list[Column], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.fields["colonnes"].choices = [(c.key, c.label) for c in columns]
        self.fields["colonnes"].initial = [c.key for c in columns if c.default]

    def selected_columns(self) -> list[Column]:
        keys = self.cleaned_data.get("colonnes") or [c.key for c in self.columns if c.default]
        return [c for c in self.columns if c.key in keys]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _csv_text(value):
    value = _cell(value)
    if isinstance(value, (Decimal, float)):
        return spreadsheet_number(value)
    text = str(value)
    # Neutralise spreadsheet formulas (CSV injection) in user-typed text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", "."))
        return True
    except Exception:
        return False


def _rows(objects: Iterable, columns: list[Column]):
    iterator = objects.iterator(chunk_size=2000) if hasattr(objects, "iterator") and not getattr(
        objects, "_prefetch_related_lookups", None) else objects
    for obj in iterator:
        yield [c.get(obj) for c in columns]


class _Echo:
    def write(self, value):
        return value


def export_response(objects: Iterable, columns: list[Column], fmt: str, basename: str):
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(basename[:31])
        ws.append([c.label for c in columns])
        for row in _rows(objects, columns):
            ws.append([_xlsx_cell(v, ws) for v in row])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.xlsx"'
        return response
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"  # BOM: Excel opens UTF-8 accents correctly
        yield writer.writerow([c.label for c in columns])
        for row in _rows(objects, columns):
            yield writer.writerow([_csv_text(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
    return response


DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def _xlsx_cell(value, ws=None):
    # Dates stay dates in a spreadsheet (sorted and filtered as dates, not as « 01/07/2022 » text, which sorts by
    # day), shown the French way; an aware datetime in local time (Excel has no time zones).
    if isinstance(value, dt.date) and ws is not None:
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            fmt = DATETIME_FORMAT
        else:
            fmt = DATE_FORMAT
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = fmt
        return cell
    value = _cell(value)
    if isinstance(value, str):
        # Input is cleaned of control characters (core.validation); rows saved before that, or written by
        # other paths, must not make the whole export fail (openpyxl's IllegalCharacterError).
        value = strip_controls(value, multiline=True)
        if value[:1] in ("=", "+", "-", "@") and not _is_number(value):
            return "'" + value
    return value
