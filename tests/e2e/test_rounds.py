"""The 2025 evaluation round of 安徽工业大学 in real Chromium, on the dates of 2025 (the portal's clock is moved):
ten graduates — one applying from their own account on a phone, nine enrolled by the school — through the
eligibility review, the candidates' notice (across 国庆, ending on the 调休 Saturday 11 October) with an objection
answered in writing, the committee meeting (convened by the secretary; a detected conflict of interest; the
members' votes), the results notice with an upheld objection, to final decisions, the report and its XLSX; the graduate
follows every step from their own account."""

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from evaluation.models import Achievement
from evaluation.rounds import clock, services
from evaluation.rounds.models import Decision, EvaluationRound, Meeting, TitleApplication
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from portal.models import Role
from tests.conftest import PASSWORD, make_institution, make_user
from tests.e2e.conftest import SHOTS, shot, sign_in
from tests.evaluation.factories import GraduateFactory
from tests.track_a import factories as ta

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TECHNICIAN = ({"practice_months": 3, "major_rank_percent": 45, "design_grade": "good", "ncre_level": 1},
              [{"kind": "competition", "level": "school", "rank": 1, "title": "校大学生机械创新设计竞赛"}])
ASSISTANT = ({"practice_months": 6, "major_rank_percent": 35, "design_grade": "good", "ncre_level": 2}, [])
ENGINEER = ({"practice_months": 12, "major_rank_percent": 12, "design_grade": "excellent", "ncre_level": 3},
            [{"kind": "competition", "level": "provincial", "rank": 1, "title": "安徽省大学生机器人大赛"}])
# number, name, record, employer, extra fields, level applied for
GRADUATES = [
    ("2021010001", "张明远", TECHNICIAN, "马鞍山钢铁股份有限公司", {}, "technician"),  # the student account
    ("2021010002", "李晓峰", TECHNICIAN, "奇瑞汽车股份有限公司", {}, "technician"),  # an expert's employer
    ("2021010003", "王海涛", TECHNICIAN, "安徽江淮汽车集团股份有限公司", {}, "technician"),
    ("2021010004", "赵雨欣", TECHNICIAN, "马鞍山钢铁股份有限公司", {"gender": "F"}, "technician"),
    ("2021010005", "陈思远", TECHNICIAN, "蔚来汽车科技（安徽）有限公司", {}, "technician"),
    ("2021010006", "刘佳琪", TECHNICIAN, "科大讯飞股份有限公司", {"gender": "F"}, "technician"),
    ("2021010007", "杨志强", ASSISTANT, "马鞍山钢铁股份有限公司", {}, "assistant_engineer"),
    ("2021020008", "黄文博", ENGINEER, "奇瑞汽车股份有限公司", {"major": "机械设计制造及其自动化"}, "engineer"),
    ("2021010009", "周子涵", TECHNICIAN, "安徽海螺集团有限责任公司", {}, "technician"),  # tried above its verdict first
    ("2021010010", "吴浩然", TECHNICIAN, "中国十七冶集团有限公司", {"on_duty": False}, "technician"),  # not on duty
]


@pytest.fixture
def pilot(transactional_db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "cities", verbosity=0)  # a transactional test before this one flushed them
    inst = make_institution("安徽工业大学", city="3405", uscc_body="12340000485960317")
    w = SimpleNamespace(inst=inst)
    w.staff = make_user("staff", Role.UNIVERSITY_STAFF, institution=inst)
    w.staff.full_name = "王经办"
    w.staff.save()
    w.city_hrss = make_user("city_hrss", Role.CITY_HRSS, city_id="3405")
    w.city_edu = make_user("city_edu", Role.CITY_EDUCATION, city_id="3405")
    w.prov_edu = make_user("prov_edu", Role.PROVINCIAL_EDUCATION)
    w.prov_hrss = make_user("prov_hrss", Role.PROVINCIAL_HRSS)
    w.student = make_user("student", Role.STUDENT, institution=inst)
    w.student.full_name = "张明远"
    w.student.save()
    make_user("classmate", Role.STUDENT, institution=inst)  # reads the 公示 within the unit (单位内部公示)
    ta.committee(w, "approved")  # authority (车辆工程, 机械设计制造及其自动化; all levels) and a committee of five
    publish_standard(institution=inst, data=DEFAULT_STANDARD.to_dict(), actor=w.staff)
    w.graduates = {}
    for number, name, (record, achievements), employer, extra, level in GRADUATES:
        fields = {"major": "车辆工程", "gender": "M", **record, **extra}
        g = GraduateFactory(institution=inst, graduation_year=2025, student_number=number, name=name,
                            employer=employer, user=w.student if number == "2021010001" else None, **fields)
        for a in achievements:
            Achievement.objects.create(graduate=g, **a)
        w.graduates[number] = (g, level)
    w.pdf = tmp_path / "证明.pdf"
    w.pdf.write_bytes(PDF)
    today = {"value": date(2025, 9, 22)}
    monkeypatch.setattr(clock, "today", lambda: today["value"])
    w.set_today = lambda day: today.__setitem__("value", day)
    return w


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")


def error_text(page):
    return " ".join(page.locator(".messages .msg-error").all_inner_texts())


def upload_evidence(page, w):
    for name in ("employment", "tripartite", "on_duty"):
        page.set_input_files(f'[name="{name}"]', str(w.pdf))


def review(page, w, number, decision, reasons=""):
    g, _level = w.graduates[number]
    app = TitleApplication.objects.get(graduate=g)
    page.goto(f"/rounds/applications/{app.pk}/")
    page.check(f'[name="decision"][value="{decision}"]')
    if reasons:
        page.fill('[name="reasons"]', reasons)
    page.click('[data-testid="review-submit"]')
    page.wait_for_load_state()


def object_to(browser_page, notice_path, masked_name, content):
    """A member of the school lodges an objection (no name, no contact) and keeps the receipt."""
    browser_page.goto(notice_path)
    value = browser_page.locator('[name="entry"] option', has_text=masked_name).get_attribute("value")
    browser_page.select_option('[name="entry"]', value)
    browser_page.fill('[name="content"]', content)
    browser_page.click('[data-testid="objection-submit"]')
    browser_page.wait_for_selector('[data-testid="receipt-number"]')
    return browser_page.inner_text('[data-testid="receipt-number"]')


def write_report(rnd):
    """The round report of this test's data, for the issue's closing note (test-artifacts/rounds-e2e-report.md)."""
    from evaluation.rounds import reports

    report = reports.round_report(rnd)
    lines = [f"# {rnd.name}（{rnd.get_state_display()}，{rnd.document_number}）", "",
             "| 级别 | 申报 | 评审对象 | 通过 | 通过率 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.label} | {r.applied} | {r.candidates} | {r.passed} | {r.rate} |"
              for r in [*report["levels"], report["total"]]]
    lines += ["", "| 专业 | 申报 | 评审对象 | 通过 | 通过率 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.label} | {r.applied} | {r.candidates} | {r.passed} | {r.rate} |" for r in report["majors"]]
    lines += ["", "| 公示 | 异议 | 成立 | 不成立 | 待答复 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {o.label} | {o.total} | {o.upheld} | {o.dismissed} | {o.open} |"
              for o in [*report["objections"], report["objection_total"]]]
    lines += ["", f"资格审查未通过 {report['refused']} 人；经异议核实取消 {report['disqualified']} 人；"
                  f"评委会表决未通过 {report['failed']} 人。", ""]
    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "rounds-e2e-report.md").write_text("\n".join(lines), encoding="utf-8")


def test_a_round_from_applications_to_final_decisions(pilot, page, phone, browser, live_server):
    w = pilot
    # --- 22 September 2025: the school opens its round -------------------------------------------------------------
    as_user(page, "staff")
    page.click('section[data-role="university_staff"] a:has-text("发起年度职称评审")')
    page.select_option('[name="graduation_year"]', "2025")
    shot(page, "rounds-01-open")
    page.click('[data-testid="open-submit"]')
    page.wait_for_selector('[data-testid="round-state"]')
    rnd = EvaluationRound.objects.get()
    assert page.inner_text('[data-testid="days-left"]') == "100"
    assert "今天开始则至 2025-09-26" in page.content()

    # --- the graduate applies from their own account, on a phone ---------------------------------------------------
    as_user(phone, "student")
    phone.click('section[data-role="student"] a:has-text("正在受理申报")')
    phone.wait_for_selector('[data-testid="verdict-level"]')
    assert phone.inner_text('[data-testid="verdict-level"]') == "技术员"
    assert "符合参评资格" in phone.inner_text('[data-testid="may-apply"]')
    phone.check('[name="level"][value="technician"]')
    phone.check('[name="employer_kind"][value="enterprise"]')
    upload_evidence(phone, w)
    shot(phone, "rounds-02-student-apply-phone")
    phone.click('[data-testid="submit-application"]')
    phone.wait_for_selector('[data-testid="application-state"]')
    assert phone.inner_text('[data-testid="application-state"]') == "已提交，待资格审查"
    shot(phone, "rounds-03-student-submitted-phone")

    # --- the school enrols the other nine ------------------------------------------------------------------------------
    for number, (g, level) in list(w.graduates.items())[1:]:
        page.goto(f"/rounds/{rnd.pk}/enrol/")
        if number == "2021010009":  # above the engine's level: refused, whatever the reason (通知 四(四))
            page.select_option('[name="graduate"]', str(g.pk))
            page.check('[name="level"][value="assistant_engineer"]')
            page.check('[name="employer_kind"][value="enterprise"]')
            page.click('[data-testid="submit-application"]')
            page.wait_for_load_state()
            assert "高于资格评价结果" in error_text(page)
            shot(page, "rounds-04-above-verdict-refused")
        page.select_option('[name="graduate"]', str(g.pk))
        page.check(f'[name="level"][value="{level}"]')
        page.check('[name="employer_kind"][value="enterprise"]')
        upload_evidence(page, w)
        page.click('[data-testid="submit-application"]')
        page.wait_for_selector('[data-testid="application-state"]')
        assert page.inner_text('[data-testid="application-state"]') == "已提交，待资格审查", number
    assert TitleApplication.objects.filter(round=rnd, state="submitted").count() == 10

    # --- eligibility review: one returned with reasons, one who may not be evaluated refused ------------------------
    review(page, w, "2021010001", "return", "三方就业协议扫描件不清晰，请重新上传清晰的扫描件。")
    for number in ("2021010002", "2021010003", "2021010004", "2021010005", "2021010006", "2021010007",
                   "2021020008", "2021010009"):
        review(page, w, number, "pass")
    review(page, w, "2021010010", "pass")
    assert "尚未到岗工作" in error_text(page)
    shot(page, "rounds-05-review-refused-by-engine")
    review(page, w, "2021010010", "refuse", "毕业当年尚未到岗，不符合附件2 一(四)的条件。")

    phone.goto("/rounds/my/")
    phone.click('[data-testid="my-application"] a')
    assert "三方就业协议扫描件不清晰" in phone.inner_text('[data-testid="review-reasons"]')
    phone.select_option('[name="kind"]', "tripartite")
    phone.set_input_files('[name="file"]', str(w.pdf))
    phone.click('form[enctype] button[type="submit"]')
    phone.wait_for_load_state()
    phone.click('[data-testid="submit"]')
    phone.wait_for_selector('[data-testid="application-state"]:has-text("已提交，待资格审查")')
    shot(phone, "rounds-06-student-resubmitted-phone")
    review(page, w, "2021010001", "pass")

    # --- the candidates' notice: from Monday 29 September, across 国庆 -------------------------------------------------
    page.goto(f"/rounds/{rnd.pk}/")
    page.fill('[name="starts_on"]', "2025-09-29")
    page.fill('[name="contact"]', "安徽工业大学人事处 0555-2311000")
    page.click('[data-testid="publish-candidates-submit"]')
    page.wait_for_selector('[data-testid="candidates-notice"]')
    assert "公示期：2025-09-29 至 2025-10-11（5个工作日）" in page.inner_text('[data-testid="candidates-notice"]')
    shot(page, "rounds-07-candidates-notice-published")
    notice_path = page.get_attribute('[data-testid="public-link"]', "href")

    w.set_today(date(2025, 9, 30))
    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, device_scale_factor=2).new_page()
    visitor.goto(notice_path)  # 单位内部公示: not signed in, the notice asks for a sign-in first
    assert "/login" in visitor.url
    sign_in(visitor, "classmate", PASSWORD)
    visitor.wait_for_url("**/")
    visitor.goto(notice_path)
    body = visitor.inner_text('[data-testid="notice-entries"]')
    assert "李*峰" in body and "李晓峰" not in body and len(visitor.locator('[data-testid="notice-entries"] tbody tr')
                                                              .all()) == 9
    assert "2025年9月29日至2025年10月11日" in visitor.inner_text('[data-testid="notice-period"]')
    shot(visitor, "rounds-08-public-notice-phone")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    receipt = object_to(visitor, notice_path, "王*涛", "该同学的竞赛获奖是团队项目，个人排名是否属实？请核实。")
    shot(visitor, "rounds-09-objection-receipt-phone")

    page.goto(f"/rounds/{rnd.pk}/")
    page.click('[data-testid="close-notice"]')
    assert "期满后才能提交评委会评审" in error_text(page)
    w.set_today(date(2025, 10, 13))
    page.goto(f"/rounds/{rnd.pk}/")
    page.click('[data-testid="close-notice"]')
    assert "尚有1条公示异议未书面答复" in error_text(page)
    page.goto(f"/rounds/{rnd.pk}/objections/")
    page.check('[name="outcome"][value="dismissed"]')
    page.fill('[name="answer"]', "经核查获奖证书原件和竞赛组委会公布的名单，该生排名第1属实，异议不成立。")
    page.click('[data-testid="answer-submit"]')
    page.wait_for_selector('[data-testid="objection"][data-state="dismissed"]')
    visitor.goto(f"/rounds/public/objection/{receipt}/")
    assert visitor.inner_text('[data-testid="receipt-state"]') == "异议不成立"
    page.goto(f"/rounds/{rnd.pk}/")
    page.click('[data-testid="close-notice"]')
    page.wait_for_selector('[data-testid="round-state"]:has-text("待评委会评审")')

    # --- the committee meeting, 14 October (the members' own pages: tests/e2e/test_committee_vote.py) -----------------
    w.set_today(date(2025, 10, 14))
    page.click('[data-testid="session-link"]')
    page.fill('[name="held_on"]', "2025-10-14")
    page.fill('[name="place"]', "安徽工业大学行政楼第一会议室")
    page.select_option('[name="size"]', "5")
    page.click('[data-testid="convene-submit"]')
    page.wait_for_selector('[data-testid="meeting"][data-state="convened"]')
    meeting = Meeting.objects.get(round=rnd)
    seats = list(meeting.members.select_related("user").order_by("-is_chair", "id"))
    for seat in seats:  # each member checks in and votes from their own account
        services.check_in(meeting=meeting, actor=seat.user)
    recused = {(c.application.graduate.student_number, c.member.name) for c in meeting.conflicts.all()}
    assert recused == {("2021010002", "吴副高"), ("2021020008", "吴副高"),  # employer match: 奇瑞
                       ("2021010003", "冯中级")}  # and 江淮汽车
    tokens = {}
    plan = {"2021010002": ["yes", "yes", "no", "yes"],  # 4 voting (吴副高 recused): 3 of 4 passes
            "2021020008": ["yes"] * 4,
            "2021010009": ["yes", "yes", "no", "no", None]}  # 2 of 5, one casts nothing — fails
    for app in TitleApplication.objects.filter(round=rnd, state="eligible").select_related("graduate"):
        number = app.graduate.student_number
        voters = [s for s in seats if (number, s.name) not in recused]
        for seat, choice in zip(voters, plan.get(number, ["yes"] * len(voters)), strict=True):
            if choice:
                tokens[seat.pk] = services.cast_vote(meeting=meeting, application=app, actor=seat.user,
                                                     choice=choice, token=tokens.get(seat.pk))
    changed = TitleApplication.objects.get(graduate__student_number="2021010005", round=rnd)
    services.cast_vote(meeting=meeting, application=changed, actor=seats[1].user, choice="no",
                       token=tokens[seats[1].pk])  # changed before closing: 4 of 5 still passes
    page.reload()
    assert "5 / 5 人" in page.inner_text('[data-testid="attendance"]')
    assert 'data-testid="tallies"' not in page.content()  # no counts while the vote is open
    shot(page, "rounds-10-meeting-progress")
    meeting = services.close_vote(meeting=meeting, actor=seats[0].user)
    services.sign_minutes(meeting=meeting, actor=seats[0].user)
    page.goto(f"/rounds/{rnd.pk}/")
    page.wait_for_selector('[data-testid="round-state"]:has-text("评审会议已结束")')
    page.click('[data-testid="session-link"]')
    outcomes = {n: page.get_attribute(f'[data-testid="tally"][data-student="{n}"]', "data-outcome")
                for n in ("2021010002", "2021010009", "2021010005")}
    assert outcomes == {"2021010002": "passed", "2021010009": "failed", "2021010005": "passed"}
    minutes = page.request.get(f"{live_server.url}/rounds/meetings/{meeting.pk}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")
    page.goto(f"/rounds/{rnd.pk}/")

    # --- the results notice, 14–20 October; an objection upheld ------------------------------------------------------
    page.fill('[name="starts_on"]', "2025-10-14")
    page.click('[data-testid="publish-results-submit"]')
    page.wait_for_selector('[data-testid="results-notice"]')
    assert "2025-10-14 至 2025-10-20（5个工作日）" in page.inner_text('[data-testid="results-notice"]')
    results_path = page.get_attribute('[data-testid="results-notice"] [data-testid="public-link"]', "href")
    visitor.goto(results_path)
    assert len(visitor.locator('[data-testid="notice-entries"] tbody tr').all()) == 8
    object_to(visitor, results_path, "王*涛", "该同学毕业设计成绩系补考成绩，与公示材料不符，请核实。")
    w.set_today(date(2025, 10, 21))
    page.goto(f"/rounds/{rnd.pk}/")
    page.fill('[name="document_number"]', "安工大职评〔2025〕1号")
    page.click('[data-testid="finalise-submit"]')
    assert "尚有1条公示异议未书面答复" in error_text(page)
    page.goto(f"/rounds/{rnd.pk}/objections/")
    form = page.locator('[data-testid="objection"][data-state="open"]')
    form.locator('[name="outcome"][value="upheld"]').check()
    form.locator('[name="answer"]').fill("经核查教务系统，该生毕业设计成绩为补考后成绩，所报材料不实，异议成立，取消其评审结果。")
    form.locator('[data-testid="answer-submit"]').click()
    page.wait_for_selector('[data-testid="objection"][data-state="upheld"]')
    shot(page, "rounds-11-objections-answered")

    # --- 21 October: final decisions -------------------------------------------------------------------------------------
    page.goto(f"/rounds/{rnd.pk}/")
    page.fill('[name="document_number"]', "安工大职评〔2025〕1号")
    page.click('[data-testid="finalise-submit"]')
    page.wait_for_selector('[data-testid="round-state"]:has-text("评审结果已确定")')
    shot(page, "rounds-12-finalised")
    page.click('[data-testid="decisions-link"]')
    passed = ["2021010001", "2021010002", "2021010004", "2021010005", "2021010006", "2021010007", "2021020008"]
    rows = page.locator('[data-testid="decisions"] tbody tr')
    assert rows.count() == 9
    for number in passed:
        assert "通过" in page.inner_text(f'[data-testid="decisions"] tr[data-student="{number}"]')
    assert "未通过" in page.inner_text('[data-testid="decisions"] tr[data-student="2021010003"]')
    assert "未通过" in page.inner_text('[data-testid="decisions"] tr[data-student="2021010009"]')
    shot(page, "rounds-13-decisions")
    assert Decision.objects.filter(round=rnd, passed=True).count() == 7

    page.goto(f"/rounds/{rnd.pk}/report/")
    assert page.inner_text('[data-testid="total-passed"]') == "7"
    levels = page.inner_text('[data-testid="table-levels"]')
    assert "技术员\t8\t7\t5\t62.5%" in levels and "助理工程师\t1\t1\t1\t100.0%" in levels
    assert "工程师\t1\t1\t1\t100.0%" in levels and "合计\t10\t9\t7\t70.0%" in levels
    shot(page, "rounds-14-report")
    write_report(EvaluationRound.objects.get(pk=rnd.pk))
    with page.expect_download() as info:
        page.click('[data-testid="xlsx"]')
    with open(info.value.path(), "rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    assert ("车辆工程", 9, 8, 6, "66.7%") in list(wb["按专业"].iter_rows(values_only=True))

    # --- the graduate reads the final decision on a phone -----------------------------------------------------------------
    phone.goto("/")
    assert "技术员：评审通过（已确定）" in phone.inner_text('section[data-role="student"]')
    phone.goto("/rounds/my/")
    phone.click('[data-testid="my-application"] a')
    assert phone.inner_text('[data-testid="application-state"]') == "技术员：评审通过（已确定）"
    decision = phone.inner_text('[data-testid="decision"]')
    assert "评审通过：技术员" in decision and "安工大职评〔2025〕1号" in decision
    history = phone.inner_text('[data-testid="history"]')
    for step in ("提交申报", "退回修改", "资格审查通过", "评委会表决通过"):
        assert step in history
    shot(phone, "rounds-15-student-final-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto("/inbox/")
    inbox = phone.inner_text("main")
    for notice in ("被退回修改", "已通过资格审查", "评审对象公示", "提交评委会评审", "已通过评委会评审", "已取得技术员职称"):
        assert notice in inbox, notice
    shot(phone, "rounds-17-student-inbox-phone")
    assert phone.goto(f"/rounds/{rnd.pk}/").status == 404  # the round's list is not the graduate's to read
    visitor.context.close()


def test_round_pages_fit_a_phone(pilot, phone):
    """The staff's round page and the session page at 390 px: no horizontal scrolling."""
    w = pilot
    rnd = services.open_round(institution=w.inst, actor=w.staff, graduation_year=2025, today=date(2025, 9, 22))
    as_user(phone, "staff")
    phone.goto(f"/rounds/{rnd.pk}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    shot(phone, "rounds-16-round-phone")
    assert width <= 390, width
