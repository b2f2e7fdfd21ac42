"""Reading spreadsheets: XLSX (openpyxl read-only, streamed) and .xls (xlrd — WPS, LibreOffice and old Excel).

What the registrar sees is what is read:
- the first *visible* sheet — a hidden sheet before it (old data left in the workbook) is never imported;
- a number shown as a percentage (``0%`` format: 0.25 shown as 25%) is read as shown, ``25%``, not as 0.25 — the
  专业排名百分比 would otherwise be read as "top 0.25%";
- a formula is refused with its cell, in both formats, rather than its cached value taken (an .xls stores only the
  value, so its FORMULA records are looked for in the sheet's BIFF stream).

An XLSX is a ZIP: ``portal.archives.check_zip`` refuses too many members, too much uncompressed and abnormal
ratios before anything is inflated, and the shared-string table is counted against the cells that could use it
(a few hundred KB can otherwise hold millions of tiny strings, which openpyxl loads whole: gigabytes).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from decimal import Decimal

import xlrd
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

from portal.archives import ArchiveError, check_zip

from .table import Table, TableError, _cell, _table, _too_many_rows, max_rows, zip_limits

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+:?[A-Z]*(\d*)\"")
SPARE_STRINGS = 10_000  # shared strings no cell uses (an editor may keep a few after deletions)


def _as_shown(value, number_format):
    """A number formatted as a percentage, as the sheet shows it (0.25 → "25%"); anything else unchanged."""
    if "%" in number_format and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


def _count(archive, info, needles):
    """How often each of ``needles`` occurs in the member, inflated in chunks (never held whole)."""
    counts, tail, keep = [0] * len(needles), b"", max(len(n) for n in needles) - 1
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            for i, needle in enumerate(needles):
                counts[i] += block.count(needle) - tail.count(needle)
            tail = block[-keep:]
    return counts


def _check_xlsx_archive(archive):
    """The declared row count (from the sheets' dimension) once the archive's limits and its shared strings hold."""
    members = check_zip(archive, zip_limits(), what=_("XLSX 文件"))
    declared = cells = 0
    strings = None
    for info in members:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with archive.open(info) as sheet_xml:
                found = _DIMENSION.search(sheet_xml.read(4096))
            if found and found.group(1):
                declared = max(declared, int(found.group(1)))
            cells += sum(_count(archive, info, (b"<c ", b"<c>", b":c ", b":c>")))
        elif info.filename == "xl/sharedStrings.xml":
            strings = info
    if declared > max_rows() + 10:
        raise _too_many_rows(declared)
    if strings is not None:
        entries = sum(_count(archive, strings, (b"<si>", b"<si ", b":si>", b":si ")))
        if entries > 2 * cells + SPARE_STRINGS:
            raise TableError(_("XLSX 文件的共享字符串表异常（%(n)d条，而工作表只有%(c)d个单元格），疑似恶意构造，"
                               "未予读取。请在 Excel 或 WPS 中打开后另存为新文件再上传。") % {"n": entries, "c": cells})
    return declared


def _read_xlsx(data: bytes) -> Table:
    if not data.startswith(b"PK\x03\x04"):
        raise TableError(_("文件内容不是有效的 XLSX 文件（可能是改了扩展名的其他文件）。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = _check_xlsx_archive(archive)
    except ArchiveError as exc:
        raise TableError(str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise TableError(_("无法读取 XLSX 文件（文件已损坏或不完整）：%(error)s") % {"error": exc}) from None
    try:
        # Formulas are read as written (data_only=False), so that a cell such as =HYPERLINK(...) is
        # refused by the checks instead of silently taking its cached value.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = next((ws for ws in workbook.worksheets if ws.sheet_state == "visible"), None)
        formats = [BUILTIN_FORMATS.get(style.numFmtId, "General") if style.numFmtId < BUILTIN_FORMATS_MAX_SIZE
                   else workbook._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
                   for style in workbook._cell_styles]
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, …) on a damaged file
        raise TableError(_("无法读取 XLSX 文件（文件已损坏或不完整）：%(error)s") % {"error": exc}) from None
    if sheet is None:
        workbook.close()
        raise TableError(_("XLSX 文件中没有可见的工作表。"))
    percent = any("%" in code for code in formats)

    def rows():
        try:
            if percent:  # cell objects (slower) only when some style shows numbers as percentages
                for row in sheet.iter_rows():
                    yield [_cell(_as_shown(c.value, c.number_format)) for c in row]
            else:
                for row in sheet.iter_rows(values_only=True):
                    yield [_cell(v) for v in row]
        except TableError:
            raise
        except Exception as exc:
            raise TableError(_("无法读取 XLSX 文件（文件已损坏或不完整）：%(error)s") % {"error": exc}) from None
        finally:
            workbook.close()

    return _table(rows(), "xlsx", "", declared, capped=True)


_BIFF_FORMULA, _BIFF_EOF = 0x0006, 0x000A


def _xls_formula_cell(book, index):
    """(row, column), 0-based, of the first FORMULA record in sheet ``index``'s BIFF substream, or None."""
    mem, pos = book.mem, book._sh_abs_posn[index]
    end = len(mem) - 4
    while pos <= end:
        code, length = struct.unpack_from("<HH", mem, pos)
        if code == _BIFF_FORMULA and length >= 4:
            return struct.unpack_from("<HH", mem, pos + 4)
        if code == _BIFF_EOF:
            return None
        pos += 4 + length
    return None


def _column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_xls(data: bytes) -> Table:
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_("文件内容不是有效的 XLS 文件（可能是改了扩展名的其他文件）。"))
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
        index = next((i for i in range(book.nsheets) if book.sheet_by_index(i).visibility == 0), None)
        if index is None:
            raise TableError(_("XLS 文件中没有可见的工作表。"))
        sheet = book.sheet_by_index(index)
        formula = _xls_formula_cell(book, index)
    except TableError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error … on a damaged file
        raise TableError(_("无法读取 XLS 文件（文件已损坏或不完整）：%(error)s") % {"error": exc}) from None
    if formula is not None:
        row, column = formula
        raise TableError(_("第%(row)d行%(col)s列是公式：导入只接受数值和文字。请将公式复制后“选择性粘贴—数值”，"
                           "再保存上传。") % {"row": row + 1, "col": _column_letter(column)})
    if sheet.nrows > max_rows() + 10:
        raise _too_many_rows(sheet.nrows)
    datemode = book.datemode
    percent_xfs = {i for i, xf in enumerate(book.xf_list)
                   if "%" in getattr(book.format_map.get(xf.format_key), "format_str", "")}

    def value(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, datemode).date().isoformat()
            except (ValueError, OverflowError):
                return str(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_NUMBER and cell.xf_index in percent_xfs:
            return _as_shown(cell.value, "%")
        return cell.value

    def rows():
        try:
            for i in range(sheet.nrows):
                yield [_cell(value(c)) for c in sheet.row(i)]
        finally:
            book.release_resources()

    return _table(rows(), "xls", "", sheet.nrows, capped=True)
