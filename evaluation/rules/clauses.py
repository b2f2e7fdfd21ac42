"""The fixed structure of 附件2 一(八), and the vocabularies, as plain data.

What lives here is what the notice (皖人社秘〔2023〕280号, 附件2) fixes and no
school may change: which paths lead to which title level, which degree a path
asks for, and which M criteria a path's "N of M" chooses from.  What a school
*may* tune — thresholds and N — lives in :mod:`.standard`.

Ordinal vocabularies are given lowest first so that ``ORDER[x] >= ORDER[y]``
reads "x is at least y" (附件2 一(八) and DOMAIN §3.6: a higher level meets a
criterion that names a lower one).
"""

from __future__ import annotations

# --- title levels -----------------------------------------------------------

ENGINEER = "engineer"
ASSISTANT_ENGINEER = "assistant_engineer"
TECHNICIAN = "technician"
NONE = "none"

#: Title levels, highest first.
LEVELS: tuple[str, ...] = (ENGINEER, ASSISTANT_ENGINEER, TECHNICIAN)
LEVEL_NAMES: dict[str, str] = {
    ENGINEER: "工程师",
    ASSISTANT_ENGINEER: "助理工程师",
    TECHNICIAN: "技术员",
    NONE: "未达到技术员条件",
}
#: 0 = none … 3 = 工程师; "next higher level" is rank + 1.
LEVEL_RANK: dict[str, int] = {NONE: 0, TECHNICIAN: 1, ASSISTANT_ENGINEER: 2, ENGINEER: 3}
#: Clause of each level's conditions (used where a rule applies to a whole level).
LEVEL_CLAUSES: dict[str, str] = {
    ENGINEER: "附件2 一(八)1",
    ASSISTANT_ENGINEER: "附件2 一(八)2",
    TECHNICIAN: "附件2 一(八)3",
}

# --- paths of 一(八) ----------------------------------------------------------

#: Every path, highest level first and, within a level, in the notice's order.
PATHS: tuple[str, ...] = ("1(1)", "1(2)", "1(3)", "2(1)", "2(2)", "3")

PATH_LEVEL: dict[str, str] = {
    "1(1)": ENGINEER,
    "1(2)": ENGINEER,
    "1(3)": ENGINEER,
    "2(1)": ASSISTANT_ENGINEER,
    "2(2)": ASSISTANT_ENGINEER,
    "3": TECHNICIAN,
}

# Degree requirement classes of the paths.
PHD = "phd"  # 取得毕业证、学位证的博士研究生 — 1(1)
MASTER = "master"  # 取得硕士研究生毕业证、学位证 — 1(2), 2(1)
UNDERGRADUATE = "undergraduate"  # 本科毕业证+学位证，或专科毕业证 — 1(3), 2(2), 3

PATH_DEGREE: dict[str, str] = {
    "1(1)": PHD,
    "1(2)": MASTER,
    "1(3)": UNDERGRADUATE,
    "2(1)": MASTER,
    "2(2)": UNDERGRADUATE,
    "3": UNDERGRADUATE,
}

# Option (achievement) kinds that an "N of M" is drawn from.
DESIGN = "design"  # 毕业设计成绩
COMPETITION = "competition"  # 学科竞赛奖项
PATENT = "patent"  # 专利（发明/实用新型/软件著作权）
SKILL = "skill"  # 相应等级的职业技能认证
PROJECT = "project"  # 大学生创新创业训练计划项目
NCRE = "ncre"  # 全国计算机等级考试
PAPER = "paper"  # 相关专业领域学术论文

OPTION_KINDS: tuple[str, ...] = (DESIGN, COMPETITION, PATENT, SKILL, PROJECT, NCRE, PAPER)

#: The M criteria of each path, in the notice's wording order.  Empty = "直接认定".
PATH_OPTIONS: dict[str, tuple[str, ...]] = {
    "1(1)": (),
    "1(2)": (COMPETITION, PATENT, SKILL, NCRE, PAPER),  # 5选2
    "1(3)": (DESIGN, COMPETITION, PATENT, SKILL, PROJECT, NCRE, PAPER),  # 7选3
    "2(1)": (),
    "2(2)": (DESIGN, COMPETITION, PATENT, SKILL, PROJECT, NCRE),  # 6选2
    "3": (COMPETITION, PROJECT, SKILL, PATENT),  # 4选1
}

# Extra requirements a school standard may add to a path (all tighten it).
ASSESSMENT_EXCELLENT = "assessment_excellent"  # 年度综合考核优秀
FIRST_AUTHOR_PAPER = "first_author_paper"  # 以第一作者发表相关专业领域论文
#: Keys of criteria.KINDS.
EXTRA_KINDS: tuple[str, ...] = (ASSESSMENT_EXCELLENT, FIRST_AUTHOR_PAPER, COMPETITION, PATENT, SKILL, PROJECT)


def path_clause(path: str) -> str:
    """'1(3)' -> '附件2 一(八)1(3)'."""
    return f"附件2 一(八){path}"


# --- vocabularies -------------------------------------------------------------

#: Programme being finished, lowest first (专科 < 本科 < 硕士 < 博士).
DEGREES: tuple[str, ...] = ("junior_college", "bachelor", "master", "phd")
DEGREE_ORDER: dict[str, int] = {d: i for i, d in enumerate(DEGREES)}
DEGREE_NAMES: dict[str, str] = {
    "junior_college": "专科",
    "bachelor": "大学本科",
    "master": "硕士研究生",
    "phd": "博士研究生",
}
#: Lowest programme that can ever meet a degree class (attainability).
DEGREE_CLASS_MIN: dict[str, int] = {PHD: 3, MASTER: 2, UNDERGRADUATE: 0}

#: Award / project levels, lowest first: school < municipal < provincial < national < international.
AWARD_LEVELS: tuple[str, ...] = ("school", "municipal", "provincial", "national", "international")
AWARD_ORDER: dict[str, int] = {v: i for i, v in enumerate(AWARD_LEVELS)}
AWARD_LEVEL_NAMES: dict[str, str] = {
    "school": "校级",
    "municipal": "市级",
    "provincial": "省级",
    "national": "国家级",
    "international": "国际级",
}
PROJECT_LEVELS: tuple[str, ...] = ("school", "provincial", "national")

#: 毕业设计 grades, lowest first.
DESIGN_GRADES: tuple[str, ...] = ("fail", "pass", "medium", "good", "excellent")
DESIGN_ORDER: dict[str, int] = {v: i for i, v in enumerate(DESIGN_GRADES)}
DESIGN_NAMES: dict[str, str] = {
    "fail": "不及格",
    "pass": "及格",
    "medium": "中等",
    "good": "良好",
    "excellent": "优秀",
}

#: Annual overall assessment, lowest first.
ASSESSMENTS: tuple[str, ...] = ("fail", "pass", "good", "excellent")
ASSESSMENT_ORDER: dict[str, int] = {v: i for i, v in enumerate(ASSESSMENTS)}
ASSESSMENT_NAMES: dict[str, str] = {"fail": "不合格", "pass": "合格", "good": "良好", "excellent": "优秀"}

#: 职业技能等级: a SMALLER number is a HIGHER level (1 高级技师 … 5 初级工).
SKILL_LEVEL_NAMES: dict[int, str] = {
    1: "一级/高级技师",
    2: "二级/技师",
    3: "三级/高级工",
    4: "四级/中级工",
    5: "五级/初级工",
}

PATENT_TYPES: tuple[str, ...] = ("invention", "utility_model", "software_copyright")
PATENT_ORDER: dict[str, int] = {v: i for i, v in enumerate(PATENT_TYPES)}
PATENT_NAMES: dict[str, str] = {
    "invention": "发明专利",
    "utility_model": "实用新型专利",
    "software_copyright": "软件著作权",
}

ROLES: tuple[str, ...] = ("leader", "member")
ROLE_NAMES: dict[str, str] = {"leader": "负责人", "member": "成员"}
