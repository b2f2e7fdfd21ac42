"""评价实施 in real Chromium (issue #13 "Done when"), each step by the person the notice names:

the school reports its 2026 plan and 马鞍山's HRSS acknowledges it → the school maps its majors, plans a session
(pass marks shown from the filed 附件4 plan), registers three graduates and reports the session ≥ 5 working days
before → the office names the quality supervisor → on the day: attendance, the first examiner's scores, the second
examiner's confirming entry → the supervisor's report → results published and reported (认定结果报备) →
certificates issued from the session → a certificate verified publicly through its QR link. The session page
also works at 390 px.

The clock is moved with ``time_machine`` (process-wide, so the live server sees it): filed 2 March 2026, the session
on Friday 20 March 2026.
"""

import datetime
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from assessment.models import Session
from certificates import keys, qr
from certificates.models import Certificate
from portal.models import User
from tests.assessment import builders as b
from tests.conftest import PASSWORD, make_institution, make_user
from tests.e2e.conftest import shot, sign_in
from tests.track_b.factories import ensure_reference_data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(transactional_db, live_server, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("CERTIFICATE_KEYS_FILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("CERTIFICATE_BASE_URL", live_server.url)
    monkeypatch.setenv("CERTIFICATE_FONT_DIR", os.path.join(ROOT, "media", "cache", "fonts"))
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "e2e-sa"}}
    keys._cache.clear()
    call_command("loaddata", "cities", verbosity=0)
    ensure_reference_data()
    inst = make_institution("皖江应用技术学院", city="3405", affiliation="municipal", uscc_body="12340500485960555")
    w = SimpleNamespace(inst=inst, staff=make_user("sa_staff", "university_staff", institution=inst),
                        city_hrss=make_user("sa_city", "city_hrss", city_id="3405"), other_staff=None)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, tzinfo=SHANGHAI), tick=False):
        w.app = b.quick_filed(w)
    w.graduates = [b.graduate(inst, n) for n in (1, 2, 3)]
    w.examiners = b.examiner_users(w.app)[:2]
    w.supervisor = b.supervisor(w)
    yield w
    keys._cache.clear()


def login(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")


def click(page, testid):
    page.get_by_test_id(testid).click()
    page.wait_for_load_state()


def test_plan_session_scores_results_certificates_verified(world, page, phone, browser, live_server):
    w = world
    page.set_default_timeout(120000)  # issuing renders PDFs inside the request (tasks run eagerly in tests)
    clock = time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), tick=True)
    clock.start()
    try:
        # 1. The school reports its 2026 plan; the filing office acknowledges it.
        login(page, "sa_staff")
        page.goto("/assessment/")
        page.fill("#id_year", "2026")
        click(page, "plan-new")
        page.select_option("#id_lines-0-occupation", label=f"{b.NEV} 汽车维修工")
        page.select_option("#id_lines-0-level", "3")
        page.fill("#id_lines-0-months", "3,6")
        page.fill("#id_lines-0-expected_candidates", "30")
        page.fill("#id_lines-0-examiners", "2")
        click(page, "plan-save")
        click(page, "plan-report")
        assert "已报告" in page.get_by_test_id("state").inner_text()
        plan_url = page.url
        login(page, "sa_city")
        page.goto(plan_url)
        click(page, "plan-ack")
        assert "已知悉" in page.get_by_test_id("state").inner_text()

        # 2. The school maps its major, plans the session, registers graduates and reports it.
        login(page, "sa_staff")
        page.goto("/assessment/mapping/")
        page.get_by_test_id(f"majors-{b.NEV}").fill("汽车服务工程")
        click(page, f"mapping-save-{b.NEV}")
        page.goto("/assessment/sessions/new/")
        page.select_option("#id_occupation_level", label=f"{b.NEV} 汽车维修工 · 三级/高级工")
        page.fill("#id_start_date", "2026-03-20")
        page.fill("#id_end_date", "2026-03-20")
        page.check("#id_examiners_0")
        page.check("#id_examiners_1")
        click(page, "session-save")
        assert "理论知识 ≥ 60.0" in page.get_by_test_id("pass-marks").inner_text()
        for i in (1, 2, 3):
            page.get_by_test_id(f"grad-{i}").check()
        click(page, "register")
        assert "已报名 3 人" in page.content()
        click(page, "session-report")
        assert "已报备" in page.get_by_test_id("state").inner_text()
        session_url = page.url
        shot(page, "assessment-session-reported")

        # 3. The filing office names the quality supervisor.
        login(page, "sa_city")
        page.goto(session_url)
        page.get_by_test_id("supervisor-select").select_option(label="supervisor")
        click(page, "supervisor-save")
        assert "supervisor" in page.get_by_test_id("supervisor").inner_text()
    finally:
        clock.stop()

    clock = time_machine.travel(datetime.datetime(2026, 3, 20, 15, tzinfo=SHANGHAI), tick=True)
    clock.start()
    try:
        # 4. On the day: attendance, two examiners' entries, the supervisor's report.
        login(page, "sa_staff")
        page.goto(session_url)
        for i in (1, 2, 3):
            page.get_by_test_id(f"att-{i}").select_option("present")
        click(page, "attendance-save")
        marks = {1: ("82", "88"), 2: ("59", "90"), 3: ("75", "61.5")}
        for examiner in w.examiners:
            login(page, examiner.username)
            page.goto(session_url)
            click(page, "score-sheet")
            for i, (theory, practical) in marks.items():
                page.get_by_test_id(f"theory-{i}").fill(theory)
                page.get_by_test_id(f"practical-{i}").fill(practical)
                click(page, f"enter-{i}")
        assert "已复核确认" in page.content()
        login(page, "supervisor")
        page.goto(session_url)
        page.fill("#id_checked", "考场、身份核验、评分过程、成绩双人录入。")
        click(page, "supervision-save")
        assert "督导报告已提交" in page.content()

        # 5. Results published, reported to the office, certificates issued from the session.
        login(page, "sa_staff")
        page.goto(session_url)
        click(page, "publish")
        click(page, "report-results")
        assert "认定结果已报备" in page.get_by_test_id("state").inner_text()
        click(page, "issue")
        page.wait_for_url("**/certificates/batches/**")
    finally:
        clock.stop()

    session = Session.objects.get()
    issued = Certificate.objects.filter(assessment_result__candidate__session=session)
    assert sorted(c.holder_name for c in issued) == ["考生1", "考生3"]  # 考生2's theory 59 < 60

    # 6. Anyone verifies a certificate through its QR link.
    cert = issued.get(holder_name="考生1")
    public = browser.new_context(base_url=live_server.url, locale="zh-CN")
    epage = public.new_page()
    epage.goto(qr.qr_text(cert))
    assert "有效" in epage.locator('[data-testid="certificate-status"]').inner_text()
    public.close()

    # 7. The session page at 390 px: nothing wider than the screen.
    phone.context.clear_cookies()
    sign_in(phone, "sa_staff", PASSWORD)
    phone.wait_for_url("**/")
    phone.goto(session_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 392
    shot(phone, "assessment-session-phone")
    assert User.objects.filter(username="supervisor").exists()
