"""Properties of the engine over generated profiles and standards (hypothesis):

* adding any achievement never lowers the level;
* a stricter school standard never raises it, and one looser in any knob is always refused;
* evaluate is deterministic, agrees with level_only, and its output satisfies the verdict contract.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.rules import (
    DEFAULT_STANDARD,
    CompetitionAward,
    Employment,
    General,
    InnovationProject,
    LevelStandard,
    Paper,
    Patent,
    PathStandard,
    Profile,
    SchoolStandard,
    SkillCertificate,
    StandardError,
    evaluate,
    level_only,
    validate_standard,
)
from evaluation.rules.clauses import (
    AWARD_LEVELS,
    DESIGN_GRADES,
    EXTRA_KINDS,
    LEVEL_RANK,
    LEVELS,
    PATH_OPTIONS,
    PATHS,
    PROJECT_LEVELS,
)
from evaluation.rules.contract import validate_verdict
from evaluation.rules.standard import BASELINE_LEVELS, BASELINE_PATHS

# Local settings (not a global profile, which would change other test modules too).
examples = settings(max_examples=150, deadline=None)

# --- profiles ---------------------------------------------------------------------------------

# Boundary values are drawn often; other values fill the gaps.
months = st.sampled_from([0, 0.5, 0.9, 1, 3.9, 4, 11.9, 12, 24]) | st.floats(0, 36, allow_nan=False)
ranks = st.none() | st.sampled_from([10, 29.9, 30, 30.1, 50, 50.1, 100]) | st.floats(0.1, 100)
small = dict(max_size=3)

awards = st.builds(CompetitionAward, st.sampled_from(AWARD_LEVELS), st.integers(1, 4))
patents = st.builds(Patent, st.sampled_from(["invention", "utility_model", "software_copyright"]), st.integers(1, 4))
skills = st.builds(SkillCertificate, st.integers(1, 5), st.none() | st.just("6-31-01-03"), st.booleans())
projects = st.builds(InnovationProject, st.sampled_from(PROJECT_LEVELS), st.sampled_from(["leader", "member"]),
                     st.booleans())
papers = st.builds(Paper, st.booleans(), st.booleans())
achievements = st.one_of(
    awards.map(lambda a: ("competition_awards", a)),
    patents.map(lambda p: ("patents", p)),
    skills.map(lambda s: ("skill_certificates", s)),
    projects.map(lambda j: ("innovation_projects", j)),
    papers.map(lambda q: ("papers", q)),
)

profiles = st.builds(
    Profile,
    id=st.text(max_size=5),
    degree=st.sampled_from(["junior_college", "bachelor", "master", "phd"]),
    has_diploma=st.booleans(),
    has_degree=st.booleans(),
    practice_months=months,
    major_rank_percent=ranks,
    design_grade=st.none() | st.sampled_from(DESIGN_GRADES),
    ncre_level=st.integers(0, 4),
    competition_awards=st.lists(awards, **small).map(tuple),
    patents=st.lists(patents, **small).map(tuple),
    skill_certificates=st.lists(skills, **small).map(tuple),
    innovation_projects=st.lists(projects, **small).map(tuple),
    papers=st.lists(papers, **small).map(tuple),
    general=st.builds(General, st.none() | st.booleans(), st.none() | st.sampled_from(["excellent", "good", "pass", "fail"]),
                      st.none() | st.booleans(), st.none() | st.booleans()),
    employment=st.none() | st.builds(Employment, st.booleans(), st.booleans(), st.booleans()),
    pilot_major=st.none() | st.booleans(),
    pilot_school=st.none() | st.booleans(),
)


def rank_of(level: str) -> int:
    return LEVEL_RANK[level]


# --- standards: tightening and loosening one knob at a time ------------------------------------


def _tighter_path(draw, path: str, ps: PathStandard) -> PathStandard:
    """Each knob the path has moves (or not) towards stricter."""
    options = PATH_OPTIONS[path]
    ch: dict = {}
    if draw(st.booleans()):
        ch["practice_months"] = ps.practice_months + draw(st.sampled_from([0.1, 1, 6]))
    if draw(st.booleans()):
        ch["rank_percent_max"] = draw(st.floats(1, ps.rank_percent_max or 100))
    if options and draw(st.booleans()):
        ch["options_required"] = draw(st.integers(ps.options_required, len(options)))
    if "competition" in options and draw(st.booleans()):
        ch["competition_max_rank"] = draw(st.integers(1, ps.competition_max_rank or 3))
    if "patent" in options and draw(st.booleans()):
        ch["invention_max_rank"] = draw(st.integers(1, ps.invention_max_rank or 3))
        ch["utility_model_max_rank"] = 1
        ch["software_copyright"] = ps.software_copyright and draw(st.booleans())
    if "ncre" in options and draw(st.booleans()):
        ch["ncre_min_level"] = draw(st.integers(ps.ncre_min_level, 4))
    if "design" in options and draw(st.booleans()):
        ch["design_min_grade"] = draw(st.sampled_from(DESIGN_GRADES[DESIGN_GRADES.index(ps.design_min_grade):]))
    if "project" in options and draw(st.booleans()):
        ch["project_min_level"] = draw(st.sampled_from(PROJECT_LEVELS[PROJECT_LEVELS.index(ps.project_min_level):]))
        ch["project_leader"] = ps.project_leader or draw(st.booleans())
        ch["project_concluded"] = True
    if "paper" in options and draw(st.booleans()):
        ch["paper_first_author"] = True
    if draw(st.integers(0, 3)) == 0:  # extras are only ever added
        added = draw(st.lists(st.sampled_from(EXTRA_KINDS), unique=True, max_size=3))
        ch["extra_requirements"] = ps.extra_requirements + tuple(e for e in added if e not in ps.extra_requirements)
    return replace(ps, **ch)


def _tighter_level(draw, lv: LevelStandard) -> LevelStandard:
    base = AWARD_LEVELS.index(lv.competition_min_level)
    return LevelStandard(draw(st.sampled_from(AWARD_LEVELS[base:])), draw(st.integers(1, lv.skill_min_level)))


@st.composite
def tighter_standards(draw, base: SchoolStandard = DEFAULT_STANDARD) -> SchoolStandard:
    paths = tuple(_tighter_path(draw, p, ps) for p, ps in zip(PATHS, base.paths, strict=True))
    levels = tuple(_tighter_level(draw, lv) for lv in base.levels)
    return SchoolStandard(name="更严", paths=paths, levels=levels)


def _loosenings() -> list[tuple[str, str, object]]:
    """Every knob that has a baseline value, with one looser value each: (path or level, field, value)."""
    out: list[tuple[str, str, object]] = []
    for path, ps in zip(PATHS, BASELINE_PATHS, strict=True):
        if ps.practice_months:
            out.append((path, "practice_months", ps.practice_months - 0.5))
        if ps.rank_percent_max is not None:
            out += [(path, "rank_percent_max", ps.rank_percent_max + 0.1), (path, "rank_percent_max", None)]
        if ps.options_required:
            out.append((path, "options_required", ps.options_required - 1))
        for field in ("competition_max_rank", "invention_max_rank", "utility_model_max_rank"):
            if getattr(ps, field) is not None:
                out += [(path, field, getattr(ps, field) + 1), (path, field, None)]
        if "patent" in PATH_OPTIONS[path] and not ps.software_copyright:
            out.append((path, "software_copyright", True))
        if ps.ncre_min_level is not None:
            out += [(path, "ncre_min_level", ps.ncre_min_level - 1), (path, "ncre_min_level", None)]
        if ps.design_min_grade is not None:
            out.append((path, "design_min_grade", DESIGN_GRADES[DESIGN_GRADES.index(ps.design_min_grade) - 1]))
        if ps.project_min_level not in (None, "school"):
            out.append((path, "project_min_level", PROJECT_LEVELS[PROJECT_LEVELS.index(ps.project_min_level) - 1]))
        for field in ("project_leader", "project_concluded", "paper_first_author"):
            if getattr(ps, field):
                out.append((path, field, False))
    for level, lv in zip(LEVELS, BASELINE_LEVELS, strict=True):
        if lv.competition_min_level != "school":
            out.append((level, "competition_min_level", AWARD_LEVELS[AWARD_LEVELS.index(lv.competition_min_level) - 1]))
        if lv.skill_min_level < 5:
            out.append((level, "skill_min_level", lv.skill_min_level + 1))
    return out


LOOSENINGS = _loosenings()


def test_the_loosening_list_covers_every_knob_with_a_baseline() -> None:
    fields = {field for _, field, _ in LOOSENINGS}
    assert fields == {f for f in PathStandard.__dataclass_fields__ if f != "extra_requirements"} | {
        "competition_min_level", "skill_min_level"}


# --- properties -------------------------------------------------------------------------------------


@examples
@given(profiles, achievements)
def test_adding_an_achievement_never_lowers_the_level(profile: Profile, achievement) -> None:
    field, item = achievement
    richer = replace(profile, **{field: getattr(profile, field) + (item,)})
    assert rank_of(evaluate(richer).level) >= rank_of(evaluate(profile).level)


@examples
@given(profiles, st.sampled_from([("practice_months", 1), ("ncre_level", 1)]))
def test_more_months_or_a_higher_ncre_never_lowers_the_level(profile: Profile, bump) -> None:
    field, step = bump
    value = min(getattr(profile, field) + step, 4) if field == "ncre_level" else getattr(profile, field) + step
    assert rank_of(evaluate(replace(profile, **{field: value})).level) >= rank_of(evaluate(profile).level)


@examples
@given(profiles, tighter_standards())
def test_a_stricter_standard_never_raises_the_level(profile: Profile, stricter: SchoolStandard) -> None:
    assert validate_standard(stricter) == []
    assert rank_of(evaluate(profile, stricter).level) <= rank_of(evaluate(profile).level)


@examples
@given(profiles, st.data())
def test_tightening_a_tightened_standard_lowers_further_or_keeps(profile: Profile, data) -> None:
    stricter = data.draw(tighter_standards())
    strictest = data.draw(tighter_standards(stricter))
    assert validate_standard(strictest) == []
    assert rank_of(evaluate(profile, strictest).level) <= rank_of(evaluate(profile, stricter).level)


@examples
@given(tighter_standards(), st.sampled_from(LOOSENINGS), profiles)
def test_a_standard_looser_in_any_knob_is_refused(std: SchoolStandard, loosening, profile: Profile) -> None:
    key, field, value = loosening
    looser = std.with_path(key, **{field: value}) if key in PATHS else std.with_level(key, **{field: value})
    violations = validate_standard(looser)
    assert violations
    assert any(v.field.endswith(f".{key}.{field}") for v in violations)
    try:
        evaluate(profile, looser)
    except StandardError:
        pass
    else:
        raise AssertionError("a looser standard was used for evaluation")


@examples
@given(profiles, tighter_standards())
def test_evaluate_is_deterministic_and_agrees_with_level_only(profile: Profile, std: SchoolStandard) -> None:
    first = evaluate(profile, std)
    again = evaluate(replace(profile), SchoolStandard.from_dict(std.to_dict()))
    assert first == again
    assert level_only(profile, std) == first.level
    assert level_only(profile) == evaluate(profile).level


@examples
@given(profiles, st.one_of(st.just(DEFAULT_STANDARD), tighter_standards()))
def test_every_verdict_satisfies_the_verdict_contract(profile: Profile, std: SchoolStandard) -> None:
    verdict = evaluate(profile, std)
    d = verdict.to_dict()
    assert validate_verdict(d) == []
    assert d["id"] == profile.id
    assert (d["path"] is None) == (d["level"] == "none")
    assert d["may_apply"] == (d["blocking"] == [])
    assert (d["missing_for_next"] == []) == (d["level"] == "engineer")
    assert d["criteria"]
    # Rows: mandatory criteria, then (if the path has options) the "M选N" summary and the options.
    # The deciding path has every mandatory row and its summary met; the nearest path when none does not.
    labels = [c["label"] for c in d["criteria"]]
    summary = next((i for i, label in enumerate(labels) if "项条件中满足" in label), len(labels) - 1)
    assert all(c["met"] for c in d["criteria"][: summary + 1]) == (d["level"] != "none")
    assert all(c["clause"].startswith("附件2 ") for c in d["criteria"])
    assert all((c["evidence"] is not None) == c["met"] for i, c in enumerate(d["criteria"]) if i != summary
               or "项条件中满足" not in c["label"])
