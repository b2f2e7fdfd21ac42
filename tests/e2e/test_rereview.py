"""复查 in real Chromium (issue 12 item 2; DOMAIN §7: "a change of outcome needs a re-review (复查) by the committee —
a new vote and a new 公示"). A complaint about a final decision; the school convenes the 复查 meeting; the five
members sign in with their own accounts, check in and vote on the one candidate; the chair closes the vote and signs
the minutes; the school publishes the 复查结果公示 — a notice page of its own, within the school, masked name and
the count, never an ID number; a student of the school lodges an objection through the notice's form; after the
period the school's conclusion is refused until the objection has its written answer; then the new decision is
made from the count and supersedes the old one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluation.rounds import clock, selectors, services
from evaluation.rounds.models import (
    Decision,
    EvaluationRound,
    Meeting,
    MeetingPurpose,
    PublicNotice,
    RereviewRequest,
    Stage,
)
from tests.e2e import test_committee_vote as committee
from tests.e2e.conftest import shot
from tests.rounds import factories as f

pytestmark = pytest.mark.e2e  # a browser test (slow), as every test in tests/e2e

meeting_world = committee.meeting_world  # 安徽工业大学, its committee of five, three candidates at 待评委会评审

HELD = date(2025, 11, 3)  # a Monday, three weeks after the round was finalised
PUBLISHED = date(2025, 11, 4)  # 复查结果公示 Tuesday 4 to Monday 10 November (5 working days)
OBJECTED = date(2025, 11, 5)
AFTER = date(2025, 11, 11)


def _finalised(w):
    """The round's own meeting (all present; each member votes 同意 unless recused), results notice, decisions."""
    rnd = w.round
    meeting = f.convene(w, rnd, size=5)
    users = f.check_in(meeting)
    for app in f.eligible(rnd):
        for user in users:
            try:
                services.cast_vote(meeting=meeting, application=app, actor=user, choice="yes")
            except ValidationError:  # 吴副高 is recused on 李二强 (the same employer)
                pass
    meeting = f.close(meeting)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    rnd = services.publish_results(round=EvaluationRound.objects.get(pk=rnd.pk), actor=w.staff,
                                   starts_on=f.RESULTS_FROM, today=f.SESSION)
    return services.finalise(round=rnd, actor=w.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)


def _on(monkeypatch, day):
    monkeypatch.setattr(clock, "today", lambda: day)


def test_a_rereview_changes_the_decision_after_a_new_vote_and_a_new_notice(meeting_world, browser, live_server,
                                                                          monkeypatch):
    w = meeting_world
    rnd = _finalised(w)
    graduate = rnd.applications.get(graduate__student_number="E0001").graduate
    old = selectors.final_passed_decision_for(graduate)
    assert old is not None and old.passed

    # --- a complaint: the school asks the committee to review 张一鸣's decision again ---------------------------------
    _on(monkeypatch, date(2025, 10, 27))
    school = committee.browser_for(browser, live_server, "staff")
    school.goto(f"/rounds/{rnd.pk}/decisions/")
    school.click('[data-testid="decisions"] tr[data-student="E0001"] a:has-text("申请复查")')
    school.check('input[name="grounds"][value="complaint"]')
    school.fill('textarea[name="reason"]', "同学反映张一鸣的毕业设计成绩认定有误，申请人本人亦提出申诉。")
    school.click('[data-testid="rereview-submit"]')
    school.wait_for_selector(".messages")
    request = RereviewRequest.objects.get(decision=old)
    assert request.state == "pending" and request.grounds == "complaint"

    # --- the school convenes the 复查 meeting --------------------------------------------------------------------------
    _on(monkeypatch, HELD)
    school.goto(f"/rounds/{rnd.pk}/session/")
    assert "召集复查会议" in school.inner_text('[data-testid="convene"]')
    school.fill('[name="held_on"]', HELD.isoformat())
    school.fill('[name="place"]', "安徽工业大学行政楼第二会议室")
    school.select_option('[name="size"]', "5")
    school.click('[data-testid="convene-submit"]')
    school.wait_for_selector('[data-testid="meeting"][data-state="convened"]')
    meeting = Meeting.objects.get(round=rnd, purpose=MeetingPurpose.REREVIEW)
    seats = f.seats(meeting)

    # --- the members sign in, check in and vote in secret: 1 of 5 同意 — the decision will not stand -----------------------
    members = []
    for seat in seats:
        page = committee.browser_for(browser, live_server, seat.user.username)
        page.goto(f"/rounds/meetings/{meeting.pk}/")
        page.wait_for_selector('[data-testid="rereview-meeting"]')
        page.click('[data-testid="check-in"]')
        page.wait_for_selector('[data-testid="my-check-in"]:has-text("已于")')
        members.append(page)
    for page, choice in zip(members, ["yes", "no", "no", "no", "abstain"], strict=True):
        page.reload()
        assert committee.candidate(page, "E0002").count() == 0  # only the candidate under 复查 is on the agenda
        committee.vote(page, "E0001", choice)
    chair = members[0]
    chair.once("dialog", lambda d: d.accept())
    chair.click('[data-testid="close-vote"]')
    chair.wait_for_selector('[data-testid="tallies"]')
    assert chair.get_attribute('[data-testid="tally"][data-student="E0001"]', "data-outcome") == "failed"
    chair.click('[data-testid="sign-minutes"]')
    chair.wait_for_selector('[data-testid="meeting-state"]:has-text("会议纪要已签署")')
    shot(chair, "rereview-01-chair-signed")
    for page in members:
        page.context.close()

    # --- the school publishes the 复查结果公示: a notice page of its own ----------------------------------------------
    _on(monkeypatch, PUBLISHED)
    school.goto(f"/rounds/{rnd.pk}/session/")
    school.click('[data-testid="rereview-publish"]')
    school.wait_for_selector('[data-testid="rereview"][data-state="notice"]')
    notice = PublicNotice.objects.get(rereview=request)
    assert notice.stage == Stage.REREVIEW and notice.ends_on == date(2025, 11, 10)
    school.click('[data-testid="rereview-notice"]')
    school.wait_for_selector('[data-testid="notice-entries"]')
    body = school.inner_text("main")
    assert "复查结果公示" in school.inner_text('[data-testid="notice-title"]')
    assert graduate.masked_name in body and "同意 1 票 / 应参加表决 5 人" in body
    assert school.get_attribute('[data-testid="rereview-result"]', "data-passed") == "false"
    assert graduate.name not in body and graduate.id_number not in school.content()
    shot(school, "rereview-02-notice")

    # --- a student of the school objects through the notice's form -----------------------------------------------------
    _on(monkeypatch, OBJECTED)
    student = committee.browser_for(browser, live_server, "student")
    student.goto(f"/rounds/public/{notice.pk}/")
    student.select_option('select[name="entry"]', str(notice.entries.get().pk))
    student.fill('textarea[name="content"]', "复查会议上有委员与申请人有师生关系，未申请回避，请核查。")
    student.click('[data-testid="objection-submit"]')
    student.wait_for_url("**/public/objection/**")
    assert "受理编号" in student.inner_text("main")
    student.context.close()
    outsider = committee.browser_for(browser, live_server, w.outsider.username)  # another school's committee member
    assert outsider.goto(f"/rounds/public/{notice.pk}/").status == 404
    outsider.context.close()

    # --- after the period: refused while the objection is unanswered; answered; the new decision -----------------------
    _on(monkeypatch, AFTER)
    school.goto(f"/rounds/{rnd.pk}/session/")
    school.fill('[data-testid="rereview"][data-state="notice"] input[name="approval_number"]', "安工大职评〔2025〕9号")
    school.click('[data-testid="rereview-conclude"]')
    school.wait_for_selector('.messages:has-text("异议未书面答复")')
    assert RereviewRequest.objects.get(pk=request.pk).state == "notice"
    school.goto(f"/rounds/{rnd.pk}/objections/")
    school.check('input[name="outcome"][value="dismissed"]')
    school.fill('textarea[name="answer"]', "经核查，该委员与申请人无师生关系，复查会议回避情况符合规定，异议不成立。")
    school.click('[data-testid="answer-submit"]')
    school.wait_for_selector('[data-testid="objection"][data-state="dismissed"]')
    school.goto(f"/rounds/{rnd.pk}/session/")
    school.fill('[data-testid="rereview"][data-state="notice"] input[name="approval_number"]', "安工大职评〔2025〕9号")
    school.click('[data-testid="rereview-conclude"]')
    school.wait_for_selector('[data-testid="rereview"][data-state="concluded"]')
    new = RereviewRequest.objects.get(pk=request.pk).outcome
    assert (new.passed, new.supersedes, new.approval_number) == (False, old, "安工大职评〔2025〕9号")
    assert Decision.objects.get(pk=old.pk).passed  # the old decision as it was, superseded
    assert selectors.final_passed_decision_for(graduate) is None
    school.goto(f"/rounds/{rnd.pk}/decisions/")
    row = school.inner_text('[data-testid="decisions"] tr[data-student="E0001"]')
    assert "未通过" in row and "（复查后）" in row and "安工大职评〔2025〕9号" in row
    shot(school, "rereview-03-decision-changed")
    school.context.close()

