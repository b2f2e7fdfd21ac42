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
import itertools
import os
import tempfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from .table import (  # noqa: F401 - TableError, Table and the limits are this module's interface too
    DEFAULT_MAX_MB,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED_MB,
    EXTENSIONS,
    MB,
    Table,
    TableError,
    _cell,
    _table,
    _too_many_rows,
    max_rows,
    max_upload_bytes,
    size_error,
    zip_limits,
)
from .workbooks import _read_xls, _read_xlsx


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
    return _table(csv.reader(_lines(text), delimiter=delimiter), "csv", encoding, lines, capped=True)


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


def _read_dbf(data: bytes) -> Table:
    """A dBase file as the 学信网 exports it (GBK unless its language driver says otherwise)."""
    from dbfread import DBF

    if len(data) < 32 or data[0] not in (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5,
                                         0xFB):
        raise TableError(_("文件内容不是有效的 DBF 文件（可能是改了扩展名的其他文件）。"))
    declared = int.from_bytes(data[4:8], "little")
    if declared > max_rows():
        raise _too_many_rows(declared)
    header_length, record_length = int.from_bytes(data[8:10], "little"), int.from_bytes(data[10:12], "little")
    if header_length < 33 or record_length < 1 or len(data) < header_length:
        raise TableError(_("DBF 文件头已损坏，无法读取。请从学信网重新导出。"))
    present = (len(data) - header_length) // record_length
    if present < declared:  # a cut file: dbfread would stop early and quietly return fewer rows
        raise TableError(_("DBF 文件不完整：文件头声明%(n)d条记录，文件只包含%(m)d条（可能下载或复制时被截断）。"
                           "请从学信网重新导出。") % {"n": declared, "m": present})
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


