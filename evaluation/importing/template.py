"""The downloadable transcript template: the header row, one example row (marked, skipped on import) and a
second sheet explaining every column, its allowed values, and why the ID column must be text.

LibreOffice and Excel turn an 18-digit ID number typed into a general cell into a number (3.40504E+17):
the data columns are formatted as text, and the explanation sheet says so first.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .check import EXAMPLE_MARK
from .columns import COLUMNS, SOURCE_COLUMNS

EXAMPLE_NUMBER = f"{EXAMPLE_MARK}-导入时跳过"


def example_row() -> list[str]:
    """The template's example row: its 学号 starts with “示例”, so the import skips it."""
    return [EXAMPLE_NUMBER if c.key == "student_number" else c.example for c in COLUMNS]


def _note(column):
    return "".join(part for part in ((_("必填。") if column.required else ""), column.help and column.help + "。",
                                     column.example and _("例：%(e)s") % {"e": column.example}) if part)


def csv_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow(example_row())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("毕业生名单")
    ws.append([c.header for c in COLUMNS])
    ws.append(example_row())
    grey = PatternFill("solid", fgColor="EEEEEE")
    for i, column in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="C62828" if column.required else "000000")
        note = _note(column)
        if note:
            cell.comment = Comment(note, "portal")
        ws.column_dimensions[cell.column_letter].width = max(10, len(column.header) * 2 + 2)
        example = ws.cell(row=2, column=i)
        example.fill = grey
        example.font = Font(italic=True, color="757575")
    ws.cell(row=2, column=2).comment = Comment(_("示例行：学号以“示例”开头的行导入时跳过，可保留也可删除。"), "portal")
    for row in ws.iter_rows(min_row=2, max_row=2001, max_col=len(COLUMNS)):
        for cell in row:
            cell.number_format = "@"  # text: keeps ID numbers, student numbers and leading zeros as typed
    ws.freeze_panes = "A2"

    guide = wb.create_sheet(_("填写说明"))
    guide.append([_("重要：身份证号、学号、证书编号列请设为“文本”格式。Excel、WPS 和 LibreOffice 会把18位身份证号变成"
                    "科学计数法数字（如 3.40504E+17），末几位变成0，无法恢复。本模板第一页已设为文本格式；"
                    "从其他表格粘贴时请“只粘贴数值”，或先把该列设为文本再粘贴。")])
    guide["A1"].font = Font(bold=True, color="C62828")
    guide.append([_("第一页第2行是示例（学号以“示例”开头），导入时跳过。每人一行；同一人在同一院校同一届只能有一行。")])
    guide.append([])
    guide.append([_("列名"), _("是否必填"), _("可填写的值"), _("说明"), _("也可用的列名")])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([column.header, _("必填") if column.required else _("选填"), column.allowed or column.help,
                      column.help, " / ".join(column.aliases)])
    guide.append([])
    guide.append([_("学信网学籍/毕业生数据（DBF 或其 Excel 导出）可直接上传，以下列由系统换算：")])
    for column in SOURCE_COLUMNS:
        guide.append([column.header, _("选填"), "", column.help, " / ".join(column.aliases)])
    for letter, width in zip("ABCDE", (18, 10, 40, 50, 40), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
