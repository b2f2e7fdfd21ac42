"""What the title engine answers: one row per criterion, and the verdict (see engine)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .clauses import (
    LEVEL_NAMES,
    path_clause,
)

# --- results ---------------------------------------------------------------------


class CriterionResult(NamedTuple):
    """One criterion of a path: its clause, Chinese label, whether met, and the evidence used."""

    clause: str
    label: str
    met: bool
    evidence: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "label": self.label, "met": self.met, "evidence": self.evidence}


class Verdict(NamedTuple):
    """The engine's answer for one profile (immutable); :meth:`to_dict` is the verdict contract."""

    id: str
    level: str  # engineer / assistant_engineer / technician / none
    path: str | None  # "1(3)", "2(1)", "3" … ; None when level is none
    may_apply: bool
    blocking: tuple[str, ...]
    criteria: tuple[CriterionResult, ...]  # of the deciding path, or of the nearest path when none
    missing_for_next: tuple[str, ...]

    @property
    def level_name(self) -> str:
        """工程师 / 助理工程师 / 技术员 / 未达到技术员条件."""
        return LEVEL_NAMES[self.level]

    @property
    def path_clause(self) -> str | None:
        """'附件2 一(八)1(3)' for path '1(3)'."""
        return None if self.path is None else path_clause(self.path)

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``eligibility-verdict.schema.json``."""
        return {
            "id": self.id,
            "level": self.level,
            "path": self.path,
            "may_apply": self.may_apply,
            "blocking": list(self.blocking),
            "criteria": [c.to_dict() for c in self.criteria],
            "missing_for_next": list(self.missing_for_next),
        }
