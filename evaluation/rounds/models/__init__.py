"""Tables of the evaluation round: the round, applications and their evidence, the two public notices and
their objections, the committee session and its secret-ballot counts, final decisions, and the holiday table."""

from .applications import (
    CANDIDATE_STATES,
    EDITABLE,
    REQUIRED_EVIDENCE,
    ApplicationEvidence,
    ApplicationState,
    ApplyAt,
    EvidenceKind,
    TitleApplication,
)
from .calendar import HolidayDay, HolidayYear
from .decisions import Decision
from .notices import NOTICE_WORKING_DAYS, NoticeEntry, Objection, ObjectionState, PublicNotice, Stage
from .rounds import ROUND_STEPS, EvaluationRound, RoundState
from .sessions import Ballot, CommitteeSession, Recusal, SessionMember

__all__ = [
    "CANDIDATE_STATES",
    "EDITABLE",
    "NOTICE_WORKING_DAYS",
    "REQUIRED_EVIDENCE",
    "ROUND_STEPS",
    "ApplicationEvidence",
    "ApplicationState",
    "ApplyAt",
    "Ballot",
    "CommitteeSession",
    "Decision",
    "EvaluationRound",
    "EvidenceKind",
    "HolidayDay",
    "HolidayYear",
    "NoticeEntry",
    "Objection",
    "ObjectionState",
    "PublicNotice",
    "Recusal",
    "RoundState",
    "SessionMember",
    "Stage",
    "TitleApplication",
]
