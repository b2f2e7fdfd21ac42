"""Reading and checking a registrar's transcript file — shared by both import paths.

``read_table`` turns an upload into a header row and data rows (CSV in UTF-8, UTF-8 with BOM,
GBK/GB18030 or UTF-16; XLSX), refusing files over the size limit *before* parsing them.
``Checker`` maps the headers (Chinese as a registrar's system exports them, or English aliases)
and checks every row in a tight loop, producing the canonical values stored in ``Graduate``
and every problem as (row, column, Chinese message).

Speed matters (a 100,000-row file must validate in about a second, DOMAIN issue 3 §6): the row
check is straight-line code over pre-built lookup tables, and the ID number goes through
``portal.identifiers.check_ric``, whose place-code lookup is cached per code.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from portal.identifiers import check_ric

from .models.graduates import MAX_PRACTICE_MONTHS, MAX_YEAR, MIN_YEAR

MB = 1024 * 1024
DEFAULT_MAX_MB = 30
MAX_ERRORS_KEPT = 1000  # errors stored and shown; the count is always complete


def max_upload_bytes():
    return int(getattr(settings, "EVALUATION_IMPORT_MAX_MB", DEFAULT_MAX_MB) * MB)


class TableError(Exception):
    """The file as a whole cannot be read (size, type, encoding, headers). The message is Chinese."""


@dataclass(frozen=True)
class Column:
    key: str  # the Graduate field (or "institution")
    header: str  # the Chinese header of the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("institution", "院校名称", ("学校名称", "院校", "学校", "institution", "school"),
           example="安徽工业大学", help="可留空（默认本校）；系统管理员导入时须填写院校全称或统一社会信用代码"),
    Column("student_number", "学号", ("学生学号", "学生编号", "student_number", "student_no", "student_id"), True,
           "2021001001"),
    Column("name", "姓名", ("学生姓名", "name"), True, "张明"),
    Column("gender", "性别", ("gender", "sex"), True, "男", "男/女"),
    Column("id_number", "身份证号", ("公民身份号码", "身份证号码", "身份证件号码", "证件号码", "id_number", "id_card",
                                 "id_no"), True, "", "18位，末位可为X；请将该列设为文本格式"),
    Column("graduation_year", "毕业年份", ("毕业年度", "毕业届别", "届别", "graduation_year", "year"), True, "2025"),
    Column("degree_level", "学历层次", ("培养层次", "学历", "层次", "degree", "degree_level"), True, "本科",
           "博士研究生/硕士研究生/本科/专科"),
    Column("major", "专业", ("专业名称", "所学专业", "major"), True, "车辆工程"),
    Column("pilot_major", "是否试点专业", ("试点专业", "pilot_major"), example="是", help="是/否，留空为否"),
    Column("has_diploma", "是否取得毕业证", ("取得毕业证", "毕业证", "has_diploma"), example="是", help="是/否，留空为否"),
    Column("diploma_number", "毕业证书编号", ("毕业证号", "毕业证编号", "diploma_number"), example="103602025000123"),
    Column("has_degree", "是否取得学位证", ("取得学位证", "学位证", "has_degree"), example="是",
           help="是/否，留空为否；专科不授予学位"),
    Column("degree_number", "学位证书编号", ("学位证号", "学位证编号", "degree_number"), example="1036042025000123"),
    Column("practice_months", "企业实践累计月数", ("企业实习实践累计时间（月）", "实习实践月数", "企业实践月数",
                                          "实践月数", "practice_months"), example="6",
           help="在校期间深入企业实习实践训练时间累计，单位为月，最多1位小数"),
    Column("major_rank_percent", "专业排名百分比", ("平均学分绩点专业排名", "绩点专业排名", "专业排名（%）",
                                          "专业排名", "major_rank_percent", "rank_percent"), example="25",
           help="平均学分绩点在本专业的排名百分比，25 表示前25%；留空为未知"),
    Column("design_grade", "毕业设计成绩", ("毕业设计（论文）成绩", "毕业论文成绩", "design_grade"), example="良好",
           help="优秀/良好/中等/及格/不及格"),
    Column("ncre_level", "全国计算机等级", ("计算机等级", "ncre_level", "ncre"), example="2", help="0-4，0 或留空表示未通过"),
    Column("conduct_ok", "思想政治条件", ("思想政治", "conduct_ok"), example="合格", help="合格/不合格，留空为合格"),
    Column("assessment", "年度综合考核", ("综合考核", "年度考核", "assessment"), example="良好",
           help="优秀/良好/合格/不合格，留空为良好"),
    Column("physically_fit", "身体条件", ("physically_fit",), example="合格", help="合格/不合格，留空为合格"),
    Column("continuing_education_done", "继续教育学时", ("完成继续教育", "公需课", "continuing_education_done"),
           example="已完成", help="已完成/未完成，留空为已完成"),
    Column("employer", "就业单位", ("工作单位", "employer"), example="马鞍山钢铁股份有限公司"),
    Column("employed_in_anhui", "是否省内就业", ("省内就业", "employed_in_anhui", "in_province"), example="是"),
    Column("tripartite_agreement", "是否签订三方协议", ("三方协议", "三方就业协议", "tripartite_agreement"), example="是"),
    Column("on_duty", "是否已到岗", ("已到岗", "到岗", "on_duty"), example="是"),
    Column("duty_start_date", "到岗日期", ("duty_start_date", "start_date"), example="2025-07-15", help="年-月-日"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_OF = {c.key: c.header for c in COLUMNS}

#: The Graduate columns written by an import, in the order of the canonical record tuple.
FIELDS: tuple[str, ...] = (
    "institution_id", "student_number", "name", "gender", "id_number", "graduation_year", "degree_level", "major",
    "pilot_major", "has_diploma", "diploma_number", "has_degree", "degree_number", "practice_months",
    "major_rank_percent", "design_grade", "ncre_level", "conduct_ok", "assessment", "physically_fit",
    "continuing_education_done", "employer", "employed_in_anhui", "tripartite_agreement", "on_duty",
    "duty_start_date",
)


def normalise_header(text) -> str:
    """NFKC (full-width brackets), no spaces or asterisks, lower case."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "")
    return "".join(text.split()).replace("*", "").lower()


HEADER_ALIASES: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        HEADER_ALIASES[normalise_header(_name)] = _c.key


# --- reading the file -------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]  # as written in the file
    rows: Iterator[list[str]]  # data rows (read once, lazily), cells as strings
    first_row: int  # file row number (1-based) of the first data row
    kind: str  # "csv" or "xlsx"
    encoding: str = ""


def read_table(upload, *, name=None) -> Table:
    """Reads an uploaded CSV/XLSX; raises TableError with a Chinese message.

    The size is checked first, from the upload's declared size, before a byte is parsed. Rows are
    produced lazily, so that a big file is checked without holding every cell in memory.
    """
    name = name or getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise TableError(_("文件大小为%(size).1fMB，超过上限%(max)dMB，未予解析。请按毕业年份或专业拆分后分批导入。")
                         % {"size": size / MB, "max": limit // MB})
    if size == 0:
        raise TableError(_("文件为空。"))
    ext = PurePath(name).suffix.lower()
    if ext not in (".csv", ".txt", ".xlsx"):
        if ext == ".xls":
            raise TableError(_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。"))
        raise TableError(_("只接受 CSV 或 XLSX 文件。"))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise TableError(_("文件超过上限%(max)dMB，未予解析。") % {"max": limit // MB})
    if not data.strip():
        raise TableError(_("文件为空。"))
    if ext == ".xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


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
    text, encoding = decode_text(data)
    del data
    if "\x00" in text:
        raise TableError(_("文件包含二进制内容，不是有效的 CSV 文件。"))
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max((",", "\t", ";"), key=first_line.count)
    return _table(csv.reader(_lines(text), delimiter=delimiter), "csv", encoding)


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


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        raise TableError(_("文件内容不是有效的 XLSX 文件（可能是改了扩展名的其他文件）。"))
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
        except Exception as exc:
            raise TableError(_("无法读取 XLSX 文件：%(error)s") % {"error": exc}) from None
        finally:
            workbook.close()

    return _table(rows(), "xlsx", "")


def _table(rows: Iterator[list[str]], kind: str, encoding: str) -> Table:
    """Finds the header row (a registrar's export may have a title line above it) among the first 10."""
    try:
        head = list(itertools.islice(rows, 10))
    except csv.Error as exc:
        raise TableError(_("CSV 文件格式错误：%(error)s") % {"error": exc}) from None
    for index, row in enumerate(head):
        known = sum(1 for cell in row if normalise_header(cell) in HEADER_ALIASES)
        if known >= 3:
            headers = [str(c).strip().lstrip("\ufeff") for c in row]
            return Table(headers, itertools.chain(head[index + 1:], rows), index + 2, kind, encoding)
    raise TableError(_("未找到表头：前10行中没有可识别的列名。请使用导入模板，第一行为列名，如“学号”“姓名”“身份证号”。"))


# --- checking rows --------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_list(self):
        return [self.row, self.column, self.message]


@dataclass
class CheckResult:
    records: list[tuple] = field(default_factory=list)  # canonical tuples in FIELDS order (when no errors)
    rows: list[int] = field(default_factory=list)  # file row number of each record
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self):
        return self.error_count == 0


def _table_map(*pairs) -> dict:
    """{spelling: value} with lower-case variants of every spelling."""
    out = {}
    for spellings, value in pairs:
        for s in spellings:
            out[s] = value
            out[s.lower()] = value
    return out


BOOLEANS = _table_map(
    (("是", "Y", "Yes", "True", "1", "√", "✓", "有", "合格", "符合", "已完成", "完成", "已签订", "已签", "已到岗", "通过"), True),
    (("否", "N", "No", "False", "0", "×", "✗", "无", "不合格", "不符合", "未完成", "未签订", "未签", "未到岗", "未通过"),
     False),
)
GENDERS = _table_map((("男", "M", "Male", "男性"), "M"), (("女", "F", "Female", "女性"), "F"))
DEGREES = _table_map(
    (("博士", "博士研究生", "博士生", "phd", "doctor", "doctoral"), "phd"),
    (("硕士", "硕士研究生", "硕士生", "研究生", "master", "masters"), "master"),
    (("本科", "大学本科", "本科生", "普通本科", "职业本科", "bachelor", "undergraduate"), "bachelor"),
    (("专科", "大专", "高职", "高职专科", "专科生", "高职（专科）", "junior_college", "college", "associate"),
     "junior_college"),
)
DESIGN = _table_map(
    (("优秀", "优", "excellent", "A"), "excellent"), (("良好", "良", "good", "B"), "good"),
    (("中等", "中", "medium", "C"), "medium"), (("及格", "pass", "D"), "pass"),
    (("不及格", "fail", "E", "F"), "fail"),
)
ASSESSMENTS = _table_map(
    (("优秀", "优", "excellent"), "excellent"), (("良好", "良", "good"), "good"),
    (("合格", "称职", "pass"), "pass"), (("不合格", "不称职", "fail"), "fail"),
)
NCRE = _table_map(
    (("0", "无", "未通过", "none"), 0), (("1", "一级", "1级"), 1), (("2", "二级", "2级"), 2),
    (("3", "三级", "3级"), 3), (("4", "四级", "4级"), 4),
)
FORMULA_START = ("=", "+", "-", "@")


def _decimal_text(text: str, places: int):
    """'12' -> ('12.0', 12.0) with ``places`` decimals; None when not a number or too precise."""
    whole, dot, frac = text.partition(".")
    if len(frac) > places or not (whole.isdigit() or (whole == "" and dot and frac)) or (frac and not frac.isdigit()):
        return None
    value = float(text)
    frac = frac.ljust(places, "0")
    return f"{int(whole or 0)}.{frac}", value


def _choice(table, what, allowed):
    def parse(value):
        v = value.strip()
        found = table.get(v)
        if found is None:
            found = table.get(v.lower())
        if found is None:
            return None, (_("%(what)s“%(v)s”无效，应为%(allowed)s") % {"what": what, "v": v, "allowed": allowed}
                          if v else _("%(what)s不能为空") % {"what": what})
        return found, None

    return parse


def _optional(parse, default):
    def wrapped(value):
        return (default, None) if not value.strip() else parse(value)

    return wrapped


def _boolean(value):
    v = value.strip()
    found = BOOLEANS.get(v)
    if found is None:
        found = BOOLEANS.get(v.lower())
    if found is None:
        return None, _("“%(v)s”无效，应填“是”或“否”") % {"v": v}
    return found, None


def _year(value):
    v = value.strip()
    text = v[:-1] if v.endswith(("届", "年")) else v
    if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text), None
    return None, (_("毕业年份“%(v)s”无效，应为四位年份，如 2025") % {"v": v} if v else _("毕业年份不能为空"))


def _months(value):
    v = value.strip()
    if not v:
        return "0.0", None
    parsed = _decimal_text(v.removesuffix("个月").removesuffix("月").strip(), 1)
    if parsed is None:
        return None, _("企业实践月数“%(v)s”无效，应为不小于0的数字，最多1位小数") % {"v": v}
    if parsed[1] > MAX_PRACTICE_MONTHS:
        return None, _("企业实践月数%(v)s超过上限%(max)d个月") % {"v": v, "max": MAX_PRACTICE_MONTHS}
    return parsed[0], None


def _rank(value):
    v = value.strip()
    if not v:
        return None, None
    parsed = _decimal_text(v.removeprefix("前").removesuffix("%").strip(), 2)
    if parsed is None or not 0 < parsed[1] <= 100:
        return None, _("专业排名百分比“%(v)s”无效，应为大于0且不超过100的数字，最多2位小数") % {"v": v}
    return parsed[0], None


def _ncre(value):
    v = value.strip()
    if not v:
        return 0, None
    found = NCRE.get(v)
    if found is None:
        found = NCRE.get(v.lower())
    if found is None:
        return None, _("全国计算机等级“%(v)s”无效，应为0到4") % {"v": v}
    return found, None


def _text(what, max_length, required):
    def parse(value):
        v = value.strip()
        if not v:
            return ("", _("%(what)s不能为空") % {"what": what}) if required else ("", None)
        if len(v) > max_length:
            return None, _("%(what)s超过%(n)d个字符") % {"what": what, "n": max_length}
        if v.startswith(FORMULA_START):
            return None, _("%(what)s以“%(c)s”开头，疑似公式，请删除该字符") % {"what": what, "c": v[0]}
        return v, None

    return parse


def _date(value):
    v = value.strip()
    if not v:
        return None, None
    day = _parse_date(v)
    if day is None:
        return None, _("到岗日期“%(v)s”无效，应为“年-月-日”，如 2025-07-15") % {"v": v}
    return day, None


_gender = _choice(GENDERS, _("性别"), _("“男”或“女”"))
_degree = _choice(DEGREES, _("学历层次"), _("博士研究生、硕士研究生、本科或专科"))
_design = _optional(_choice(DESIGN, _("毕业设计成绩"), _("优秀、良好、中等、及格或不及格")), "")
_assessment = _optional(_choice(ASSESSMENTS, _("年度综合考核"), _("优秀、良好、合格或不合格")), "good")
_bool_no = _optional(_boolean, False)
_bool_yes = _optional(_boolean, True)
_major = _text(_("专业"), 100, True)
_employer = _text(_("就业单位"), 100, False)


_CODE = re.compile(r"[0-9A-Za-z_-]{1,32}")


class Checker:
    """Checks rows of one table for one importer.

    ``institutions``: {id: (name, uscc)} the importer may write to; ``default_institution``: the id
    used when a row names none (staff: their own); ``restricted``: a row naming any other institution
    is an error "only your own" (staff) rather than "unknown" (site admins).

    A record is a tuple in ``FIELDS`` order: booleans as bool, numbers as canonical strings
    ('12.0', '25.00'), dates as ISO strings — the same shape ``fastimport`` reads back from the
    database, so that "unchanged" is a plain tuple comparison.

    Speed: cells are picked with one ``itemgetter``; every field with few distinct values (all but
    the names and numbers) is parsed once per distinct value and memoised for the file.
    """

    def __init__(self, headers, *, institutions, default_institution=None, restricted=True):
        self.headers = list(headers)
        self.institutions = institutions
        self.default_institution = default_institution
        self.restricted = restricted
        self.lookup = {}
        for pk, (name, uscc) in institutions.items():
            self.lookup[name] = pk
            self.lookup[uscc] = pk
        self.index: dict[str, int] = {}
        self.header_problems: list[str] = []
        self.unknown_headers: list[str] = []
        for i, h in enumerate(self.headers):
            key = HEADER_ALIASES.get(normalise_header(h))
            if key is None:
                if str(h).strip():
                    self.unknown_headers.append(h)
                continue
            if key in self.index:
                self.header_problems.append(_("列“%(a)s”与列“%(b)s”重复（都表示%(what)s）")
                                            % {"a": self.headers[self.index[key]], "b": h,
                                               "what": HEADER_OF[key]})
                continue
            self.index[key] = i
        missing = [c.header for c in COLUMNS if c.required and c.key not in self.index]
        if missing:
            self.header_problems.append(_("缺少必需的列：%(cols)s") % {"cols": "、".join(missing)})
        self.label = {key: self.headers[i] for key, i in self.index.items()}
        for c in COLUMNS:
            self.label.setdefault(c.key, c.header)
        self.width = len(self.headers)
        # Missing columns read the padding cell appended after the last one.
        self.pick = itemgetter(*(self.index.get(c.key, self.width) for c in COLUMNS))
        self.memo = {key: {} for key in ("institution", "group_a", "group_b", "major", "months", "rank", "employer",
                                         "date")}

    def _institution(self, value):
        v = value.strip()
        if not v:
            if self.default_institution is None:
                return None, _("请填写院校名称")
            return self.default_institution, None
        pk = self.lookup.get(v)
        if pk is not None:
            return pk, None
        if self.restricted:
            own = self.institutions.get(self.default_institution, ("", ""))[0]
            return None, _("该行院校为“%(value)s”，您只能导入本校（%(own)s）的毕业生记录") % {"value": v, "own": own}
        return None, _("院校“%(value)s”不存在（请填写院校全称或统一社会信用代码）") % {"value": v}

    def check(self, rows, first_row=2, *, sink=None) -> CheckResult:
        """Checks every row (empty rows are skipped); records are kept only while there is no error.

        With ``sink``, each good record (while the file has had no error) is handed to it instead of
        being kept — the fast path streams them to the database as the check goes, and rolls back
        if an error turns up later.
        """
        res = CheckResult()
        if self.header_problems:
            res.errors = [Problem(1, "", msg) for msg in self.header_problems]
            res.error_count = len(res.errors)
            return res
        seen: dict[tuple, int] = {}
        records, numbers, errors, warnings, label = res.records, res.rows, res.errors, res.warnings, self.label
        row_check, width = self.row, self.width
        error_count = total = 0
        line = first_row - 1
        try:
            for cells in rows:
                line += 1
                if len(cells) == width:
                    cells.append("")
                else:
                    cells = (list(cells) + [""] * width)[:width] + [""]
                if not any(cells):
                    continue
                total += 1
                record, problems, notes = row_check(cells)
                if record is not None:
                    key = (record[0], record[1])
                    previous = seen.get(key)
                    if previous is None:
                        seen[key] = line
                        if not error_count:
                            if sink is None:
                                records.append(record)
                                numbers.append(line)
                            else:
                                sink(record)
                    else:
                        problems = [("student_number", _("学号与第%(row)d行重复") % {"row": previous})]
                if problems:
                    if not error_count:
                        records.clear()  # an erroneous file is never imported: keep no records
                        numbers.clear()
                    error_count += len(problems)
                    if len(errors) < MAX_ERRORS_KEPT:
                        errors.extend(Problem(line, label[k], m) for k, m in problems)
                if notes and len(warnings) < MAX_ERRORS_KEPT:
                    warnings.extend(Problem(line, label[k], m) for k, m in notes)
        except csv.Error as exc:  # a malformed CSV (NUL byte, a field over the size limit, …)
            raise TableError(_("CSV 文件格式错误（约第%(line)d行）：%(error)s") % {"line": line, "error": exc}) from None
        del errors[MAX_ERRORS_KEPT:]
        res.total = total
        res.error_count = error_count
        if total == 0:
            res.errors.append(Problem(first_row, "", _("文件中没有数据行。")))
            res.error_count = 1
        return res

    def row(self, cells):
        """One padded row -> (record or None, [(key, error)], [(key, warning)] or None).

        Fields with few distinct values are parsed in groups, once per distinct combination:
        (degree, the nine yes/no facts) and (gender, year, design grade, NCRE, assessment).
        """
        (inst_v, number, name, gender_v, id_v, year_v, degree_v, major_v, pilot_v, diploma_v, diploma_no, degree_v2,
         degree_no, months_v, rank_v, design_v, ncre_v, conduct_v, assess_v, fit_v, cont_v, employer_v, anhui_v,
         tri_v, duty_v, start_v) = self.pick(cells)
        memo = self.memo
        problems = []
        notes = None

        m = memo["institution"]
        r = m.get(inst_v)
        if r is None:
            r = m[inst_v] = self._institution(inst_v)
        inst, e = r
        if e:
            problems.append(("institution", e))

        number = number.strip()
        if _CODE.fullmatch(number) is None:
            problems.append(("student_number", _("学号不能为空") if not number
                             else _("学号只能包含字母、数字、“-”和“_”，且不超过32位")))

        name = name.strip()
        if not name:
            problems.append(("name", _("姓名不能为空")))
        elif len(name) > 50:
            problems.append(("name", _("姓名超过50个字符")))
        elif name.startswith(FORMULA_START):
            problems.append(("name", _("姓名以“%(c)s”开头，疑似公式，请删除该字符") % {"c": name[0]}))

        key = (gender_v, year_v, design_v, ncre_v, assess_v)
        m = memo["group_a"]
        r = m.get(key)
        if r is None:
            r = m[key] = _group_a(*key)
        gender, year, design, ncre, assessment, e = r
        if e:
            problems.extend(e)

        key = (degree_v, pilot_v, diploma_v, degree_v2, conduct_v, fit_v, cont_v, anhui_v, tri_v, duty_v)
        m = memo["group_b"]
        r = m.get(key)
        if r is None:
            r = m[key] = _group_b(*key)
        degree, pilot, has_diploma, has_degree, conduct, fit, cont_ed, in_anhui, tripartite, on_duty, e = r
        if e:
            problems.extend(e)

        ric = check_ric(id_v)
        id_number = ric.number
        if ric.error:
            message = ric.error
            if "E+" in id_number or "." in id_number:
                message += _("（疑似被 Excel 转为数字，请将该列设为文本格式后重新录入）")
            problems.append(("id_number", message))
        else:
            if ric.warning:
                notes = [("id_number", ric.warning)]
            if gender is not None and (ord(id_number[16]) & 1) != (gender == "M"):
                notes = (notes or []) + [("gender", _("性别与身份证号第17位（奇数为男、偶数为女）不一致，请核对"))]

        m = memo["major"]
        r = m.get(major_v)
        if r is None:
            r = m[major_v] = _major(major_v)
        major, e = r
        if e:
            problems.append(("major", e))

        diploma_no = diploma_no.strip()
        if diploma_no and _CODE.fullmatch(diploma_no) is None:
            problems.append(("diploma_number", _("证书编号只能包含字母和数字，且不超过32位")))
        degree_no = degree_no.strip()
        if degree_no and _CODE.fullmatch(degree_no) is None:
            problems.append(("degree_number", _("证书编号只能包含字母和数字，且不超过32位")))

        m = memo["months"]
        r = m.get(months_v)
        if r is None:
            r = m[months_v] = _months(months_v)
        months, e = r
        if e:
            problems.append(("practice_months", e))

        m = memo["rank"]
        r = m.get(rank_v)
        if r is None:
            r = m[rank_v] = _rank(rank_v)
        rank, e = r
        if e:
            problems.append(("major_rank_percent", e))

        m = memo["employer"]
        r = m.get(employer_v)
        if r is None:
            r = m[employer_v] = _employer(employer_v)
        employer, e = r
        if e:
            problems.append(("employer", e))

        m = memo["date"]
        r = m.get(start_v)
        if r is None:
            r = m[start_v] = _date(start_v)
        start, e = r
        if e:
            problems.append(("duty_start_date", e))

        if problems:
            return None, problems, notes
        return (inst, number, name, gender, id_number, year, degree, major, pilot, has_diploma, diploma_no,
                has_degree, degree_no, months, rank, design, ncre, conduct, assessment, fit, cont_ed, employer,
                in_anhui, tripartite, on_duty, start), (), notes


def _group_a(gender_v, year_v, design_v, ncre_v, assess_v):
    problems = []
    out = []
    for key, parse, value in (("gender", _gender, gender_v), ("graduation_year", _year, year_v),
                              ("design_grade", _design, design_v), ("ncre_level", _ncre, ncre_v),
                              ("assessment", _assessment, assess_v)):
        parsed, error = parse(value)
        out.append(parsed)
        if error:
            problems.append((key, error))
    return (*out, problems)


_GROUP_B = (("pilot_major", _bool_no), ("has_diploma", _bool_no), ("has_degree", _bool_no),
            ("conduct_ok", _bool_yes), ("physically_fit", _bool_yes), ("continuing_education_done", _bool_yes),
            ("employed_in_anhui", _bool_no), ("tripartite_agreement", _bool_no), ("on_duty", _bool_no))


def _group_b(degree_v, *flags):
    problems = []
    degree, error = _degree(degree_v)
    if error:
        problems.append(("degree_level", error))
    out = [degree]
    for (key, parse), value in zip(_GROUP_B, flags, strict=True):
        parsed, error = parse(value)
        out.append(parsed)
        if error:
            problems.append((key, error))
    if out[3] and degree == "junior_college":
        problems.append(("has_degree", _("专科不授予学位，“是否取得学位证”应为“否”")))
    return (*out, problems)


def _parse_date(value: str):
    text = value.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    if " " in text:
        text = text.split(" ", 1)[0]
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 8 and text.isdigit():
        parts = [text[:4], text[4:6], text[6:]]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return day.isoformat()


def record_cells(record, institutions) -> list[str]:
    """A checked record back as cells in ``COLUMNS`` order (for django-import-export's dataset)."""
    out = []
    for key, value in zip(FIELDS, record, strict=True):
        if key == "institution_id":
            value = institutions[value][0]
        elif value is True:
            value = "是"
        elif value is False:
            value = "否"
        elif value is None:
            value = ""
        out.append(str(value))
    return out
