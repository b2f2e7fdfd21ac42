"""Issue 12 item 2 — a final decision is not rewritten by school staff.

通知 四(四)：“相关单位按照‘谁评价、谁发证、谁负责’原则，不得擅自降低评价标准……严格落实评价主体责任”；
附件2 二(一)：评委会“是负责评议、审定专业技术人才学术技术水平和专业能力的组织”；
附件2 一(五)：“学生毕业当年12月底前完成职称评审。”

Only the committee decides an outcome. A decision changes only by (a) correcting a clerical error in printed data
(name, ID number …) on the certificate, at any time, the old certificate superseded; or (b) a re-review (复查) by the
committee: a request with a reason puts the candidate onto the committee's next meeting, and only its new vote (with
a new 公示) makes a new decision that supersedes the old one. 31 December is the deadline for evaluating, not a lock
on corrections. Revocation stays possible, with a reason, shown on verification.

These tests fail on the code before this change (commit 53e2aa0): there, ``services.correct_decision`` let a school
clerk change pass/level with a reason and a 文号, at the URL ``rounds:correct_decision``, and no 复查 existed.
"""

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from evaluation.rounds import selectors, services
from evaluation.rounds.models import Decision, RereviewState, RoundState
from tests.rounds import factories as f


def test_there_is_no_clerks_path_to_change_a_decision():
    assert not hasattr(services, "correct_decision")
    with pytest.raises(NoReverseMatch):
        reverse("rounds:correct_decision", args=[1])


def test_a_rereview_request_puts_the_candidate_before_the_committee_and_changes_nothing_itself(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    decision = selectors.final_passed_decisions(rnd).first()
    request = services.request_rereview(decision=decision, actor=world.staff, grounds="complaint",
                                        reason="申请人对专业排名的认定提出申诉。")
    assert request.state == RereviewState.PENDING
    assert [r.decision_id for r in selectors.pending_rereviews(rnd.committee)] == [decision.pk]
    assert Decision.objects.filter(application=decision.application).count() == 1  # nothing decided by staff
    assert selectors.final_passed_decision_for(decision.graduate) == decision  # in force until the new vote


def test_the_graduate_may_ask_for_a_rereview_of_their_own_decision(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    decision = selectors.final_passed_decisions(rnd).first()
    decision.graduate.user = world.student
    decision.graduate.save(update_fields=["user"])
    decision = Decision.objects.get(pk=decision.pk)
    client.force_login(world.student)
    url = reverse("rounds:request_rereview", args=[decision.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"grounds": "complaint", "reason": "本人毕业设计成绩登记有误，请求复查。"})
    assert response.status_code == 302
    assert decision.rereview_requests.get().requested_role == "student"


def test_the_new_outcome_is_the_members_count_never_typed():
    """Concluding a 复查 takes the 批准文号 only: the outcome is what the members' new secret ballot counted
    (the whole path: tests/rounds/test_rereview_meetings.py)."""
    import inspect

    params = set(inspect.signature(services.conclude_rereview).parameters)
    assert "approval_number" in params and not params & {"outcome", "passed", "result", "level"}


def test_no_31_december_lock_on_a_rereview(world, clock):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    clock.set(date(2026, 6, 1))  # months after 31 December 2025
    request = services.request_rereview(decision=selectors.final_passed_decisions(rnd).first(), actor=world.staff,
                                        grounds="error", reason="次年发现评审材料有误。")
    assert request.state == RereviewState.PENDING


def test_the_certificate_of_a_decision_under_rereview_waits(world):
    from certificates.titles import issue_round_titles

    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    held = selectors.final_passed_decisions(rnd).first()
    services.request_rereview(decision=held, actor=world.staff, grounds="error", reason="材料有误。")
    f.record_results(world, rnd)
    issued = issue_round_titles(rnd, actor=world.staff, render=False)
    assert held.source_key not in {c.source_key for c in issued}
