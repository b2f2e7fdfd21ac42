"""A school's own evaluation standard (自主评审标准条件) and its check against the baseline.

通知 三(一)2(4) lets a pilot school set its own standard "按照有关基本条件和要求";
通知 四(四) forbids lowering it (不得擅自降低评价标准).  So a standard here is the
baseline table of 附件2 一(八) (DOMAIN §3.6) with knobs a school may only turn
towards *stricter*: more practice months, a smaller rank ceiling, a larger N,
higher competition/skill/NCRE/design/project levels, tighter patent ranks, and
extra requirements.  Which criteria a path has (its M) is fixed by the notice and
lives in :mod:`.clauses`.

:func:`validate_standard` lists every way a standard is looser than the baseline
(or simply invalid); the engine refuses to compile a standard with violations.

Storage: :meth:`SchoolStandard.to_dict` / :meth:`SchoolStandard.from_dict` use a
small, stable, JSON-serialisable dict (``version`` 1).  Versioning of stored
standards is the Django side's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple

from .clauses import (
    AWARD_LEVEL_NAMES,
    AWARD_ORDER,
    COMPETITION,
    DESIGN,
    DESIGN_NAMES,
    DESIGN_ORDER,
    EXTRA_KINDS,
    LEVEL_CLAUSES,
    LEVEL_NAMES,
    LEVELS,
    NCRE,
    PAPER,
    PATENT,
    PATH_OPTIONS,
    PATHS,
    PROJECT,
    PROJECT_LEVELS,
    SKILL_LEVEL_NAMES,
    path_clause,
)

STANDARD_DICT_VERSION = 1
DEFAULT_NAME = "附件2基本条件（默认标准）"
NO_LOWERING_CLAUSE = "通知 四(四)"


@dataclass(frozen=True, slots=True)
class PathStandard:
    """Thresholds of one path of 附件2 一(八).  Every default means "no requirement".

    Knobs of an option kind the path does not have (e.g. NCRE for path 3) must stay
    at their default unless that kind is named in ``extra_requirements``.
    """

    practice_months: float = 0.0  # 深入企业实习实践训练时间累计, at least
    rank_percent_max: float | None = None  # 平均学分绩点排名专业前 x%
    options_required: int = 0  # the N of "M 选 N"
    competition_max_rank: int | None = None  # 排名第1 → 1; None = any place
    invention_max_rank: int | None = None  # 发明排名前2 → 2; None = any rank
    utility_model_max_rank: int | None = None  # 实用新型排名第1 → 1
    software_copyright: bool = False  # 软件著作权 counts as the patent criterion
    ncre_min_level: int | None = None  # 全国计算机等级 x 级及以上
    design_min_grade: str | None = None  # 毕业设计 at least this grade
    project_min_level: str | None = None  # 大创项目 at least this level
    project_leader: bool = False  # 作为项目负责人
    project_concluded: bool = False  # 并结题
    paper_first_author: bool = False  # 论文（第一作者）
    extra_requirements: tuple[str, ...] = ()  # school-added, each a mandatory criterion (EXTRA_KINDS)


@dataclass(frozen=True, slots=True)
class LevelStandard:
    """What "一定级别学科竞赛奖项" and "相应等级的职业技能认证" mean for one title level."""

    competition_min_level: str  # AWARD_LEVELS
    skill_min_level: int  # 1..5; a certificate of this level or a higher one (smaller number) counts


#: The baseline of 附件2 一(八), in PATHS order (DOMAIN §3.6).
BASELINE_PATHS: tuple[PathStandard, ...] = (
    PathStandard(),  # 1(1) 博士 直接认定
    PathStandard(practice_months=12, options_required=2, ncre_min_level=3),  # 1(2) 5选2
    PathStandard(  # 1(3) 7选3
        practice_months=12,
        rank_percent_max=30,
        options_required=3,
        design_min_grade="excellent",
        competition_max_rank=1,
        invention_max_rank=2,
        utility_model_max_rank=1,
        project_min_level="national",
        project_leader=True,
        project_concluded=True,
        ncre_min_level=3,
        paper_first_author=True,
    ),
    PathStandard(practice_months=4),  # 2(1) 硕士 直接认定
    PathStandard(  # 2(2) 6选2
        practice_months=4,
        rank_percent_max=50,
        options_required=2,
        design_min_grade="good",
        invention_max_rank=3,
        utility_model_max_rank=1,
        project_min_level="provincial",
        project_leader=True,
        project_concluded=True,
        ncre_min_level=2,
    ),
    PathStandard(  # 3 4选1
        practice_months=1,
        options_required=1,
        project_min_level="school",
        project_concluded=True,
        software_copyright=True,
    ),
)

#: DOMAIN §3.6 default levels, in LEVELS order; also the floor (see validate_standard).
BASELINE_LEVELS: tuple[LevelStandard, ...] = (
    LevelStandard(competition_min_level="provincial", skill_min_level=3),  # 工程师: 省级, 三级/高级工
    LevelStandard(competition_min_level="provincial", skill_min_level=4),  # 助理工程师: 省级, 四级/中级工
    LevelStandard(competition_min_level="school", skill_min_level=5),  # 技术员: 校级, 五级/初级工
)


@dataclass(frozen=True, slots=True)
class SchoolStandard:
    """A complete standard: one :class:`PathStandard` per path, one :class:`LevelStandard` per level."""

    name: str = DEFAULT_NAME
    paths: tuple[PathStandard, ...] = BASELINE_PATHS  # in clauses.PATHS order
    levels: tuple[LevelStandard, ...] = BASELINE_LEVELS  # in clauses.LEVELS order

    def path(self, path: str) -> PathStandard:
        return self.paths[PATHS.index(path)]

    def level(self, level: str) -> LevelStandard:
        return self.levels[LEVELS.index(level)]

    def with_path(self, path: str, **changes: Any) -> SchoolStandard:
        """A copy with some knobs of one path changed: ``std.with_path("1(3)", rank_percent_max=20)``."""
        i = PATHS.index(path)
        paths = self.paths[:i] + (replace(self.paths[i], **changes),) + self.paths[i + 1 :]
        return replace(self, paths=paths)

    def with_level(self, level: str, **changes: Any) -> SchoolStandard:
        """A copy with one level's competition/skill level changed."""
        i = LEVELS.index(level)
        levels = self.levels[:i] + (replace(self.levels[i], **changes),) + self.levels[i + 1 :]
        return replace(self, levels=levels)

    def to_dict(self) -> dict[str, Any]:
        """Stable, JSON-serialisable form; ``from_dict(to_dict(s)) == s``."""
        return {
            "version": STANDARD_DICT_VERSION,
            "name": self.name,
            "levels": {
                code: {"competition_min_level": lv.competition_min_level, "skill_min_level": lv.skill_min_level}
                for code, lv in zip(LEVELS, self.levels, strict=True)
            },
            "paths": {p: _path_to_dict(ps) for p, ps in zip(PATHS, self.paths, strict=True)},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SchoolStandard:
        """Parse :meth:`to_dict` output.  Keys left out take the baseline value, so a
        stored standard may list only what the school tightened.  Unknown keys and
        wrongly typed values raise ``ValueError``; looseness does NOT raise — ask
        :func:`validate_standard`, so that a form can show every violation at once."""
        _reject_unknown(d, {"version", "name", "levels", "paths"}, "standard")
        if d.get("version", STANDARD_DICT_VERSION) != STANDARD_DICT_VERSION:
            raise ValueError(f"standard: 不支持的版本 {d.get('version')!r}")
        levels_in = d.get("levels", {})
        paths_in = d.get("paths", {})
        _reject_unknown(levels_in, set(LEVELS), "levels")
        _reject_unknown(paths_in, set(PATHS), "paths")
        levels = tuple(
            _level_from_dict(levels_in.get(code, {}), base, f"levels.{code}")
            for code, base in zip(LEVELS, BASELINE_LEVELS, strict=True)
        )
        paths = tuple(
            _path_from_dict(paths_in.get(p, {}), base, f"paths.{p}")
            for p, base in zip(PATHS, BASELINE_PATHS, strict=True)
        )
        name = d.get("name", DEFAULT_NAME)
        if not isinstance(name, str):
            raise ValueError("standard.name: 应为字符串")
        return cls(name=name, paths=paths, levels=levels)


DEFAULT_STANDARD = SchoolStandard()


# --- (de)serialisation --------------------------------------------------------

_PATH_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "practice_months": (int, float),
    "rank_percent_max": (int, float, type(None)),
    "options_required": (int,),
    "competition_max_rank": (int, type(None)),
    "invention_max_rank": (int, type(None)),
    "utility_model_max_rank": (int, type(None)),
    "software_copyright": (bool,),
    "ncre_min_level": (int, type(None)),
    "design_min_grade": (str, type(None)),
    "project_min_level": (str, type(None)),
    "project_leader": (bool,),
    "project_concluded": (bool,),
    "paper_first_author": (bool,),
    "extra_requirements": (list, tuple),
}


def _reject_unknown(d: Any, allowed: set[str], where: str) -> None:
    if not isinstance(d, dict):
        raise ValueError(f"{where}: 应为对象")
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise ValueError(f"{where}: 未知字段 {', '.join(unknown)}")


def _check_type(value: Any, types: tuple[type, ...], where: str) -> None:
    # bool is an int subclass; a number field must not accept true/false.
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise ValueError(f"{where}: 类型错误（{value!r}）")


def _path_to_dict(ps: PathStandard) -> dict[str, Any]:
    d = {f.name: getattr(ps, f.name) for f in fields(PathStandard)}
    d["extra_requirements"] = list(ps.extra_requirements)
    return d


def _path_from_dict(d: Any, base: PathStandard, where: str) -> PathStandard:
    _reject_unknown(d, set(_PATH_FIELD_TYPES), where)
    values: dict[str, Any] = {}
    for name, types in _PATH_FIELD_TYPES.items():
        if name not in d:
            continue
        value = d[name]
        _check_type(value, types, f"{where}.{name}")
        if name == "extra_requirements":
            if not all(isinstance(x, str) for x in value):
                raise ValueError(f"{where}.{name}: 应为字符串列表")
            value = tuple(value)
        elif name in ("practice_months", "rank_percent_max") and value is not None:
            value = float(value)
        values[name] = value
    return replace(base, **values)


def _level_from_dict(d: Any, base: LevelStandard, where: str) -> LevelStandard:
    _reject_unknown(d, {"competition_min_level", "skill_min_level"}, where)
    if "competition_min_level" in d:
        _check_type(d["competition_min_level"], (str,), f"{where}.competition_min_level")
    if "skill_min_level" in d:
        _check_type(d["skill_min_level"], (int,), f"{where}.skill_min_level")
    return replace(base, **d)


# --- validation -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a standard is looser than the baseline, or invalid.

    ``field`` is the dotted key in :meth:`SchoolStandard.to_dict` (for form errors);
    ``message`` is Chinese and starts with the clause.
    """

    clause: str
    field: str
    message: str


class StandardError(ValueError):
    """Raised when a standard with violations is used for evaluation."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("；".join(v.message for v in violations))


def _fmt_num(x: float) -> str:
    return f"{x:g}"


def _months(v: float | None) -> str:
    return f"{_fmt_num(v)}个月" if v is not None else "不限"


def _percent(v: float | None) -> str:
    return f"前{_fmt_num(v)}%" if v is not None else "不限"


def _place(v: int | None) -> str:
    if v is None:
        return "不限"
    return "第1名" if v == 1 else f"前{v}名"


def _count(v: int | None) -> str:
    return f"{v}项"


def _ncre(v: int | None) -> str:
    return f"{v}级" if v is not None else "不限"


def _design(v: str | None) -> str:
    return DESIGN_NAMES.get(v, str(v)) if v is not None else "不限"


def _project_level(v: str | None) -> str:
    return AWARD_LEVEL_NAMES.get(v, str(v)) if v is not None else "不限"


def _skill(v: int | None) -> str:
    return SKILL_LEVEL_NAMES.get(v, str(v))


# Directions in which a knob may move.  Each returns True when `value` is LOOSER than `base`.
def _looser_if_lower(value: Any, base: Any) -> bool:  # value must stay >= base
    return base is not None and (value is None or value < base)


def _looser_if_higher(value: Any, base: Any) -> bool:  # a cap: value must stay <= base
    return base is not None and (value is None or value > base)


def _looser_if_dropped(value: bool, base: bool) -> bool:  # a requirement that must stay on
    return base and not value


def _looser_if_added(value: bool, base: bool) -> bool:  # an allowance that must stay off
    return value and not base


def _ordinal(order: dict[str, int]) -> Callable[[Any, Any], bool]:
    def looser(value: Any, base: Any) -> bool:
        return base is not None and (value is None or order.get(value, -1) < order[base])

    return looser


class _Knob(NamedTuple):
    name: str
    kind: str | None  # option kind the knob belongs to (None = the path itself)
    looser: Callable[[Any, Any], bool]
    describe: Callable[[Any], str]
    rule: str  # Chinese, with {base} and {value}


_PATH_KNOBS: tuple[_Knob, ...] = (
    _Knob("practice_months", None, _looser_if_lower, _months, "企业实习实践累计时间不得少于{base}（设为{value}）"),
    _Knob("rank_percent_max", None, _looser_if_higher, _percent, "平均学分绩点排名要求不得宽于{base}（设为{value}）"),
    _Knob("options_required", None, _looser_if_lower, _count, "可选条件须满足的项数不得少于{base}（设为{value}）"),
    _Knob("competition_max_rank", COMPETITION, _looser_if_higher, _place,
          "学科竞赛奖项排名要求不得宽于{base}（设为{value}）"),
    _Knob("invention_max_rank", PATENT, _looser_if_higher, _place, "发明专利排名要求不得宽于{base}（设为{value}）"),
    _Knob("utility_model_max_rank", PATENT, _looser_if_higher, _place,
          "实用新型专利排名要求不得宽于{base}（设为{value}）"),
    _Knob("software_copyright", PATENT, _looser_if_added, str, "本路径专利条件不得计入软件著作权"),
    _Knob("ncre_min_level", NCRE, _looser_if_lower, _ncre, "全国计算机等级要求不得低于{base}（设为{value}）"),
    _Knob("design_min_grade", DESIGN, _ordinal(DESIGN_ORDER), _design, "毕业设计成绩要求不得低于{base}（设为{value}）"),
    _Knob("project_min_level", PROJECT, _ordinal(AWARD_ORDER), _project_level,
          "大创项目级别要求不得低于{base}（设为{value}）"),
    _Knob("project_leader", PROJECT, _looser_if_dropped, str, "大创项目须作为项目负责人承担，不得取消该要求"),
    _Knob("project_concluded", PROJECT, _looser_if_dropped, str, "大创项目须已结题，不得取消该要求"),
    _Knob("paper_first_author", PAPER, _looser_if_dropped, str, "论文须为第一作者，不得取消该要求"),
)

#: Option kind whose knobs an extra requirement makes applicable.
_EXTRA_USES_KIND = {COMPETITION: COMPETITION, PATENT: PATENT, PROJECT: PROJECT}


def validate_standard(std: SchoolStandard) -> list[Violation]:
    """Every way ``std`` is looser than the baseline of 附件2 一(八), or invalid.

    Decision (DOMAIN §3.6, 通知 四(四) 不得擅自降低评价标准): the notice leaves
    "一定级别学科竞赛奖项" and "相应等级的职业技能认证" to the school, but the
    portal's default levels (工程师/助理工程师: 省级竞赛, 三级/四级证书; 技术员: 校级,
    五级) are treated as the floor too — a school may raise them, never lower
    them.  Without a floor "竞赛奖项" could be read as any award at all, which
    would be exactly the lowering the notice forbids.

    An empty list means the standard may be used.
    """
    if len(std.paths) != len(PATHS) or len(std.levels) != len(LEVELS):
        return [Violation("附件2 一(八)", "", "附件2 一(八)：标准须包含全部路径和级别")]
    out: list[Violation] = []
    for code, lv, base in zip(LEVELS, std.levels, BASELINE_LEVELS, strict=True):
        out.extend(_level_violations(code, lv, base))
    for path, ps, base in zip(PATHS, std.paths, BASELINE_PATHS, strict=True):
        out.extend(_path_violations(path, ps, base))
    return out


def ensure_valid(std: SchoolStandard) -> None:
    """Raise :class:`StandardError` listing every violation, if any."""
    violations = validate_standard(std)
    if violations:
        raise StandardError(violations)


def _violation(clause: str, field: str, text: str) -> Violation:
    return Violation(clause, field, f"{clause}：{text}")


def _level_violations(code: str, lv: LevelStandard, base: LevelStandard) -> list[Violation]:
    clause, name, where = LEVEL_CLAUSES[code], LEVEL_NAMES[code], f"levels.{code}"
    out = []
    if lv.competition_min_level not in AWARD_ORDER:
        out.append(_violation(clause, f"{where}.competition_min_level",
                              f"{name}学科竞赛奖项级别无效（{lv.competition_min_level!r}）"))
    elif AWARD_ORDER[lv.competition_min_level] < AWARD_ORDER[base.competition_min_level]:
        out.append(_violation(
            clause, f"{where}.competition_min_level",
            f"{name}学科竞赛奖项级别不得低于{AWARD_LEVEL_NAMES[base.competition_min_level]}"
            f"（设为{AWARD_LEVEL_NAMES[lv.competition_min_level]}）；默认级别即下限（{NO_LOWERING_CLAUSE}）"))
    if lv.skill_min_level not in SKILL_LEVEL_NAMES:
        out.append(_violation(clause, f"{where}.skill_min_level", f"{name}职业技能等级无效（{lv.skill_min_level!r}）"))
    elif lv.skill_min_level > base.skill_min_level:
        out.append(_violation(
            clause, f"{where}.skill_min_level",
            f"{name}职业技能等级证书不得低于{_skill(base.skill_min_level)}"
            f"（设为{_skill(lv.skill_min_level)}）；默认等级即下限（{NO_LOWERING_CLAUSE}）"))
    return out


def _path_violations(path: str, ps: PathStandard, base: PathStandard) -> list[Violation]:
    clause, where = path_clause(path), f"paths.{path}"
    invalid = _invalid_values(path, ps)
    if invalid:  # comparing invalid values with the baseline would be meaningless
        return [_violation(clause, f"{where}.{name}", text) for name, text in invalid]
    applicable = set(PATH_OPTIONS[path]) | {_EXTRA_USES_KIND[e] for e in ps.extra_requirements
                                            if e in _EXTRA_USES_KIND}
    out = []
    for knob in _PATH_KNOBS:
        value, base_value = getattr(ps, knob.name), getattr(base, knob.name)
        if knob.kind is not None and knob.kind not in applicable:
            if value != getattr(_UNSET_PATH, knob.name):
                out.append(_violation(clause, f"{where}.{knob.name}",
                                      f"本路径没有该条件，不能设置 {knob.name}（设为{value!r}）"))
        elif knob.looser(value, base_value):
            text = knob.rule.format(base=knob.describe(base_value), value=knob.describe(value))
            out.append(_violation(clause, f"{where}.{knob.name}", text))
    return out


_UNSET_PATH = PathStandard()


def _invalid_values(path: str, ps: PathStandard) -> list[tuple[str, str]]:
    m = len(PATH_OPTIONS[path])
    bad: list[tuple[str, str]] = []
    if not ps.practice_months >= 0:
        bad.append(("practice_months", f"企业实习实践时间无效（{ps.practice_months!r}）"))
    if ps.rank_percent_max is not None and not 0 < ps.rank_percent_max <= 100:
        bad.append(("rank_percent_max", f"排名百分比须在0到100之间（设为{ps.rank_percent_max!r}）"))
    if not 0 <= ps.options_required <= m:
        bad.append(("options_required", f"可选条件须满足的项数须在0到{m}之间（设为{ps.options_required!r}）"))
    for name in ("competition_max_rank", "invention_max_rank", "utility_model_max_rank"):
        value = getattr(ps, name)
        if value is not None and value < 1:
            bad.append((name, f"排名须为正整数（{name} 设为{value!r}）"))
    if ps.ncre_min_level is not None and not 0 <= ps.ncre_min_level <= 4:
        bad.append(("ncre_min_level", f"全国计算机等级须在0到4之间（设为{ps.ncre_min_level!r}）"))
    if ps.design_min_grade is not None and ps.design_min_grade not in DESIGN_ORDER:
        bad.append(("design_min_grade", f"毕业设计成绩等次无效（{ps.design_min_grade!r}）"))
    if ps.project_min_level is not None and ps.project_min_level not in PROJECT_LEVELS:
        bad.append(("project_min_level", f"大创项目级别无效（{ps.project_min_level!r}）"))
    extras = ps.extra_requirements
    if any(e not in EXTRA_KINDS for e in extras) or len(set(extras)) != len(extras):
        bad.append(("extra_requirements", f"附加条件无效或重复（{list(extras)!r}）"))
    return bad


__all__ = [
    "BASELINE_LEVELS",
    "BASELINE_PATHS",
    "DEFAULT_STANDARD",
    "LevelStandard",
    "PathStandard",
    "SchoolStandard",
    "StandardError",
    "Violation",
    "ensure_valid",
    "validate_standard",
]
