"""Use cases of the evaluation round, one function each (keyword-only; validate, change, log, notify).

- ``rounds``: open a round; publish the candidates' notice; close it; publish the results; finalise
- ``applications``: apply or enrol, evidence, submit, withdraw, eligibility review (资格审查)
- ``objections``: lodge (anyone) and answer (the school) objections to a notice
- ``meetings``: the committee meeting — convening with a recorded draw, members' check-in, conflicts (回避)
  and secret ballot, the chair's closing and signing
- ``filing``: 评审结果备案 — the school files the results, the committee's filing office records them (or refuses a
  candidate's, with a reason); certificates issue only from recorded results
- ``rereviews``: 复查 — a request (reason, who) waits for the committee; a 复查 meeting (``convene_rereview_meeting``)
  puts it on the agenda, the members vote again by secret ballot, the chair's closing records the count; after its
  公示 (``publish_rereview_result``) the new decision is made from that count (``conclude_rereview``). School staff
  never rewrite a decision, nor type an outcome.

Every state change goes through ``applications.workflow.run_transition``; every date is checked against
31 December of the graduation year (``evaluation.rounds.deadlines``).
"""

from . import workplace
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
from .ballots import (
    cast_vote,
    check_in,
    close_vote,
    declare_conflict,
    end_committee_review,
    sign_minutes,
    withdraw_conflict,
)
from .filing import record_results, submit_results
from .meetings import convene_meeting, convene_rereview_meeting, verify_draw
from .objections import answer_objection, lodge_objection
from .rereviews import conclude_rereview, publish_rereview_result, request_rereview
from .rounds import close_candidates_notice, finalise, open_round, publish_candidates, publish_results

__all__ = [
    "add_evidence",
    "answer_objection",
    "close_candidates_notice",
    "cast_vote",
    "check_in",
    "close_vote",
    "convene_meeting",
    "convene_rereview_meeting",
    "conclude_rereview",
    "create_application",
    "declare_conflict",
    "end_committee_review",
    "finalise",
    "lodge_objection",
    "missing_evidence",
    "open_round",
    "publish_candidates",
    "publish_rereview_result",
    "publish_results",
    "record_results",
    "remove_evidence",
    "request_rereview",
    "review_application",
    "sign_minutes",
    "submit_application",
    "submit_results",
    "update_application",
    "verify_draw",
    "withdraw_application",
    "withdraw_conflict",
    "workplace",
]
