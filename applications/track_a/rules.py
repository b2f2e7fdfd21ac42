"""The checks of Track A that need no database: who may apply, counts that must add up, the 30% practice rule,
and what an evaluation committee must look like. Plain values in, messages (Chinese) out; each check cites its clause.

- Who may apply (通知 二(一), 三(一)1): an applied science/engineering university or a technician college that already
  has a provincial-or-higher modern industry college.
- Practice hours (通知 三(一)1(2)): practice teaching ≥ 30% of the programme's total hours. Compared in integers
  (practice × 10 ≥ total × 3), so 29.9% is flagged and 30% passes, with no rounding in between.
- Counts (附件1 教师基本信息/学生基本信息; DOMAIN §3.3): 正高级 + 副高级 + 中级及以下 = 教师总人数;
  企业教师数 + 学校教师数 = 教师总人数; 具有企业背景的专任教师数 ≤ 学校教师数; 本科生 + 硕士生 + 博士生 + 其他学历形式 = 学生总人数.
- The committee (附件2 二; DOMAIN §3.4, §7) — see ``committee_problems``.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

PRACTICE_MIN_PERCENT = 30
MAX_PARTNERS = 5  # 附件1: 合作企业(单位)名称(限填5个)

# 技术员 / 助理工程师 are 初级 titles, 工程师 is 中级 (engineering series).
LEVEL_TECHNICIAN = "technician"
LEVEL_ASSISTANT = "assistant_engineer"
LEVEL_ENGINEER = "engineer"
TITLE_LEVELS = [(LEVEL_TECHNICIAN, "技术员"), (LEVEL_ASSISTANT, "助理工程师"), (LEVEL_ENGINEER, "工程师")]
JUNIOR_TITLE_LEVELS = {LEVEL_TECHNICIAN, LEVEL_ASSISTANT}

COMMITTEE_INTERMEDIATE = "intermediate"
COMMITTEE_JUNIOR = "junior"
COMMITTEE_MIN_MEMBERS = 5
COMMITTEE_MAX_TERM_YEARS = 3

# portal.models.TitleLevel codes ranked; 高技能人才 and 无 are not professional titles.
_TITLE_RANK = {"senior": 4, "deputy_senior": 3, "intermediate": 2, "junior": 1, "skilled": 0, "none": 0}


def is_senior(title_level):
    """副高级 or higher (a 高级专家 in a 中级 committee's majority)."""
    return _TITLE_RANK.get(title_level, 0) >= _TITLE_RANK["deputy_senior"]


def seniors_needed(level, size):
    """How many of ``size`` members must be 副高级 or higher: more than half in a 中级 committee (附件2 二(二)1),
    none required in a 初级 one."""
    return size // 2 + 1 if level == COMMITTEE_INTERMEDIATE else 0


# --- who may apply ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reasons: tuple = ()


def eligibility(*, has_industry_college, industry_college_level, applied_engineering, is_technician_college):
    """May this institution apply for the title self-evaluation pilot (通知 二(一), 三(一)1)?"""
    reasons = []
    if not has_industry_college or industry_college_level not in ("national", "provincial"):
        reasons.append("尚未建有省级以上现代产业学院（通知 二(一)：在已建有省级以上现代产业学院的应用型理工科高校和技师学院中开展试点）。")
    if not (applied_engineering or is_technician_college):
        reasons.append("不是应用型理工科高校或技师学院（通知 二(一)）。")
    return Eligibility(ok=not reasons, reasons=tuple(reasons))


# --- figures of 附件1 --------------------------------------------------------------------------------------------

def practice_ok(total_hours, practice_hours):
    """实践教学学时不低于专业人才培养方案总学时的30% (通知 三(一)1(2)). None when a figure is missing."""
    if not total_hours or practice_hours is None:
        return None
    return practice_hours * 100 >= total_hours * PRACTICE_MIN_PERCENT


def percent(part, total, digits=1):
    """``part / total`` as a percentage rounded for display, or None."""
    if part is None or not total:
        return None
    return round(float(Fraction(part, total) * 100), digits)


def student_teacher_ratio(students, teachers):
    """生师比 as ``x.x:1`` (students per teacher), or None."""
    if students is None or not teachers:
        return None
    return f"{float(Fraction(students, teachers)):.1f}:1"


TEACHER_SUMS = (
    (("teachers_senior", "teachers_deputy_senior", "teachers_intermediate_or_below"), "teachers_total",
     "正高级、副高级、中级及以下人数之和（%(sum)s）与教师总人数（%(total)s）不一致。"),
    (("teachers_enterprise", "teachers_school"), "teachers_total",
     "企业教师数与学校教师数之和（%(sum)s）与教师总人数（%(total)s）不一致。"),
)
STUDENT_SUMS = (
    (("students_undergraduate", "students_master", "students_doctoral", "students_other"), "students_total",
     "本科生、硕士生、博士生和其他学历形式人数之和（%(sum)s）与学生总人数（%(total)s）不一致。"),
)


def count_problems(values):
    """Which counts do not add up: [(field, message)] for a dict of 附件1 counts (missing values are skipped).

    A sum is checked only once all of its figures are given, so that a half-filled draft can be saved.
    """
    problems = []
    for parts, total_field, message in TEACHER_SUMS + STUDENT_SUMS:
        figures = [values.get(p) for p in parts]
        total = values.get(total_field)
        if total is None or any(f is None for f in figures):
            continue
        if sum(figures) != total:
            problems.append((total_field, message % {"sum": sum(figures), "total": total}))
    background, school = values.get("teachers_enterprise_background"), values.get("teachers_school")
    if background is not None and school is not None and background > school:
        problems.append(("teachers_enterprise_background",
                         "具有企业背景的专任教师数（%s）不能超过学校教师数（%s）。" % (background, school)))
    return problems


# --- the evaluation committee --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    name: str
    title_level: str  # portal.models.TitleLevel code
    is_chair: bool
    term_start: date | None
    term_end: date | None


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def committee_levels_needed(authority_levels):
    """A committee that evaluates 工程师 must be a 中级 committee; 技术员/助理工程师 alone need a 初级 one."""
    return COMMITTEE_INTERMEDIATE if LEVEL_ENGINEER in set(authority_levels) else COMMITTEE_JUNIOR


def committee_problems(*, level, members, authority_levels=(), on=None):
    """Why a committee cannot be filed (核准备案), as messages; empty when it can.

    The portal's rule, from 附件2 二(二)1 (具有足够数量且符合条件的高（中）级职称评审专家) and DOMAIN §7:
    - an odd number of members, at least 5 (so that "2/3 of the members present" is a real quorum);
    - exactly one chair (主任委员), holding a 副高级 title or higher;
    - every member's term at most 3 years (and, with ``on``, serving on that day: not yet ended);
    - a 中级 committee: every member holds 中级 or higher, and more than half hold 副高级 or higher (高级专家);
      a 初级 committee: every member holds 中级 or higher (中级专家);
    - a committee evaluating 工程师 (a 中级 title) must be a 中级 committee; a 中级 committee also covers the 初级 levels.
    """
    problems = []
    n = len(members)
    if n < COMMITTEE_MIN_MEMBERS:
        problems.append("评委会委员不少于%d人，当前%d人。" % (COMMITTEE_MIN_MEMBERS, n))
    if n % 2 == 0:
        problems.append("评委会委员人数应为单数，当前%d人。" % n)
    chairs = [m for m in members if m.is_chair]
    if len(chairs) != 1:
        problems.append("评委会应有且只有一名主任委员，当前%d名。" % len(chairs))
    elif not is_senior(chairs[0].title_level):
        problems.append("主任委员%s应具有副高级及以上职称。" % chairs[0].name)
    for m in members:
        if not m.term_start or not m.term_end:
            problems.append("委员%s未填写任期。" % m.name)
        elif m.term_end <= m.term_start:
            problems.append("委员%s的任期结束日期应晚于开始日期。" % m.name)
        elif m.term_end > add_years(m.term_start, COMMITTEE_MAX_TERM_YEARS):
            problems.append("委员%s的任期超过%d年。" % (m.name, COMMITTEE_MAX_TERM_YEARS))
        elif on is not None and m.term_end < on:
            problems.append("委员%s的任期已于%s届满，请调整或续聘。" % (m.name, m.term_end.isoformat()))
    below = [m.name for m in members if _TITLE_RANK.get(m.title_level, 0) < _TITLE_RANK["intermediate"]]
    if below:
        problems.append("评审专家应具有中级及以上职称：%s不符合。" % "、".join(below))
    if level == COMMITTEE_INTERMEDIATE and n:
        senior = sum(1 for m in members if is_senior(m.title_level))
        if senior < seniors_needed(level, n):
            problems.append("中级评委会应有过半数委员具有副高级及以上职称，当前%d/%d。" % (senior, n))
    if committee_levels_needed(authority_levels) == COMMITTEE_INTERMEDIATE and level != COMMITTEE_INTERMEDIATE:
        problems.append("自主评审权包括工程师（中级），应组建中级职称评委会。")
    return problems
