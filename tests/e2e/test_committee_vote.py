"""The committee meeting in real Chromium (issue 11): the secretary convenes it; the five members sign in with
their own accounts, each in their own browser, check in, one declares a conflict, all vote (one changes a vote);
the chair closes the vote — counts, pass/fail and the minutes PDF follow from the ballots — and signs the minutes.
The secretary never sees who voted how; a member of another committee gets 404 on the meeting; a member's pages
work on a 390 px phone."""

from datetime import date

import pytest

from applications.track_a.models import CommitteeMember
from evaluation.rounds import clock, services
from evaluation.rounds.models import Meeting, SecretBallot, Tally, VoteCast
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from portal.models import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import pilot_school, shot, sign_in
from tests.rounds import factories as f
from tests.track_a import factories as ta

SESSION = date(2025, 9, 29)


@pytest.fixture
def meeting_world(transactional_db, settings, tmp_path, monkeypatch):
    """安徽工业大学 with its approved committee of five (周正高 chair; 吴副高 works for 奇瑞), three candidates at
    待评委会评审 — 李 works for 奇瑞 too — and, for scoping, another school's round whose committee has its own
    member."""
    w = pilot_school(settings, tmp_path)
    inst = w.inst
    w.student = make_user("student", Role.STUDENT, institution=inst)
    w.expert = make_user("expert", Role.EXPERT)
    ta.committee(w, "approved")
    publish_standard(institution=inst, data=DEFAULT_STANDARD.to_dict(), actor=w.staff)
    w.school_ready = True
    rnd = f.open_round(w)
    for number, name, employer in (("E0001", "张一鸣", "马鞍山钢铁股份有限公司"), ("E0002", "李二强", "奇瑞汽车股份有限公司"),
                                   ("E0003", "王三石", "科大讯飞股份有限公司")):
        g = f.graduate(w, number, name=name, employer=employer)
        app = f.application(w, rnd, g)
        services.review_application(application=app, actor=w.staff, decision="pass", today=f.OPENED)
    rnd = services.publish_candidates(round=rnd, actor=w.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    w.round = services.close_candidates_notice(round=rnd, actor=w.staff, today=SESSION)
    other = f.other_city_round(w)  # 安徽工程大学's committee, with a member of its own
    w.outsider = ta.expert_pool(w)[6].user  # 褚初级: in the pool, on 安徽工程大学's committee, not on ours
    CommitteeMember.objects.create(committee=other.committee, expert=ta.expert_pool(w)[6], is_chair=True,
                                   term_start=date(2025, 1, 1), term_end=date(2027, 12, 31))
    monkeypatch.setattr(clock, "today", lambda: SESSION)
    return w


def browser_for(browser, live_server, username, *, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=size, is_mobile=phone)
    context.set_default_timeout(15000)
    page = context.new_page()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")
    return page


def candidate(page, number):
    return page.locator(f'[data-testid="candidate"][data-student="{number}"]')


def vote(page, number, choice):
    card = candidate(page, number)
    card.locator(f'input[type="radio"][value="{choice}"]').check()
    card.locator('[data-testid="vote-submit"]').click()
    page.wait_for_selector(f'[data-testid="candidate"][data-student="{number}"] [data-choice="{choice}"]')


def test_members_vote_in_secret_and_the_chair_closes(meeting_world, browser, live_server):
    w = meeting_world
    rnd = w.round

    # --- the secretary convenes the meeting ------------------------------------------------------------------------
    secretary = browser_for(browser, live_server, "staff")
    secretary.goto(f"/rounds/{rnd.pk}/session/")
    secretary.fill('[name="held_on"]', "2025-09-29")
    secretary.fill('[name="place"]', "安徽工业大学行政楼第一会议室")
    secretary.select_option('[name="size"]', "5")
    secretary.click('[data-testid="convene-submit"]')
    secretary.wait_for_selector('[data-testid="meeting"][data-state="convened"]')
    meeting = Meeting.objects.get(round=rnd)
    seats = f.seats(meeting)
    names = [s.name for s in seats]
    assert names == ["周正高", "吴副高", "郑副高", "王正高", "冯中级"]
    usernames = [s.user.username for s in seats]

    # --- each member signs in, sees the meeting on their dashboard, and checks in ---------------------------------------
    members = {}
    for i, username in enumerate(usernames):
        page = browser_for(browser, live_server, username, phone=i == 2)
        assert rnd.name in page.inner_text('section[data-role="expert"]')
        page.click('section[data-role="expert"] a[href*="/rounds/meetings/"]')
        page.wait_for_selector('[data-testid="check-in"]')
        page.click('[data-testid="check-in"]')
        page.wait_for_selector('[data-testid="my-check-in"]:has-text("已于")')
        members[names[i]] = page
    chair, wu, zheng, wang, feng = (members[n] for n in names)
    for page in members.values():  # those who came early see the quorum reached, and the ballot open
        page.reload()
    assert "5 / 5 人" in chair.inner_text('[data-testid="attendance"]')

    # a member reads a candidate's materials: the application, the verdict with its criteria, the evidence
    zheng.click('[data-testid="candidate"][data-student="E0001"] [data-testid="candidate-link"]')
    zheng.wait_for_selector('[data-testid="verdict"]')
    assert zheng.locator('[data-testid="evidence"] a').count() == 3
    shot(zheng, "committee-01-candidate-phone")
    assert zheng.evaluate("document.documentElement.scrollWidth") <= 390
    zheng.goto(f"/rounds/meetings/{meeting.pk}/")

    # 吴副高 works for 李二强's employer: recused by the portal; 郑副高 declares a conflict on 张一鸣 himself
    assert "与评审对象就业单位相同" in candidate(wu, "E0002").inner_text()
    assert candidate(wu, "E0002").locator('[data-testid="vote-form"]').count() == 0
    card = candidate(zheng, "E0001")
    card.locator("summary").click()
    card.locator('input[type="radio"][value="supervised"]').check()
    card.locator('[data-testid="conflict-submit"]').click()
    zheng.wait_for_selector('[data-testid="candidate"][data-student="E0001"] [data-testid="recused"]')

    # --- everyone votes: 张一鸣 4 of 4 (郑 recused); 李二强 2 of 4 (吴 recused) fails; 王三石 4 of 5 passes -----------------
    plan = {"周正高": {"E0001": "yes", "E0002": "yes", "E0003": "yes"},
            "吴副高": {"E0001": "yes", "E0003": "yes"},
            "郑副高": {"E0002": "no", "E0003": "yes"},
            "王正高": {"E0001": "no", "E0002": "abstain", "E0003": "yes"},
            "冯中级": {"E0001": "yes", "E0002": "yes", "E0003": "no"}}
    for name, choices in plan.items():
        for number, choice in choices.items():
            vote(members[name], number, choice)
    vote(wang, "E0001", "yes")  # 王正高 changes his mind before the close
    shot(zheng, "committee-02-member-voted-phone")
    assert zheng.evaluate("document.documentElement.scrollWidth") <= 390

    # the secretary follows the progress: how many have voted, never who voted how, no counts before the close
    secretary.reload()
    progress = secretary.inner_text('[data-testid="progress"]')
    assert "4 / 4" in progress and "5 / 5" in progress
    assert 'data-testid="tallies"' not in secretary.content() and "data-choice" not in secretary.content()
    assert secretary.goto(f"/rounds/meetings/{meeting.pk}/").status == 404
    shot(secretary, "committee-03-secretary-progress")

    # a member of another committee gets 404 on the meeting and its candidates
    outsider = browser_for(browser, live_server, w.outsider.username)
    assert outsider.goto(f"/rounds/meetings/{meeting.pk}/").status == 404
    app = rnd.applications.get(graduate__student_number="E0001")
    assert outsider.goto(f"/rounds/meetings/{meeting.pk}/candidates/{app.pk}/").status == 404

    # --- the chair closes the vote; the counts and results follow from the ballots ------------------------------------
    chair.once("dialog", lambda d: d.accept())
    chair.click('[data-testid="close-vote"]')
    chair.wait_for_selector('[data-testid="tallies"]')
    outcomes = {n: chair.get_attribute(f'[data-testid="tally"][data-student="{n}"]', "data-outcome")
                for n in ("E0001", "E0002", "E0003")}
    assert outcomes == {"E0001": "passed", "E0002": "failed", "E0003": "passed"}
    counts = {t.application.graduate.student_number: (t.present, t.recused, t.voters, t.yes, t.no, t.abstain,
                                                       t.not_voted)
              for t in Tally.objects.filter(meeting=meeting).select_related("application__graduate")}
    assert counts == {"E0001": (5, 1, 4, 4, 0, 0, 0), "E0002": (5, 1, 4, 2, 1, 1, 0), "E0003": (5, 0, 5, 4, 1, 0, 0)}
    assert SecretBallot.objects.count() == VoteCast.objects.count() == 4 + 4 + 5
    chair.click('[data-testid="sign-minutes"]')
    chair.wait_for_selector('[data-testid="meeting-state"]:has-text("会议纪要已签署")')
    minutes = chair.request.get(f"{live_server.url}/rounds/meetings/{meeting.pk}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")
    shot(chair, "committee-04-chair-closed")
    # after the close nobody can vote: the forms are gone, and the candidates' materials with them
    wu.reload()
    assert wu.locator('[data-testid="vote-form"]').count() == 0
    assert wu.goto(f"/rounds/meetings/{meeting.pk}/candidates/{app.pk}/").status == 404

    # --- the secretary sees the counts now, still not who voted how ----------------------------------------------------
    secretary.goto(f"/rounds/{rnd.pk}/session/")
    body = secretary.inner_text("main")
    assert "通过" in body and "data-choice" not in secretary.content()
    secretary.goto(f"/rounds/{rnd.pk}/")
    secretary.wait_for_selector('[data-testid="round-state"]:has-text("评审会议已结束")')
    for page in (*members.values(), secretary, outsider):
        page.context.close()

    # the secretary's page and a member's record fit a 390 px phone
    for username, path in (("staff", f"/rounds/{rnd.pk}/session/"), (usernames[1], f"/rounds/meetings/{meeting.pk}/")):
        phone = browser_for(browser, live_server, username, phone=True)
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(phone, f"committee-05-{username}-phone")
        phone.context.close()
