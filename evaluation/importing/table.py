"""The table every reader produces (``read``, ``workbooks``): limits, the header search, cells as strings."""

from __future__ import annotations

import csv
import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.archives import ZipLimits

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




def _table(rows: Iterator[list[str]], kind: str, encoding: str, estimated: int = 0, *, capped=False) -> Table:
    """Finds the header row (a registrar's export may have a title line above it) among the first 10.

    With ``capped`` (CSV, XLSX and .xls: an XLSX's declared dimension may lie, and the others' pre-check allows a
    few title lines), the data rows are counted as they are read: past ``EVALUATION_IMPORT_MAX_ROWS`` the read
    stops. A DBF's record count is exact and checked against the file's length.
    """
    try:
        head = list(itertools.islice(rows, 10))
    except csv.Error as exc:
        raise csv_error(exc) from None
    for index, row in enumerate(head):
        known = sum(1 for cell in row if normalise_header(cell) in HEADER_ALIASES)
        if known >= 3:
            headers = [str(c).strip().lstrip("\ufeff") for c in row]
            data = itertools.chain(head[index + 1:], rows)
            return Table(headers, _capped(data) if capped else data, index + 2, kind, encoding,
                         max(estimated - index - 1, 0))
    raise TableError(_("未找到表头：前10行中没有可识别的列名。请使用导入模板，第一行为列名，如“学号”“姓名”“身份证号”。"))


def csv_error(exc, line=None):
    """A malformed CSV's message, in Chinese (Python's csv module words its errors in English)."""
    where = _("（约第%(line)d行）") % {"line": line} if line else ""
    if "field larger than field limit" in str(exc):
        return TableError(_("CSV 文件%(where)s有超过%(n)d个字符的单元格，不是成绩单数据，未予读取。")
                          % {"where": where, "n": csv.field_size_limit()})
    if "NUL" in str(exc):
        return TableError(_("CSV 文件%(where)s包含二进制内容（NUL 字符），不是有效的 CSV 文件。") % {"where": where})
    return TableError(_("CSV 文件%(where)s格式错误（如引号不成对），未予读取：%(error)s") % {"where": where, "error": exc})


def _capped(rows):
    limit = max_rows()
    for count, row in enumerate(rows, 1):
        if count > limit:
            raise _too_many_rows(count)
        yield row
