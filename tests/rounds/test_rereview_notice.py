"""复查结果公示 as a notice of its own (issue 12 item 2; DOMAIN §7: "a change of outcome needs a re-review (复查) by the
committee — a new vote and a new 公示").

The school (组建单位) publishes the 复查 result after the chair has signed the 复查 minutes: a ``PublicNotice`` of stage
"rereview" linked to the re-review it publishes (one per re-review; the round's 评审对象公示 and 评审结果公示 stay one
each), ≥ 5 working days by the working-day calendar, its entry frozen (masked name, major, level, the count and the
result — never an ID number), read by whom the results 公示 is read (``ROUNDS_RESULTS_NOTICE_VISIBILITY``, default
within the school), objections (异议) lodged through the same form and answered by the school in writing before
``conclude_rereview`` makes the new decision.

Written to fail on the code before this change: the 复查 result's 公示 was two dates on the request announced by
notification — no notice page, no entries, no objection form, and ``conclude_rereview`` waited for no answer.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluation.rounds import selectors, services
from evaluation.rounds.models import (
    NoticeEntry,
    Objection,
    ObjectionState,
    PublicNotice,
    RereviewRequest,
    RereviewState,
    Stage,
)
from tests.rounds import factories as f

NOTICE_END = date(2025, 11, 10)
AFTER = date(2025, 11, 11)
NUMBER = "安工大职评〔2025〕9号"


def test_the_rereview_result_is_a_notice_page_with_its_entry(world, client, clock):
    notice = f.rereview_notice(world, choices=["yes", "yes", "yes", "yes", "no"])
    request = RereviewRequest.objects.get()
    decision, graduate = request.decision, request.decision.graduate
    assert (notice.stage, notice.rereview, notice.round) == (Stage.REREVIEW, request, decision.round)
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (f.REREVIEW_PUBLISHED, NOTICE_END, 5)
    assert (request.state, request.notice_starts_on, request.notice_ends_on) == (
        RereviewState.NOTICE, notice.starts_on, notice.ends_on)
    entry = NoticeEntry.objects.get(notice=notice)
    assert (entry.application, entry.masked_name, entry.major, entry.level) == (
        decision.application, graduate.masked_name, decision.major, decision.level)
    assert (entry.passed, entry.yes, entry.voters) == (True, 4, 5)
    clock.set(date(2025, 11, 5))
    client.force_login(world.student)  # a member of the school
    response = client.get(reverse("rounds:public_notice", args=[notice.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "复查结果公示" in body and graduate.masked_name in body and 'data-passed="true"' in body
    assert "同意 4 票 / 应参加表决 5 人" in body
    for secret in (graduate.name, graduate.id_number, graduate.masked_id_number):
        assert secret not in body
    assert 'data-testid="objection-submit"' in body  # the same objection form as the round's notices
    assert notice.title in client.get(reverse("rounds:public_index")).content.decode()
    client.force_login(world.staff)
    session = client.get(reverse("rounds:session", args=[notice.round_id])).content.decode()
    assert reverse("rounds:public_notice", args=[notice.pk]) in session


def test_the_rereview_notice_is_read_within_the_school_as_the_results_notice(world, client, settings):
    notice = f.rereview_notice(world)
    url = reverse("rounds:public_notice", args=[notice.pk])
    name = notice.rereview.decision.graduate.name
    for user, status in ((world.staff, 200), (world.student, 200), (world.city_hrss, 200), (world.prov_hrss, 200),
                         (world.other_staff, 404), (world.expert, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        assert name not in response.content.decode()
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("rounds:objection", args=[notice.pk]), {"content": "外部人员的异议。"}).status_code == 302
    assert not Objection.objects.exists()
    settings.ROUNDS_RESULTS_NOTICE_VISIBILITY = "public"  # the school's setting for the results 公示 applies too
    assert client.get(url).status_code == 200
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 200


def test_an_objection_blocks_the_new_decision_until_answered(world, client, clock):
    notice = f.rereview_notice(world)
    entry = notice.entries.get()
    clock.set(date(2025, 11, 5))
    client.force_login(world.student)
    response = client.post(reverse("rounds:objection", args=[notice.pk]),
                           {"content": "复查会议的表决程序有误，请核查。", "entry": str(entry.pk)})
    assert response.status_code == 302
    objection = Objection.objects.get(notice=notice)
    assert objection.entry == entry and objection.state == ObjectionState.OPEN
    request = RereviewRequest.objects.get()
    with pytest.raises(ValidationError, match="期满后"):
        services.conclude_rereview(request=request, actor=world.staff, approval_number=NUMBER, today=NOTICE_END)
    with pytest.raises(ValidationError, match="尚有1条异议未书面答复"):
        services.conclude_rereview(request=request, actor=world.staff, approval_number=NUMBER, today=AFTER)
    assert RereviewRequest.objects.get().state == RereviewState.NOTICE and request.outcome is None
    with pytest.raises(ValidationError, match="不受理异议"):  # the period is over
        services.lodge_objection(notice=notice, content="期满后提出的异议。", today=AFTER)
    # the count is the committee's: an answer cannot cancel it
    with pytest.raises(ValidationError, match="不能在答复异议时取消"):
        services.answer_objection(objection=objection, actor=world.staff, outcome="upheld", revoke=True,
                                  answer="经核查，异议成立。")
    # the school answers on the round's objections page (the round itself is long final)
    clock.set(AFTER)
    client.force_login(world.staff)
    page = client.get(reverse("rounds:objections", args=[notice.round_id])).content.decode()
    assert "复查结果公示" in page and 'data-testid="answer-submit"' in page
    client.post(reverse("rounds:answer_objection", args=[objection.pk]),
                {"outcome": "dismissed", "answer": "经核查，复查会议表决程序符合规定，异议不成立。"})
    assert Objection.objects.get().state == ObjectionState.DISMISSED
    client.post(reverse("rounds:conclude_rereview", args=[request.pk]),
                {"approval_number": NUMBER, "expected_state": "notice"})
    request = RereviewRequest.objects.get()
    assert request.state == RereviewState.CONCLUDED and request.outcome.passed
    assert request.outcome.supersedes == request.decision


def test_one_rereview_notice_per_rereview_and_one_round_notice_per_stage(world):
    notice = f.rereview_notice(world)
    request, rnd = notice.rereview, notice.round
    with pytest.raises(ValidationError, match="不能执行该操作"):
        services.publish_rereview_result(request=request, actor=world.staff, today=f.REREVIEW_PUBLISHED)

    def another(stage, rereview=None):
        with transaction.atomic(), pytest.raises(IntegrityError):
            PublicNotice.objects.create(round=rnd, stage=stage, rereview=rereview, title="另一公示",
                                        starts_on=AFTER, ends_on=date(2025, 11, 17), published_by=world.staff)

    another(Stage.REREVIEW, request)  # a second notice of the same re-review
    another(Stage.REREVIEW)  # a 复查 notice names the re-review it publishes
    another(Stage.RESULTS)  # the round's results notice stays one
    another(Stage.CANDIDATES, request)  # only a 复查 notice names a re-review
    # a re-review of another decision of the same round has its own notice
    services.conclude_rereview(request=request, actor=world.staff, approval_number=NUMBER, today=AFTER)
    other = selectors.final_passed_decisions(rnd).exclude(pk=request.decision_id).first()
    second = services.request_rereview(decision=other, actor=world.staff, grounds="error", reason="材料有误。")
    held = date(2025, 11, 17)
    meeting = services.convene_rereview_meeting(round=rnd, actor=world.staff, held_on=held, place="学校会议室",
                                                today=held)
    users = f.check_in(meeting)
    f.vote(meeting, other.application, users, ["no"] * len(users))
    meeting = f.close(meeting)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    second.refresh_from_db()
    services.publish_rereview_result(request=second, actor=world.staff, today=date(2025, 11, 18))
    rereviews = PublicNotice.objects.filter(round=rnd, stage=Stage.REREVIEW).order_by("id")
    assert [n.rereview_id for n in rereviews] == [request.pk, second.pk]
    assert NoticeEntry.objects.get(notice__rereview=second).passed is False


def test_the_school_publishes_from_its_page_with_the_objection_contact(world, client, clock):
    rnd = f.round_in(world, "finalised", n=2)
    decision = selectors.final_passed_decisions(rnd).first()
    request = services.request_rereview(decision=decision, actor=world.staff, grounds="complaint",
                                        reason="申请人对毕业设计成绩的认定提出申诉。")
    meeting = services.convene_rereview_meeting(round=rnd, actor=world.staff, held_on=f.REREVIEW_HELD,
                                                place="学校会议室", today=f.REREVIEW_HELD)
    users = f.check_in(meeting)
    f.vote(meeting, decision.application, users, ["yes"] * len(users))
    meeting = f.close(meeting)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    clock.set(f.REREVIEW_PUBLISHED)
    client.force_login(world.staff)
    session = client.get(reverse("rounds:session", args=[rnd.pk])).content.decode()
    assert 'name="contact"' in session
    client.post(reverse("rounds:publish_rereview_result", args=[request.pk]),
                {"expected_state": "voted", "contact": " 学校人事处 0555-2311000 "})
    notice = PublicNotice.objects.get(rereview=request)
    assert notice.contact == "学校人事处 0555-2311000"
    assert "学校人事处 0555-2311000" in client.get(reverse("rounds:public_notice", args=[notice.pk])).content.decode()
