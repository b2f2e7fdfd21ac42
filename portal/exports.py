"""The one writer of every CSV and XLSX export (issue 14 #8: formula injection).

A spreadsheet evaluates a cell whose text starts with ``= + - @``, a tab or a carriage return: a 批准文号 of
``=HYPERLINK("http://evil","点此")`` became a live link in the rounds report. Every export — CSV or XLSX, in
every app — builds its rows through this module, which gives such text a leading apostrophe (shown as text,
never evaluated). Numbers, dates and empty cells pass unchanged.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def neutralise(value):
    """A cell a spreadsheet would evaluate gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row):
    return [neutralise(str(v) if _is_lazy(v) else v) for v in row]


def _is_lazy(value):
    return type(value).__name__ == "__proxy__"  # gettext_lazy text: written as the string it renders to


class SafeSheet:
    """An openpyxl worksheet whose ``append`` neutralises each cell; anything else is the worksheet's."""

    def __init__(self, worksheet):
        self._ws = worksheet

    def append(self, row):
        self._ws.append(safe_row(row))

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def __getitem__(self, key):
        return self._ws[key]


def workbook(title=None):
    """A new workbook and its first sheet (wrapped)."""
    wb = Workbook()
    if title:
        wb.active.title = title
    return wb, SafeSheet(wb.active)


def add_sheet(wb, title):
    return SafeSheet(wb.create_sheet(title))


def xlsx_bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows):
    """UTF-8 with a BOM (Excel in China opens it right), CRLF rows, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_text(rows):
    return csv_bytes(rows).decode("utf-8")


def download(body, filename, content_type):
    """The file as an attachment; exports carry personal data, so no cache keeps a copy."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
