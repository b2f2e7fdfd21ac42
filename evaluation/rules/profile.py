"""A graduate's evidence, as the rule engine reads it.

The shape follows ``eligibility-profile.schema.json`` (the contract other tools
write to), so :meth:`Profile.from_dict` takes exactly a contract object.  The
classes are frozen: a profile is a snapshot of records at evaluation time, and
immutability lets the Django side cache or hash it safely.

Two facts are engine-only and deliberately NOT in the contract: whether the
graduate's major is a pilot major and whether the school is a pilot school
(附件2 一(三)/(四)).  The Django side knows them from its own tables; ``None``
means "not checked" and never blocks, ``False`` blocks with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .clauses import ASSESSMENTS, AWARD_LEVELS, DEGREES, DESIGN_GRADES, PATENT_TYPES, PROJECT_LEVELS, ROLES


def _require(value: Any, allowed: tuple, what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what}: {value!r} 不是有效取值（应为 {', '.join(map(str, allowed))}）")


@dataclass(frozen=True, slots=True)
class CompetitionAward:
    """学科竞赛奖项: level of the competition and the graduate's place in the team list."""

    level: str
    rank: int

    def __post_init__(self) -> None:
        _require(self.level, AWARD_LEVELS, "competition_awards.level")


@dataclass(frozen=True, slots=True)
class Patent:
    """专利 (发明/实用新型) or 软件著作权, with the graduate's rank among the inventors."""

    type: str
    rank: int

    def __post_init__(self) -> None:
        _require(self.type, PATENT_TYPES, "patents.type")


@dataclass(frozen=True, slots=True)
class SkillCertificate:
    """职业技能等级证书: level 1 (一级/高级技师) … 5 (五级/初级工); smaller is higher."""

    level: int
    occupation_code: str | None = None
    one_plus_x: bool = False

    def __post_init__(self) -> None:
        _require(self.level, (1, 2, 3, 4, 5), "skill_certificates.level")


@dataclass(frozen=True, slots=True)
class InnovationProject:
    """大学生创新创业训练计划项目 (大创)."""

    level: str
    role: str
    concluded: bool

    def __post_init__(self) -> None:
        _require(self.level, PROJECT_LEVELS, "innovation_projects.level")
        _require(self.role, ROLES, "innovation_projects.role")


@dataclass(frozen=True, slots=True)
class Paper:
    """学术论文; ``in_field`` = in the graduate's professional field (相关专业领域)."""

    first_author: bool
    in_field: bool = True


@dataclass(frozen=True, slots=True)
class General:
    """附件2 一(六) general conditions, each as the school stated it.

    ``None`` is unknown — a key missing from the contract, a blank column in an import — and unknown is
    not met: the engine blocks evaluation with "未提供：…" until the school records it (DOMAIN §3.6).
    """

    conduct_ok: bool | None = None
    assessment: str | None = None
    physically_fit: bool | None = None
    continuing_education_done: bool | None = None

    def __post_init__(self) -> None:
        if self.assessment is not None:
            _require(self.assessment, ASSESSMENTS, "general.assessment")

    def to_dict(self) -> dict[str, Any]:
        """The stated keys only (the contract has no null here: a missing key is unknown)."""
        return {k: v for k in _GENERAL_KEYS if (v := getattr(self, k)) is not None}


_GENERAL_KEYS = ("conduct_ok", "assessment", "physically_fit", "continuing_education_done")


@dataclass(frozen=True, slots=True)
class Employment:
    """附件2 一(四), in the graduation year.

    A missing *object* means "not employed" (contract).  Inside a present object a
    missing key defaults to ``False``: the three facts are conditions the graduate
    must evidence, so an unknown one is not taken as met.
    """

    in_province: bool = False
    tripartite_agreement: bool = False
    on_duty: bool = False


def _tuple_of(cls: type, items: Any) -> tuple:
    return tuple(item if isinstance(item, cls) else cls(**item) for item in items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """One graduate.  Build with keywords, or from a contract dict with :meth:`from_dict`."""

    degree: str
    has_diploma: bool
    has_degree: bool
    practice_months: float
    id: str = ""
    major_rank_percent: float | None = None  # percentile in major, 10 = top 10%; None = unknown
    design_grade: str | None = None
    ncre_level: int = 0
    competition_awards: tuple[CompetitionAward, ...] = ()
    patents: tuple[Patent, ...] = ()
    skill_certificates: tuple[SkillCertificate, ...] = ()
    innovation_projects: tuple[InnovationProject, ...] = ()
    papers: tuple[Paper, ...] = ()
    general: General = field(default_factory=General)
    employment: Employment | None = None
    # Engine-only facts (not in the contract); None = not known/not checked.
    pilot_major: bool | None = None
    pilot_school: bool | None = None

    def __post_init__(self) -> None:
        _require(self.degree, DEGREES, "degree")
        if self.design_grade is not None:
            _require(self.design_grade, DESIGN_GRADES, "design_grade")
        if self.practice_months < 0:
            raise ValueError("practice_months: 不得为负数")
        # Accept lists (and dicts) for convenience, store tuples so the profile stays hashable.
        for name, cls in _ITEM_FIELDS:
            value = getattr(self, name)
            if type(value) is not tuple or any(type(v) is not cls for v in value):
                object.__setattr__(self, name, _tuple_of(cls, value))

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, pilot_major: bool | None = None,
                  pilot_school: bool | None = None) -> Profile:
        """Build from a contract-shaped dict (validate it first with ``contract.validate_profiles``)."""
        employment = d.get("employment")
        return cls(
            id=d.get("id", ""),
            degree=d["degree"],
            has_diploma=d["has_diploma"],
            has_degree=d["has_degree"],
            practice_months=d["practice_months"],
            major_rank_percent=d.get("major_rank_percent"),
            design_grade=d.get("design_grade"),
            ncre_level=d.get("ncre_level", 0),
            competition_awards=_tuple_of(CompetitionAward, d.get("competition_awards", ())),
            patents=_tuple_of(Patent, d.get("patents", ())),
            skill_certificates=_tuple_of(SkillCertificate, d.get("skill_certificates", ())),
            innovation_projects=_tuple_of(InnovationProject, d.get("innovation_projects", ())),
            papers=_tuple_of(Paper, d.get("papers", ())),
            general=General(**d.get("general", {})),
            employment=None if employment is None else Employment(**employment),
            pilot_major=pilot_major,
            pilot_school=pilot_school,
        )

    def to_dict(self) -> dict[str, Any]:
        """The contract-shaped dict (engine-only pilot facts are left out)."""
        d: dict[str, Any] = {
            "id": self.id,
            "degree": self.degree,
            "has_diploma": self.has_diploma,
            "has_degree": self.has_degree,
            "practice_months": self.practice_months,
            "major_rank_percent": self.major_rank_percent,
            "design_grade": self.design_grade,
            "ncre_level": self.ncre_level,
            "competition_awards": [{"level": a.level, "rank": a.rank} for a in self.competition_awards],
            "patents": [{"type": p.type, "rank": p.rank} for p in self.patents],
            "skill_certificates": [_skill_dict(s) for s in self.skill_certificates],
            "innovation_projects": [
                {"level": p.level, "role": p.role, "concluded": p.concluded} for p in self.innovation_projects
            ],
            "papers": [{"first_author": p.first_author, "in_field": p.in_field} for p in self.papers],
            "general": self.general.to_dict(),
        }
        if self.employment is not None:
            e = self.employment
            d["employment"] = {
                "in_province": e.in_province,
                "tripartite_agreement": e.tripartite_agreement,
                "on_duty": e.on_duty,
            }
        return d


def _skill_dict(s: SkillCertificate) -> dict[str, Any]:
    d: dict[str, Any] = {"level": s.level, "one_plus_x": s.one_plus_x}
    if s.occupation_code is not None:
        d["occupation_code"] = s.occupation_code
    return d


_ITEM_FIELDS: tuple[tuple[str, type], ...] = (
    ("competition_awards", CompetitionAward),
    ("patents", Patent),
    ("skill_certificates", SkillCertificate),
    ("innovation_projects", InnovationProject),
    ("papers", Paper),
)
