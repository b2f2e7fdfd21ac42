"""Tables of the evaluation round: the round, applications and their evidence, the two public notices and
their objections, the committee meetings and their secret ballots, final decisions, and the holiday table."""

from .applications import (
    CANDIDATE_STATES,
    EDITABLE,
    REQUIRED_EVIDENCE,
    ApplicationEvidence,
    ApplicationState,
    EvidenceKind,
    TitleApplication,
)
from .calendar import HolidayDay, HolidayYear
from .decisions import Decision
from .filing import FilingState, ResultRefusal, ResultsFiling
from .meetings import (
    Choice,
    Conflict,
    ConflictKind,
    Meeting,
    MeetingMember,
    MeetingPurpose,
    MeetingState,
    Outcome,
    SecretBallot,
    Tally,
    VoteCast,
)
from .notices import NOTICE_WORKING_DAYS, NoticeEntry, Objection, ObjectionState, PublicNotice, Stage
from .rereviews import RereviewGrounds, RereviewRequest, RereviewState
from .rounds import ROUND_STEPS, EvaluationRound, RoundState
from .workplace import EmployerKind, WorkplaceChoice

__all__ = [
    "CANDIDATE_STATES",
    "EDITABLE",
    "NOTICE_WORKING_DAYS",
    "REQUIRED_EVIDENCE",
    "ROUND_STEPS",
    "ApplicationEvidence",
    "ApplicationState",
    "Choice",
    "Conflict",
    "ConflictKind",
    "EmployerKind",
    "Decision",
    "EvaluationRound",
    "EvidenceKind",
    "FilingState",
    "HolidayDay",
    "HolidayYear",
    "NoticeEntry",
    "Objection",
    "ObjectionState",
    "PublicNotice",
    "Meeting",
    "MeetingMember",
    "MeetingPurpose",
    "MeetingState",
    "Outcome",
    "ResultRefusal",
    "ResultsFiling",
    "RereviewGrounds",
    "RereviewRequest",
    "RereviewState",
    "RoundState",
    "SecretBallot",
    "Stage",
    "Tally",
    "TitleApplication",
    "VoteCast",
    "WorkplaceChoice",
]
