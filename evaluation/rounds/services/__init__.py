"""Use cases of the evaluation round, one function each (keyword-only; validate, change, log, notify).

- ``rounds``: open a round; publish the candidates' notice; close it; publish the results; finalise
- ``applications``: apply or enrol, evidence, submit, withdraw, eligibility review (资格审查)
- ``objections``: lodge (anyone) and answer (the school) objections to a notice
- ``sessions``: attendance and quorum, conflicts (回避), ballot counts, closing the session
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
from .decisions import correct_decision
from .objections import answer_objection, lodge_objection
from .rounds import close_candidates_notice, finalise, open_round, publish_candidates, publish_results
from .sessions import close_session, detected_conflicts, record_ballot, start_session

__all__ = [
    "add_evidence",
    "answer_objection",
    "close_candidates_notice",
    "close_session",
    "correct_decision",
    "create_application",
    "detected_conflicts",
    "finalise",
    "lodge_objection",
    "missing_evidence",
    "open_round",
    "publish_candidates",
    "publish_results",
    "record_ballot",
    "remove_evidence",
    "review_application",
    "start_session",
    "submit_application",
    "update_application",
    "withdraw_application",
]
