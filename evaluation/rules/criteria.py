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
    PATH_DEGREE,
    PHD,
    SKILL_LEVEL_NAMES,
)
from .profile import Profile
from .standard import LevelStandard, PathStandard

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
        a = p.general.assessment
        self.assessment = -1 if a is None else ASSESSMENT_ORDER[a]  # unknown meets nothing
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
    """One kind of criterion.  Callables other than ``params`` take the kind's params positionally.

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
    params: Callable[[str, PathStandard, LevelStandard], tuple | None]  # thresholds; None = not in this path
    label: Callable[..., str]  # (*params) -> Chinese label
    test: Callable[..., Callable[[Any], Any]] | None
    evidence: Callable[[Any], str]  # witness -> what was used, e.g. "省级竞赛奖 第1名"
    missing: Callable[..., str] | None = None  # (clause, *params, value) -> what to do; None = generic
    missing_from: str | tuple[str, ...] | None = None  # Facts attribute(s) giving ``value``
    clause: str | None = None  # its own clause, when not the path's


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


def _degree_missing(clause: str, cls: str, have: tuple[int, bool, bool]) -> str:
    prog, diploma, degree = have
    if prog == _JUNIOR and cls not in (PHD, MASTER):
        return f"取得专科毕业证（{clause}）"
    needed = "、".join(name for name, got in (("毕业证", diploma), ("学位证", degree)) if not got)
    return f"取得{needed}（{clause}）"


# --- practice months (深入企业实习实践训练时间累计) -----------------------------------


def _practice_evidence(months: float) -> str:
    """"实践12.0个月"; more decimals only when the record has them ("实践1.25个月")."""
    return f"实践{months:.1f}个月" if months == round(months, 1) else f"实践{months:g}个月"


def _practice_missing(clause: str, months: float, have: float) -> str:
    return f"累计企业实习实践还需至少{num(months - have)}个月（{clause}）"


# --- rank in major (平均学分绩点排名专业前 x%) --------------------------------------


def _rank_missing(clause: str, ceiling: float, rank: float | None) -> str:
    if rank is None:
        return f"需提供平均学分绩点专业排名，且排名进入专业前{num(ceiling)}%（{clause}）"
    return f"平均学分绩点专业排名需进入前{num(ceiling)}%（目前为前{num(rank)}%）（{clause}）"


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


def _design_params(path: str, ps: PathStandard, lv: LevelStandard) -> tuple:
    return (DESIGN_ORDER[ps.design_min_grade] if ps.design_min_grade else 0,)


def _competition_params(path: str, ps: PathStandard, lv: LevelStandard) -> tuple:
    return (AWARD_ORDER[lv.competition_min_level], ps.competition_max_rank or ANY_RANK)


def _patent_params(path: str, ps: PathStandard, lv: LevelStandard) -> tuple:
    return (ps.invention_max_rank or ANY_RANK, ps.utility_model_max_rank or ANY_RANK,
            ANY_RANK if ps.software_copyright else 0)


def _project_params(path: str, ps: PathStandard, lv: LevelStandard) -> tuple:
    return (AWARD_ORDER[ps.project_min_level] if ps.project_min_level else 0, ps.project_leader, ps.project_concluded)


#: The table of criterion kinds, by key.  Paths use them as gates (degree, practice, rank),
#: options (PATH_OPTIONS) or school-added extra requirements (EXTRA_KINDS).
KINDS: dict[str, CriterionKind] = {k.key: k for k in (
    CriterionKind(
        "degree", CUSTOM, None, params=lambda path, ps, lv: (PATH_DEGREE[path],),
        label=_degree_label, test=_degree_check, evidence=_identity,
        missing=_degree_missing, missing_from=("prog", "diploma", "degree")),
    CriterionKind(
        "practice", AT_LEAST, "months",
        params=lambda path, ps, lv: (float(ps.practice_months),) if ps.practice_months > 0 else None,
        label=lambda m: f"在校期间深入企业实习实践训练累计不少于{num(m)}个月", test=None,
        evidence=_practice_evidence, missing=_practice_missing, missing_from="months"),
    CriterionKind(
        "rank", AT_MOST, "rank",
        params=lambda path, ps, lv: None if ps.rank_percent_max is None else (float(ps.rank_percent_max),),
        label=lambda c: f"平均学分绩点排名专业前{num(c)}%", test=None,
        evidence=lambda r: f"专业排名前{num(r)}%", missing=_rank_missing, missing_from="rank"),
    CriterionKind(
        "design", AT_LEAST, "design", params=_design_params, label=_design_label, test=None,
        evidence=lambda g: f"毕业设计{DESIGN_NAMES[DESIGN_GRADES[g]]}"),
    CriterionKind(
        "ncre", AT_LEAST, "ncre", params=lambda path, ps, lv: (max(1, ps.ncre_min_level or 1),),
        label=lambda n: f"具备全国计算机等级考试{n}级及以上", test=None, evidence=lambda n: f"全国计算机等级{n}级"),
    CriterionKind(
        "competition", POOL, "awards", params=_competition_params, label=_competition_label,
        test=_competition_test, evidence=_competition_evidence),
    CriterionKind(
        "patent", POOL, "patents", params=_patent_params, label=_patent_label, test=_patent_test,
        evidence=_patent_evidence),
    CriterionKind(
        "skill", POOL, "skills", params=lambda path, ps, lv: (lv.skill_min_level,), label=_skill_label,
        test=_skill_test, evidence=_skill_evidence),
    CriterionKind(
        "project", POOL, "projects", params=_project_params, label=_project_label, test=_project_test,
        evidence=_project_evidence),
    CriterionKind(
        "paper", POOL, "papers", params=lambda path, ps, lv: (ps.paper_first_author,), label=_paper_label,
        test=_paper_test, evidence=_paper_evidence),
    # Extra requirements only a school standard adds:
    CriterionKind(
        "first_author_paper", POOL, "papers", params=lambda path, ps, lv: (True,),
        label=lambda _: "以第一作者发表相关专业领域学术论文", test=_paper_test, evidence=_paper_evidence),
    CriterionKind(
        "assessment_excellent", AT_LEAST, "assessment",
        params=lambda path, ps, lv: (ASSESSMENT_ORDER["excellent"],),
        label=lambda _: "年度综合考核优秀", test=None, evidence=lambda _: "年度考核优秀", clause="附件2 一(六)2"),
)}

#: The mandatory criteria every path starts with, in this order.
GATE_KINDS: tuple[str, ...] = ("degree", "practice", "rank")


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
