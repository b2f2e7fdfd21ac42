"""Vocabularies and value parsers of a transcript's cells (used by ``check.Checker``).

Every parser takes a cell (a string, already NFKC-normalised) and returns ``(value, None)`` or
``(None, Chinese message)``; those for fields with few distinct values are memoised per file by the
checker. Values are canonical: booleans as bool, numbers as canonical strings ('12.0', '25.00'), dates
as ISO strings — the shape ``write`` reads back from the database, so "unchanged" is a tuple comparison.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from ..models.graduates import MAX_PRACTICE_MONTHS, MAX_YEAR, MIN_YEAR


def _table_map(*pairs) -> dict:
    """{spelling: value} with lower-case variants of every spelling."""
    out = {}
    for spellings, value in pairs:
        for s in spellings:
            s = unicodedata.normalize("NFKC", s)
            out[s] = value
            out[s.lower()] = value
    return out


BOOLEANS = _table_map(
    (("是", "Y", "Yes", "True", "1", "√", "✓", "有", "合格", "符合", "已完成", "完成", "已签订", "已签", "已到岗", "通过"), True),
    (("否", "N", "No", "False", "0", "×", "✗", "无", "不合格", "不符合", "未完成", "未签订", "未签", "未到岗", "未通过"),
     False),
)
# GB/T 2261.1: 1 男, 2 女 (the 学信网 files may carry the code).
GENDERS = _table_map((("男", "M", "Male", "男性", "1"), "M"), (("女", "F", "Female", "女性", "2"), "F"))
DEGREES = _table_map(
    (("博士", "博士研究生", "博士生", "phd", "doctor", "doctoral"), "phd"),
    (("硕士", "硕士研究生", "硕士生", "研究生", "master", "masters"), "master"),
    (("本科", "大学本科", "本科生", "普通本科", "职业本科", "bachelor", "undergraduate"), "bachelor"),
    (("专科", "大专", "高职", "高职专科", "专科生", "高职（专科）", "专科（高职）", "junior_college", "college", "associate"),
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


def parse_months(value):
    v = value.strip()
    if not v:
        return "0.0", None
    parsed = _decimal_text(v.removesuffix("个月").removesuffix("月").strip(), 1)
    if parsed is None:
        return None, _("企业实践月数“%(v)s”无效，应为不小于0的数字，最多1位小数") % {"v": v}
    if parsed[1] > MAX_PRACTICE_MONTHS:
        return None, _("企业实践月数%(v)s超过上限%(max)d个月") % {"v": v, "max": MAX_PRACTICE_MONTHS}
    return parsed[0], None


def parse_rank(value):
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


def parse_duty_date(value):
    v = value.strip()
    if not v:
        return None, None
    day = parse_date(v)
    if day is None:
        return None, _("到岗日期“%(v)s”无效，应为“年-月-日”，如 2025-07-15") % {"v": v}
    return day, None


_gender = _choice(GENDERS, _("性别"), _("“男”或“女”"))
_degree = _choice(DEGREES, _("学历层次"), _("博士研究生、硕士研究生、本科或专科"))
_design = _optional(_choice(DESIGN, _("毕业设计成绩"), _("优秀、良好、中等、及格或不及格")), "")
# 附件2 一(六): a blank general condition is unknown (None / ""), never met — the engine says 未提供.
_assessment = _optional(_choice(ASSESSMENTS, _("年度综合考核"), _("优秀、良好、合格或不合格")), "")
_bool_no = _optional(_boolean, False)
_bool_unknown = _optional(_boolean, None)
parse_major = _text(_("专业"), 100, True)
parse_employer = _text(_("就业单位"), 100, False)

#: 单位性质 (附件2 一(四) “在省内企业就业”): the codes of ``Graduate.employer_kind``; blank is unknown ("").
EMPLOYER_KINDS = {"企业": "enterprise", "国有企业": "enterprise", "民营企业": "enterprise", "私营企业": "enterprise",
                  "外资企业": "enterprise", "机关": "government", "党政机关": "government", "事业单位": "public",
                  "其他": "other"}
parse_employer_kind = _optional(_choice(EMPLOYER_KINDS, _("单位性质"), _("企业、机关、事业单位或其他")), "")




CODE = re.compile(r"[0-9A-Za-z_-]{1,32}")


def group_a(gender_v, year_v, design_v, ncre_v, assess_v):
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


GROUP_B = (("pilot_major", _bool_no), ("has_diploma", _bool_no), ("has_degree", _bool_no),
            ("conduct_ok", _bool_unknown), ("physically_fit", _bool_unknown),
            ("continuing_education_done", _bool_unknown),
            ("employed_in_anhui", _bool_no), ("tripartite_agreement", _bool_no), ("on_duty", _bool_no))


def group_b(degree_v, *flags):
    problems = []
    degree, error = _degree(degree_v)
    if error:
        problems.append(("degree_level", error))
    out = [degree]
    for (key, parse), value in zip(GROUP_B, flags, strict=True):
        parsed, error = parse(value)
        out.append(parsed)
        if error:
            problems.append((key, error))
    if out[3] and degree == "junior_college":
        problems.append(("has_degree", _("专科不授予学位，“是否取得学位证”应为“否”")))
    return (*out, problems)


def parse_date(value: str):
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




# --- the 学信网 layout: derived fields ------------------------------------------------------------------

#: 毕结业结论 (BJYJL) -> 是否取得毕业证: only 毕业 gives the diploma.
CONCLUSIONS = {"毕业": True, "结业": False, "肄业": False, "延期毕业": False, "退学": False}


def conclusion(value):
    v = value.strip()
    if not v:
        return None, None
    found = CONCLUSIONS.get(v)
    if found is None:
        return None, _("毕结业结论“%(v)s”无效，应为毕业、结业或肄业") % {"v": v}
    return found, None


def year_of_date(value):
    """预计毕业日期/毕业日期 (YYYYMMDD, 2025-06-30, 2025年6月) -> ('2025', None)."""
    v = value.strip()
    if not v:
        return "", _("预计毕业日期不能为空（无“毕业年份”列时由此得出毕业年份）")
    day = parse_date(v)
    if day is None and len(v) >= 6 and v[:4].isdigit():
        day = parse_date(v[:4] + "-" + (v[4:6] if v[4:6].isdigit() else v[5:7].rstrip("-月")) + "-01")
    if day is None:
        return "", _("预计毕业日期“%(v)s”无效，应为 YYYYMMDD 或 年-月-日") % {"v": v}
    return day[:4], None


#: 毕业证书编号 since 2002: 5-digit national code of the school, 办学类型 (1 = 普通高等教育), year, level, serial.
DIPLOMA_LEVELS = {"01": "phd", "02": "master", "05": "bachelor", "06": "junior_college"}
LEVEL_CODES = {v: k for k, v in DIPLOMA_LEVELS.items()}
LEVEL_NAMES = {"phd": "博士研究生", "master": "硕士研究生", "bachelor": "本科", "junior_college": "专科"}


def diploma_notes(number, school_code, year, degree):
    """Warnings on an 18-digit 毕业证书编号 that does not match the school, the year or the level."""
    if not number:
        return ()
    if len(number) != 18 or not number.isdigit():
        return (_("毕业证书编号不是18位数字（2002年起的编号为：院校代码5位、办学类型1位、年份4位、培养层次2位、序号6位），请核对"),)
    notes = []
    if school_code and number[:5] != school_code:
        notes.append(_("毕业证书编号前5位与本校院校代码%(code)s不一致，请核对") % {"code": school_code})
    if number[5] != "1":
        notes.append(_("毕业证书编号第6位（办学类型）应为1（普通高等教育），请核对"))
    if year is not None and number[6:10] != str(year):
        notes.append(_("毕业证书编号中的年份与毕业年份不一致，请核对"))
    level = DIPLOMA_LEVELS.get(number[10:12])
    if level is None:
        notes.append(_("毕业证书编号第11-12位（培养层次）应为01博士、02硕士、05本科或06专科，请核对"))
    elif degree is not None and level != degree:
        notes.append(_("毕业证书编号中的培养层次（%(code)s %(level)s）与学历层次不一致，请核对")
                     % {"code": number[10:12], "level": LEVEL_NAMES[level]})
    return tuple(notes)


def birth_note(value, id_number):
    """A warning when 出生日期 (CSRQ) differs from the birth date in the ID number."""
    v = value.strip()
    if not v:
        return None
    day = parse_date(v)
    if day is None or day.replace("-", "") != id_number[6:14]:
        return _("出生日期与身份证号中的出生日期不一致，请核对")
    return None
