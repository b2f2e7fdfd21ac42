"""From stored records to the engine's ``Profile`` — one graduate, or a whole cohort in bulk reads."""

from __future__ import annotations

from evaluation.rules import (
    CompetitionAward,
    Employment,
    General,
    InnovationProject,
    Paper,
    Patent,
    Profile,
    SkillCertificate,
)

from .models import Achievement, Graduate

#: Graduate columns a profile needs, in the order ``profile_from_row`` reads them.
PROFILE_FIELDS = (
    "id", "degree_level", "has_diploma", "has_degree", "practice_months", "major_rank_percent", "design_grade",
    "ncre_level", "conduct_ok", "assessment", "physically_fit", "continuing_education_done", "employer",
    "employed_in_anhui", "tripartite_agreement", "on_duty", "pilot_major",
)
ACHIEVEMENT_FIELDS = ("graduate_id", "kind", "level", "rank", "patent_type", "skill_level", "occupation_code",
                      "one_plus_x", "role", "concluded", "first_author", "in_field")

_GENERALS: dict[tuple, General] = {}
_EMPLOYMENTS: dict[tuple, Employment] = {}


def _general(conduct_ok, assessment, fit, cont_ed):
    """Profiles are immutable, so equal parts are shared: one General per combination.

    A blank stored value (NULL, or "" for the assessment) is unknown — the engine says 未提供, never met."""
    assessment = assessment or None
    key = (conduct_ok, assessment, fit, cont_ed)
    general = _GENERALS.get(key)
    if general is None:
        general = _GENERALS[key] = General(conduct_ok=conduct_ok, assessment=assessment, physically_fit=fit,
                                           continuing_education_done=cont_ed)
    return general


def _employment(in_anhui, tripartite, on_duty):
    key = (in_anhui, tripartite, on_duty)
    employment = _EMPLOYMENTS.get(key)
    if employment is None:
        employment = _EMPLOYMENTS[key] = Employment(in_anhui, tripartite, on_duty)
    return employment


def _achievement(kind, level, rank, patent_type, skill_level, occupation_code, one_plus_x, role, concluded,
                 first_author, in_field):
    """(pool name, the engine's achievement) for one Achievement row."""
    if kind == "competition":
        return "awards", CompetitionAward(level, rank)
    if kind == "patent":
        return "patents", Patent(patent_type, rank)
    if kind == "skill":
        return "skills", SkillCertificate(skill_level, occupation_code or None, one_plus_x)
    if kind == "project":
        return "projects", InnovationProject(level, role, concluded)
    return "papers", Paper(first_author, in_field)


class Pools:
    """A graduate's achievements sorted into the engine's five pools."""

    __slots__ = ("awards", "patents", "skills", "projects", "papers")

    def __init__(self):
        self.awards, self.patents, self.skills, self.projects, self.papers = [], [], [], [], []

    def add(self, *row):
        pool, item = _achievement(*row)
        getattr(self, pool).append(item)


_NO_POOLS = Pools()
_EMPTY = ()


def profile_from_row(row, pools=None, *, pilot_school=None):
    """``row`` is a ``values_list(*PROFILE_FIELDS)`` tuple."""
    (pk, degree, has_diploma, has_degree, months, rank, design, ncre, conduct_ok, assessment, fit, cont_ed,
     employer, in_anhui, tripartite, on_duty, pilot_major) = row
    p = pools or _NO_POOLS
    employed = employer or in_anhui or tripartite or on_duty
    return Profile(
        id=str(pk),
        degree=degree,
        has_diploma=has_diploma,
        has_degree=has_degree,
        practice_months=float(months),
        major_rank_percent=None if rank is None else float(rank),
        design_grade=design or None,
        ncre_level=ncre,
        competition_awards=tuple(p.awards) if p.awards else _EMPTY,
        patents=tuple(p.patents) if p.patents else _EMPTY,
        skill_certificates=tuple(p.skills) if p.skills else _EMPTY,
        innovation_projects=tuple(p.projects) if p.projects else _EMPTY,
        papers=tuple(p.papers) if p.papers else _EMPTY,
        general=_general(conduct_ok, assessment, fit, cont_ed),
        employment=_employment(in_anhui, tripartite, on_duty) if employed else None,
        pilot_major=pilot_major,
        pilot_school=pilot_school,
    )


def graduate_profile(graduate: Graduate, achievements=None) -> Profile:
    """The profile of one graduate (reads its achievements unless given)."""
    if achievements is None:
        achievements = graduate.achievements.all()
    pools = Pools()
    for a in achievements:
        pools.add(a.kind, a.level, a.rank, a.patent_type, a.skill_level, a.occupation_code, a.one_plus_x, a.role,
                  a.concluded, a.first_author, a.in_field)
    row = tuple(getattr(graduate, "pk" if f == "id" else f) for f in PROFILE_FIELDS)
    return profile_from_row(row, pools)


def achievement_pools(graduates_qs) -> dict[int, Pools]:
    """{graduate id: Pools} for every graduate of ``graduates_qs`` that has achievements (one query).

    Equal achievements are one object (they are immutable): a cohort has few distinct ones.
    """
    pools: dict[int, Pools] = {}
    made: dict[tuple, tuple] = {}
    rows = (Achievement.objects.filter(graduate__in=graduates_qs.values("pk"))
            .order_by("graduate_id", "id").values_list(*ACHIEVEMENT_FIELDS))
    for row in rows.iterator(chunk_size=20_000):
        gid, rest = row[0], row[1:]
        found = made.get(rest)
        if found is None:
            found = made[rest] = _achievement(*rest)
        target = pools.get(gid)
        if target is None:
            target = pools[gid] = Pools()
        getattr(target, found[0]).append(found[1])
    return pools
