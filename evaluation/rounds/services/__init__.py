"""Use cases of the evaluation round, one function each (keyword-only; validate, change, log, notify).

- ``rounds``: open a round; publish the candidates' notice; close it; publish the results; finalise
- ``applications``: apply or enrol, evidence, submit, withdraw, eligibility review (资格审查)
- ``objections``: lodge (anyone) and answer (the school) objections to a notice
- ``meetings``: the committee meeting — convening with a recorded draw, members' check-in, conflicts (回避)
  and secret ballot, the chair's closing and signing
- ``decisions``: correcting a final decision with a new, superseding one

Every state change goes through ``applications.workflow.run_transition``; every date is checked against
31 December of the graduation year (``evaluation.rounds.deadlines``).
"""

from .applications import (
    add_evidence,
    create_application,
    missing_evidence,
    remove_evidence,
    review_application,
    submit_application,
    update_application,
    withdraw_application,
)
from .ballots import cast_vote, check_in, close_vote, declare_conflict, end_committee_review, sign_minutes
from .decisions import correct_decision
from .meetings import convene_meeting, verify_draw
from .objections import answer_objection, lodge_objection
from .rounds import close_candidates_notice, finalise, open_round, publish_candidates, publish_results

__all__ = [
    "add_evidence",
    "answer_objection",
    "close_candidates_notice",
    "cast_vote",
    "check_in",
    "close_vote",
    "convene_meeting",
    "correct_decision",
    "create_application",
    "declare_conflict",
    "end_committee_review",
    "finalise",
    "lodge_objection",
    "missing_evidence",
    "open_round",
    "publish_candidates",
    "publish_results",
    "remove_evidence",
    "review_application",
    "sign_minutes",
    "submit_application",
    "update_application",
    "verify_draw",
    "withdraw_application",
]
