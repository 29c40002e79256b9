"""The downloadable templates of the imports: a first sheet with the headers, an example and a help sheet."""

from __future__ import annotations

import io

from cls_portal.core.tabular import ImportColumn


def template_workbook(*, title: str, columns: list[ImportColumn], examples: list[list], help_lines: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([c.label for c in columns])
    for i, col in enumerate(columns, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(16, min(48, len(col.label) + 2))
    example = wb.create_sheet("Exemple")
    example.append([c.label for c in columns])
    for row in examples:
        example.append(row)
    help_ws = wb.create_sheet("Aide")
    for line in help_lines:
        help_ws.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
