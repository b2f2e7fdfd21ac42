"""Title eligibility rules of 皖人社秘〔2023〕280号 附件2 — pure Python, no Django.

Profiles in, verdicts out; every criterion cites its clause.  The Django side
stores profiles and school standards and calls :func:`evaluate`; other tools use
the JSON contracts through :mod:`.contract`.

Modules: :mod:`.clauses` (the notice's fixed structure), :mod:`.profile` (the
graduate), :mod:`.standard` (a school's standard and its check against the
baseline), :mod:`.criteria` (criteria as data), :mod:`.engine` (evaluation),
:mod:`.contract` (JSON schemas, validation, batch evaluation).
"""

from .engine import CriterionResult, Verdict, blocking_reasons, evaluate, level_only, path_criteria
from .profile import (
    CompetitionAward,
    Employment,
    General,
    InnovationProject,
    Paper,
    Patent,
    Profile,
    SkillCertificate,
)
from .standard import (
    DEFAULT_STANDARD,
    LevelStandard,
    PathStandard,
    SchoolStandard,
    StandardError,
    Violation,
    validate_standard,
)

__all__ = [
    "DEFAULT_STANDARD",
    "CompetitionAward",
    "CriterionResult",
    "Employment",
    "General",
    "InnovationProject",
    "LevelStandard",
    "Paper",
    "PathStandard",
    "Patent",
    "Profile",
    "SchoolStandard",
    "SkillCertificate",
    "StandardError",
    "Verdict",
    "Violation",
    "blocking_reasons",
    "evaluate",
    "level_only",
    "path_criteria",
    "validate_standard",
]
