"""Issue 16 item 2: the round pages show a page of their list at a time — the members' meeting page never hundreds
of ballot forms, and a vote on page 2 comes back to page 2; the decisions and the results filing are paged and the
filing office refuses a result by naming the graduate (学号：理由), not through one box per row."""

import re

from django.urls import reverse

from evaluation.rounds.models import (
    Decision,
    NoticeEntry,
    Objection,
    RereviewRequest,
    ResultRefusal,
    RoundState,
    TitleApplication,
)
from evaluation.rounds.views.common import PAGE_SIZE
from evaluation.rounds.views.meetings import PER_PAGE
from evaluation.rounds.views.rounds import OBJECTIONS_PER_PAGE
from tests.rounds import factories as f


def _eligible(world, rnd, n, prefix):
    for i in range(n):
        g = f.graduate(world, f"{prefix}{i:04d}")
        TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                        created_by=world.staff, submission_count=1, state="eligible")


def test_the_meeting_page_shows_one_page_of_ballots_and_a_vote_comes_back_to_its_page(world, client, clock):
    clock.set(f.SESSION)
    rnd = f.round_in(world, RoundState.AWAITING_SESSION, n=2)
    _eligible(world, rnd, PER_PAGE + 5, "M")
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    client.force_login(users[1])
    url = reverse("rounds:meeting", args=[meeting.pk])
    first = client.get(url).content.decode()
    assert first.count('data-testid="vote-form"') == PER_PAGE
    assert f"（{PER_PAGE + 7}）" in first and "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="vote-form"') == 7
    apps_on_2 = re.findall(r'id="a(\d+)"', second)
    app = TitleApplication.objects.get(pk=int(apps_on_2[-1]))
    action = reverse("rounds:vote", args=[meeting.pk, app.pk]) + "?page=2"
    assert f'action="{action}"' in second
    response = client.post(action, {f"a{app.pk}-choice": "yes"})
    assert response.status_code == 302 and response["Location"] == f"{url}?page=2#a{app.pk}"
    again = client.get(url, {"page": 2}).content.decode()
    assert 'data-testid="my-choice" data-choice="yes"' in again


def test_the_secretary_sees_the_progress_a_page_at_a_time(world, client, clock):
    clock.set(f.SESSION)
    rnd = f.round_in(world, RoundState.AWAITING_SESSION, n=2)
    _eligible(world, rnd, PER_PAGE + 1, "S")
    meeting = f.convene(world, rnd)
    client.force_login(world.staff)
    url = reverse("rounds:session", args=[rnd.pk])
    body = client.get(url).content.decode()
    assert body.count('<td data-label="评审对象"') == PER_PAGE and f"m{meeting.pk}=2" in body
    assert client.get(url, {f"m{meeting.pk}": 2}).content.decode().count('<td data-label="评审对象"') == 3


def test_decisions_are_paged_with_the_round_totals(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    first = Decision.objects.filter(round=rnd).first()
    for i in range(PAGE_SIZE):
        g = f.graduate(world, f"D{i:04d}")
        app = TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                              created_by=world.staff, submission_count=1, state="passed")
        Decision.objects.create(round=rnd, application=app, graduate=g, committee=rnd.committee, level="technician",
                                major=g.major, passed=True, decided_on=first.decided_on,
                                approval_number=first.approval_number, created_by=world.staff)
    client.force_login(world.staff)
    url = reverse("rounds:decisions", args=[rnd.pk])
    body = client.get(url).content.decode()
    assert body.count("<tr data-student=") == PAGE_SIZE
    assert f"共 {PAGE_SIZE + 2} 人，通过 {PAGE_SIZE + 2} 人" in body
    assert client.get(url, {"page": 2}).content.decode().count("<tr data-student=") == 2


def test_the_filing_office_refuses_by_student_number(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=3)
    client.force_login(world.staff)
    url = reverse("rounds:results_filing", args=[rnd.pk])
    assert client.post(url, {"action": "submit"}).status_code == 302
    office = f.office_user(world, rnd)
    client.force_login(office)
    body = client.get(url).content.decode()
    assert 'name="refusals"' in body and "refuse_" not in body
    client.post(url, {"action": "record", "refusals": "NOPE：不在本轮"})  # an unknown number: nothing recorded
    assert not ResultRefusal.objects.exists()
    assert client.post(url, {"action": "record", "refusals": "R0001：到岗证明与社保记录不符。\n"}).status_code == 302
    refusal = ResultRefusal.objects.get()
    assert refusal.decision.graduate.student_number == "R0001" and refusal.reason == "到岗证明与社保记录不符。"
    assert "已备案" in client.get(url).content.decode()


def test_the_public_notice_lists_a_page_of_entries_and_objects_to_anyone_on_it(world, client):
    notice = f.running_notice(world)  # open for objections today
    rnd = notice.round
    for i in range(PAGE_SIZE):
        g = f.graduate(world, f"N{i:04d}")
        app = TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                              created_by=world.staff, submission_count=1, state="eligible")
        NoticeEntry.objects.create(notice=notice, application=app, position=3 + i, masked_name=g.masked_name,
                                   major=g.major, level="technician")
    client.force_login(world.student)
    url = reverse("rounds:public_notice", args=[notice.pk])
    body = client.get(url).content.decode()
    table = body.split('data-testid="notice-entries"')[1].split("</table>")[0]
    assert table.count("<tr><td data-label=") == PAGE_SIZE and f"（{PAGE_SIZE + 2}）" in body and "page=2" in body
    last = NoticeEntry.objects.filter(notice=notice).order_by("-position").first()
    assert f'<option value="{last.pk}"' in body  # the objection form still names everyone on the notice
    table = client.get(url, {"page": 2}).content.decode().split('data-testid="notice-entries"')[1]
    assert table.split("</table>")[0].count("<tr><td data-label=") == 2


def test_objections_and_rereviews_are_paged(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    notice = rnd.notices.filter(stage="candidates").get()
    entry = notice.entries.first()
    for _ in range(OBJECTIONS_PER_PAGE + 1):
        Objection.objects.create(notice=notice, entry=entry, content="请核实。")
    first = Decision.objects.filter(round=rnd).first()
    for i in range(PER_PAGE + 1):
        g = f.graduate(world, f"V{i:04d}")
        app = TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                              created_by=world.staff, submission_count=1, state="passed")
        d = Decision.objects.create(round=rnd, application=app, graduate=g, committee=rnd.committee,
                                    level="technician", major=g.major, passed=True, decided_on=first.decided_on,
                                    approval_number=first.approval_number, created_by=world.staff)
        RereviewRequest.objects.create(decision=d, committee=rnd.committee, grounds="error", reason="材料有误。",
                                       requested_by=world.staff, requested_role="university_staff")
    client.force_login(world.staff)
    url = reverse("rounds:objections", args=[rnd.pk])
    body = client.get(url).content.decode()
    assert body.count('data-testid="objection"') == OBJECTIONS_PER_PAGE
    assert f"{OBJECTIONS_PER_PAGE + 1} 条待答复" in body  # the count is the round's, not the page's
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="objection"') == 1
    url = reverse("rounds:session", args=[rnd.pk])
    assert client.get(url).content.decode().count('data-testid="rereview"') == PER_PAGE
    assert client.get(url, {"r": 2}).content.decode().count('data-testid="rereview"') == 1
