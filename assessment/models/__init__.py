"""评价实施 (通知 三(二)2(4)): what a filed institution does each year after its filing.

- ``plans``: 年度计划报告 and the office's reporting deadline.
- ``sessions``: 考务 — a session (场次) with its examiners, quality supervisor and supervisor's report.
- ``candidates``: the school's 应届 graduates registered for a session, their scores and the 应届 declarations,
  major–occupation mappings and entrusted students' opt-ins.
"""

from .candidates import (
    Attendance,
    Candidate,
    DeclarationState,
    EntrustedOptIn,
    ExaminerConflict,
    MajorMapping,
    UnemployedDeclaration,
)
from .plans import AnnualPlan, PlanDeadline, PlanLine, PlanState
from .sessions import Session, SessionExaminer, SessionState, SupervisionReport

__all__ = [
    "AnnualPlan", "PlanDeadline", "PlanLine", "PlanState",
    "Session", "SessionExaminer", "SessionState", "SupervisionReport",
    "Attendance", "Candidate", "DeclarationState", "EntrustedOptIn", "ExaminerConflict", "MajorMapping",
    "UnemployedDeclaration",
]
