"""Step 1 of the import: reading a registrar's file into a header row and data rows.

Formats: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030), XLSX (openpyxl read-only, streamed),
.xls (xlrd — WPS and old Excel), .dbf (dbfread — the 学信网 学籍/毕业生 layout, GBK). Every limit is
checked *before* the content is parsed: the upload's size (``EVALUATION_IMPORT_MAX_MB``), the number of
rows the file declares (``EVALUATION_IMPORT_MAX_ROWS``: CSV lines, XLSX dimension, .xls sheet rows, DBF
record count — and counted again while reading, since a declaration can lie), and for XLSX, which is a
ZIP, the members and their uncompressed size (``portal.archives.check_zip``: a zip bomb is refused, not
inflated). Cells come out as strings; the checks (``check.py``) normalise them (NFKC) and parse them.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from portal.archives import ArchiveError, ZipLimits, check_zip

from .columns import HEADER_ALIASES, normalise_header

MB = 1024 * 1024
DEFAULT_MAX_MB = 30
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_UNCOMPRESSED_MB = 1024
EXTENSIONS = (".csv", ".txt", ".xlsx", ".xls", ".dbf")


def max_upload_bytes():
    return int(getattr(settings, "EVALUATION_IMPORT_MAX_MB", DEFAULT_MAX_MB) * MB)


def max_rows():
    return int(getattr(settings, "EVALUATION_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def zip_limits():
    return ZipLimits(max_members=200, max_ratio=500,
                     max_total_bytes=int(getattr(settings, "EVALUATION_IMPORT_MAX_UNCOMPRESSED_MB",
                                                 DEFAULT_MAX_UNCOMPRESSED_MB) * MB))


class TableError(Exception):
    """The file as a whole cannot be read (size, type, encoding, headers, limits). The message is Chinese."""


@dataclass
class Table:
    headers: list[str]  # as written in the file
    rows: Iterator[list[str]]  # data rows (read once, lazily), cells as strings
    first_row: int  # file row number (1-based) of the first data row
    kind: str  # "csv", "xlsx", "xls" or "dbf"
    encoding: str = ""
    estimated_rows: int = 0  # what the file declares (for the progress bar); 0 when unknown


def size_error(size):
    limit = max_upload_bytes()
    return TableError(_("文件大小为%(size).1fMB，超过上限%(max)dMB，未予解析。请按毕业年份或专业拆分后分批导入。")
                      % {"size": size / MB, "max": limit // MB})


def _too_many_rows(n):
    return TableError(_("文件有%(n)d行，超过上限%(max)d行，未予解析。请按毕业年份或专业拆分后分批导入。")
                      % {"n": n, "max": max_rows()})


def read_table(upload, *, name=None) -> Table:
    """Reads an uploaded file; raises TableError with a Chinese message.

    The size is checked first, from the upload's declared size, before a byte is parsed. Rows are
    produced lazily, so that a big file is checked without holding every cell in memory.
    """
    name = name or getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise size_error(size)
    if size == 0:
        raise TableError(_("文件为空。"))
    ext = PurePath(name).suffix.lower()
    if ext not in EXTENSIONS:
        raise TableError(_("只接受 CSV、XLSX、XLS 或 DBF 文件。"))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise size_error(len(data))
    if not data.strip():
        raise TableError(_("文件为空。"))
    reader = {".xlsx": _read_xlsx, ".xls": _read_xls, ".dbf": _read_dbf}.get(ext, _read_csv)
    return reader(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 BOM"
        except UnicodeDecodeError:
            raise TableError(_("文件标记为 UTF-8 编码，但内容不是有效的 UTF-8。")) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise TableError(_("文件标记为 UTF-16 编码，但内容无效。")) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030/GBK"
    except UnicodeDecodeError:
        raise TableError(_("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV 文件，或 XLSX 文件。")) from None


def _read_csv(data: bytes) -> Table:
    lines = data.count(b"\n")
    if lines > max_rows() + 10:
        raise _too_many_rows(lines)
    text, encoding = decode_text(data)
    del data
    if "\x00" in text:
        raise TableError(_("文件包含二进制内容，不是有效的 CSV 文件。"))
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max((",", "\t", ";"), key=first_line.count)
    return _table(csv.reader(_lines(text), delimiter=delimiter), "csv", encoding, lines)


def _lines(text: str):
    """The text's lines, lazily (io.StringIO would hold a second, four-bytes-a-character copy)."""
    find, start, size = text.find, 0, len(text)
    while start < size:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+:?[A-Z]*(\d*)\"")


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        raise TableError(_("文件内容不是有效的 XLSX 文件（可能是改了扩展名的其他文件）。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = check_zip(archive, zip_limits(), what=_("XLSX 文件"))
            declared = 0
            for info in members:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as sheet_xml:
                        found = _DIMENSION.search(sheet_xml.read(4096))
                    if found and found.group(1):
                        declared = max(declared, int(found.group(1)))
            if declared > max_rows() + 10:
                raise _too_many_rows(declared)
    except ArchiveError as exc:
        raise TableError(str(exc)) from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TableError(_("无法读取 XLSX 文件：%(error)s") % {"error": exc}) from None
    try:
        # Formulas are read as written (data_only=False), so that a cell such as =HYPERLINK(...) is
        # refused by the checks instead of silently taking its cached value.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, …) on a damaged file
        raise TableError(_("无法读取 XLSX 文件：%(error)s") % {"error": exc}) from None

    def rows():
        try:
            for row in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in row]
        except TableError:
            raise
        except Exception as exc:
            raise TableError(_("无法读取 XLSX 文件：%(error)s") % {"error": exc}) from None
        finally:
            workbook.close()

    return _table(rows(), "xlsx", "", declared, capped=True)


def _read_xls(data: bytes) -> Table:
    import xlrd

    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_("文件内容不是有效的 XLS 文件（可能是改了扩展名的其他文件）。"))
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error … on a damaged file
        raise TableError(_("无法读取 XLS 文件：%(error)s") % {"error": exc}) from None
    if sheet.nrows > max_rows() + 10:
        raise _too_many_rows(sheet.nrows)
    datemode = book.datemode

    def value(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, datemode).date().isoformat()
            except (ValueError, OverflowError):
                return str(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return cell.value

    def rows():
        try:
            for i in range(sheet.nrows):
                yield [_cell(value(c)) for c in sheet.row(i)]
        finally:
            book.release_resources()

    return _table(rows(), "xls", "", sheet.nrows)


def _read_dbf(data: bytes) -> Table:
    """A dBase file as the 学信网 exports it (GBK unless its language driver says otherwise)."""
    from dbfread import DBF

    if len(data) < 32 or data[0] not in (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5,
                                         0xFB):
        raise TableError(_("文件内容不是有效的 DBF 文件（可能是改了扩展名的其他文件）。"))
    declared = int.from_bytes(data[4:8], "little")
    if declared > max_rows():
        raise _too_many_rows(declared)
    handle = tempfile.NamedTemporaryFile(suffix=".dbf", delete=False)  # dbfread reads from a path
    try:
        handle.write(data)
        handle.close()
        del data
        try:
            table = DBF(handle.name, encoding="gb18030", char_decode_errors="strict", ignore_missing_memofile=True,
                        recfactory=None)
            headers = list(table.field_names)
            records = list(table)  # bounded by the declared count checked above; deleted records are skipped
        except UnicodeDecodeError:
            raise TableError(_("DBF 文件的编码无法识别（应为 GBK）。")) from None
        except Exception as exc:  # dbfread raises struct.error, ValueError … on a damaged file
            raise TableError(_("无法读取 DBF 文件：%(error)s") % {"error": exc}) from None
    finally:
        os.unlink(handle.name)
    rows = ([_cell(v) for _name, v in record] for record in records)
    return _table(itertools.chain([headers], rows), "dbf", "GBK", declared)


def _table(rows: Iterator[list[str]], kind: str, encoding: str, estimated: int = 0, *, capped=False) -> Table:
    """Finds the header row (a registrar's export may have a title line above it) among the first 10.

    With ``capped`` (an XLSX, whose declared dimension may lie), the data rows are counted as they are read:
    past ``EVALUATION_IMPORT_MAX_ROWS`` the read stops. The other formats' counts were exact and checked.
    """
    try:
        head = list(itertools.islice(rows, 10))
    except csv.Error as exc:
        raise TableError(_("CSV 文件格式错误：%(error)s") % {"error": exc}) from None
    for index, row in enumerate(head):
        known = sum(1 for cell in row if normalise_header(cell) in HEADER_ALIASES)
        if known >= 3:
            headers = [str(c).strip().lstrip("\ufeff") for c in row]
            data = itertools.chain(head[index + 1:], rows)
            return Table(headers, _capped(data) if capped else data, index + 2, kind, encoding,
                         max(estimated - index - 1, 0))
    raise TableError(_("未找到表头：前10行中没有可识别的列名。请使用导入模板，第一行为列名，如“学号”“姓名”“身份证号”。"))


def _capped(rows):
    limit = max_rows()
    for count, row in enumerate(rows, 1):
        if count > limit:
            raise _too_many_rows(count)
        yield row
