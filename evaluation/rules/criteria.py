"""The criteria of 附件2 一(八) as data: one descriptor per kind of criterion.

Each :class:`CriterionKind` says, for given thresholds ("params", taken from the
school standard by :mod:`.engine`), what the criterion is called in Chinese,
how it is tested, how the evidence used is described, and — for mandatory
criteria — what a student must still do.  The engine never branches on a kind:
it compiles a standard into per-path tuples of these descriptors and runs them.

Speed matters (the engine evaluates whole cohorts), so tests run on
:class:`Facts`, a once-per-profile normalisation of the profile into ints and
small tuples, and closures are built once per standard, never per profile.

Pool criteria (competition, patent, skill, project, paper) consume an
achievement; for those the descriptor gives ``accepts(item)`` so that the engine
can assign achievements to criteria when one pool feeds several criteria of a
path (the same patent may not satisfy two criteria).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple

from .clauses import (
    ASSESSMENT_ORDER,
    AWARD_LEVEL_NAMES,
    AWARD_LEVELS,
    AWARD_ORDER,
    DEGREE_NAMES,
    DEGREE_ORDER,
    DEGREES,
    DESIGN_GRADES,
    DESIGN_NAMES,
    DESIGN_ORDER,
    MASTER,
    PATENT_NAMES,
    PATENT_ORDER,
    PATENT_TYPES,
    PHD,
    SKILL_LEVEL_NAMES,
)
from .profile import Profile

#: Rank cap meaning "any rank".
ANY_RANK = 1 << 30

_JUNIOR, _BACHELOR, _MASTER, _PHD = range(4)


class Facts:
    """A profile reduced once to what the criteria compare (ordinals, tuples).

    Pools are sequences of plain tuples — cheap to test, hash and describe:
    awards ``(level_order, rank)``, patents ``(type_order, rank)``, skills
    ``(level, one_plus_x, occupation_code)``, projects ``(level_order, leader,
    concluded)``, papers ``(first_author, in_field)``.
    """

    __slots__ = ("prog", "diploma", "degree", "months", "rank", "design", "ncre", "assessment",
                 "awards", "patents", "skills", "projects", "papers")

    def __init__(self, p: Profile) -> None:
        self.prog = DEGREE_ORDER[p.degree]
        self.diploma = p.has_diploma
        self.degree = p.has_degree
        self.months = p.practice_months
        self.rank = p.major_rank_percent
        grade = p.design_grade
        self.design = -1 if grade is None else DESIGN_ORDER[grade]
        self.ncre = p.ncre_level
        self.assessment = ASSESSMENT_ORDER[p.general.assessment]
        x: Any = p.competition_awards
        self.awards = [(AWARD_ORDER[a.level], a.rank) for a in x] if x else ()
        x = p.patents
        self.patents = [(PATENT_ORDER[t.type], t.rank) for t in x] if x else ()
        x = p.skill_certificates
        self.skills = [(s.level, s.one_plus_x, s.occupation_code) for s in x] if x else ()
        x = p.innovation_projects
        self.projects = [(AWARD_ORDER[j.level], j.role == "leader", j.concluded) for j in x] if x else ()
        x = p.papers
        self.papers = [(q.first_author, q.in_field) for q in x] if x else ()


POOL, AT_LEAST, AT_MOST, CUSTOM = "pool", "at_least", "at_most", "custom"


class CriterionKind(NamedTuple):
    """One kind of criterion.  All callables take the kind's params positionally.

    ``shape`` says how it is tested, so that the engine can batch tests:

    * ``pool``: met by the first achievement in ``Facts.<source>`` that
      ``test(*params)`` accepts; the witness is that achievement;
    * ``at_least`` / ``at_most``: met when ``Facts.<source>`` is >= / <= ``params[0]``
      (None never meets ``at_most``: an unknown rank meets nothing); the witness is the value;
    * ``custom``: ``test(*params)`` returns ``check(facts) -> witness | None``.
    """

    key: str
    shape: str
    source: str | None  # Facts attribute read
    label: Callable[..., str]  # (*params) -> Chinese label
    test: Callable[..., Callable[[Any], Any]] | None
    evidence: Callable[[Any], str]  # witness -> what was used, e.g. "省级竞赛奖 第1名"
    missing: Callable[..., str] | None  # (clause, *params, facts) -> what to do; None = generic wording


def num(x: float) -> str:
    """12.0 -> '12', 1.5 -> '1.5', 12 - 11.9 -> '0.1' (6 significant digits absorb float noise)."""
    return f"{x:g}"


# --- degree (学历学位) -----------------------------------------------------------

_DEGREE_EVIDENCE = tuple(
    "专科毕业证" if d == "junior_college" else f"{DEGREE_NAMES[d]}毕业证、学位证" for d in DEGREES
)


def _degree_label(cls: str) -> str:
    if cls == PHD:
        return "取得博士研究生毕业证、学位证"
    if cls == MASTER:
        return "取得硕士研究生毕业证、学位证（博士研究生亦可）"
    return "取得大学本科毕业证、学位证，或获得专科学历并取得毕业证（研究生亦可）"


def _degree_check(cls: str) -> Callable[[Facts], str | None]:
    # A higher programme meets a lower path's degree requirement only when complete
    # (diploma + degree): the profile records the programme being finished, not
    # earlier qualifications.  专科 needs only the diploma (附件2 一(八)1(3)/2(2)/3).
    minimum = _PHD if cls == PHD else _MASTER if cls == MASTER else _BACHELOR

    def check(f: Facts) -> str | None:
        if f.diploma and (f.degree and f.prog >= minimum or minimum == _BACHELOR and f.prog == _JUNIOR):
            return _DEGREE_EVIDENCE[f.prog]
        return None

    return check


def _degree_missing(clause: str, cls: str, f: Facts) -> str:
    if f.prog == _JUNIOR and cls not in (PHD, MASTER):
        return f"取得专科毕业证（{clause}）"
    needed = "、".join(name for name, have in (("毕业证", f.diploma), ("学位证", f.degree)) if not have)
    return f"取得{needed}（{clause}）"


# --- practice months (深入企业实习实践训练时间累计) -----------------------------------


def _practice_missing(clause: str, months: float, f: Facts) -> str:
    return f"累计企业实习实践还需至少{num(months - f.months)}个月（{clause}）"


# --- rank in major (平均学分绩点排名专业前 x%) --------------------------------------


def _rank_missing(clause: str, ceiling: float, f: Facts) -> str:
    if f.rank is None:
        return f"需提供平均学分绩点专业排名，且排名进入专业前{num(ceiling)}%（{clause}）"
    return f"平均学分绩点专业排名需进入前{num(ceiling)}%（目前为前{num(f.rank)}%）（{clause}）"


# --- single-fact options ---------------------------------------------------------------


def _design_label(grade: int) -> str:
    name = DESIGN_NAMES[DESIGN_GRADES[grade]]
    return f"毕业设计成绩{name}" if grade == DESIGN_ORDER["excellent"] else f"毕业设计成绩{name}及以上"


# --- pool options -----------------------------------------------------------------------


def _competition_label(min_level: int, max_rank: int) -> str:
    place = "" if max_rank >= ANY_RANK else "（排名第1）" if max_rank == 1 else f"（排名前{max_rank}）"
    return f"{AWARD_LEVEL_NAMES[AWARD_LEVELS[min_level]]}及以上学科竞赛奖项{place}"


def _competition_test(min_level: int, max_rank: int) -> Callable[[tuple], bool]:
    return lambda a: a[0] >= min_level and a[1] <= max_rank


def _competition_evidence(a: tuple) -> str:
    return f"{AWARD_LEVEL_NAMES[AWARD_LEVELS[a[0]]]}竞赛奖 第{a[1]}名"


def _patent_part(name: str, cap: int) -> str:
    return name if cap >= ANY_RANK else f"{name}排名第1" if cap == 1 else f"{name}排名前{cap}"


def _patent_label(invention: int, utility: int, software: int) -> str:
    parts = [_patent_part("发明", invention), _patent_part("实用新型", utility)]
    if software:
        parts.append("软件著作权")
    return f"获得有关专利（{'或'.join(parts)}）"


def _patent_test(invention: int, utility: int, software: int) -> Callable[[tuple], bool]:
    caps = (invention, utility, software)  # indexed by PATENT_ORDER; 0 = does not count
    return lambda p: p[1] <= caps[p[0]]


def _patent_evidence(p: tuple) -> str:
    return f"{PATENT_NAMES[PATENT_TYPES[p[0]]]} 排名第{p[1]}"


def _skill_label(level: int) -> str:
    return f"取得相应等级的职业技能认证（{SKILL_LEVEL_NAMES[level]}及以上）"


def _skill_test(level: int) -> Callable[[tuple], bool]:
    return lambda s: s[0] <= level  # smaller number = higher level


def _skill_evidence(s: tuple) -> str:
    kind = "1+X职业技能等级证书" if s[1] else "职业技能等级证书"
    code = f"（{s[2]}）" if s[2] else ""
    return f"{SKILL_LEVEL_NAMES[s[0]]}{kind}{code}"


def _project_label(min_level: int, leader: bool, concluded: bool) -> str:
    top = min_level == AWARD_ORDER["national"]
    level = f"{AWARD_LEVEL_NAMES[AWARD_LEVELS[min_level]]}{'' if top else '及以上'}"
    return f"{'作为项目负责人' if leader else ''}承担{level}大学生创新创业训练计划项目{'并结题' if concluded else ''}"


def _project_test(min_level: int, leader: bool, concluded: bool) -> Callable[[tuple], bool]:
    return lambda j: j[0] >= min_level and (j[1] or not leader) and (j[2] or not concluded)


def _project_evidence(j: tuple) -> str:
    role = "负责人" if j[1] else "成员"
    return f"{AWARD_LEVEL_NAMES[AWARD_LEVELS[j[0]]]}大创项目 {role} {'已结题' if j[2] else '未结题'}"


def _paper_label(first_author: bool) -> str:
    return "发表相关专业领域学术论文（第一作者）" if first_author else "发表相关专业领域学术论文"


def _paper_test(first_author: bool) -> Callable[[tuple], bool]:
    return lambda q: q[1] and (q[0] or not first_author)


def _paper_evidence(q: tuple) -> str:
    return "第一作者论文（本专业领域）" if q[0] else "论文（本专业领域，非第一作者）"


def _identity(w: Any) -> Any:
    return w


#: The table of criterion kinds.  Keys are used by the engine and in standards.
KINDS: dict[str, CriterionKind] = {
    k.key: k
    for k in (
        CriterionKind("degree", CUSTOM, None, _degree_label, _degree_check, _identity, _degree_missing),
        CriterionKind("practice", AT_LEAST, "months", lambda m: f"在校期间深入企业实习实践训练累计不少于{num(m)}个月",
                      None, lambda m: f"实践{m:.1f}个月", _practice_missing),
        CriterionKind("rank", AT_MOST, "rank", lambda c: f"平均学分绩点排名专业前{num(c)}%", None,
                      lambda r: f"专业排名前{num(r)}%", _rank_missing),
        CriterionKind("design", AT_LEAST, "design", _design_label, None,
                      lambda g: f"毕业设计{DESIGN_NAMES[DESIGN_GRADES[g]]}", None),
        CriterionKind("ncre", AT_LEAST, "ncre", lambda n: f"具备全国计算机等级考试{n}级及以上", None,
                      lambda n: f"全国计算机等级{n}级", None),
        CriterionKind("competition", POOL, "awards", _competition_label, _competition_test,
                      _competition_evidence, None),
        CriterionKind("patent", POOL, "patents", _patent_label, _patent_test, _patent_evidence, None),
        CriterionKind("skill", POOL, "skills", _skill_label, _skill_test, _skill_evidence, None),
        CriterionKind("project", POOL, "projects", _project_label, _project_test, _project_evidence, None),
        CriterionKind("paper", POOL, "papers", _paper_label, _paper_test, _paper_evidence, None),
        CriterionKind("assessment_excellent", AT_LEAST, "assessment", lambda _: "年度综合考核优秀", None,
                      lambda _: "年度考核优秀", None),
    )
}


def make_check(kind: CriterionKind, params: tuple) -> Callable[[Facts], Any]:
    """A stand-alone ``check(facts) -> witness | None`` for one criterion (lazy evaluation)."""
    if kind.shape == CUSTOM:
        return kind.test(*params)
    get = attrgetter(kind.source)
    if kind.shape == POOL:
        accepts = kind.test(*params)

        def check(f: Facts) -> Any:
            for item in get(f):
                if accepts(item):
                    return item
            return None
    elif kind.shape == AT_LEAST:
        minimum = params[0]

        def check(f: Facts) -> Any:
            v = get(f)
            return v if v >= minimum else None
    else:
        maximum = params[0]

        def check(f: Facts) -> Any:
            v = get(f)
            return v if v is not None and v <= maximum else None
    return check
