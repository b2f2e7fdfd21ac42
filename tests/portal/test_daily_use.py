"""Issue 15: the public base URL (§1), Chinese error pages served with DEBUG off (§3), Beijing time (§5)."""

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from certificates import qr
from portal import errors
from portal.timefmt import local_day, local_minute


def _boom(request):
    raise RuntimeError("a fault no one foresaw")


urlpatterns = [path("boom/", _boom), path("", include("portal.urls"))]
handler500 = "portal.errors.server_error"


# --- §1 one public base URL --------------------------------------------------------------------------

@pytest.fixture
def no_env_base(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("CERTIFICATE_BASE_URL", raising=False)


def test_qr_links_use_the_public_base_url_setting(settings, no_env_base):
    settings.PUBLIC_BASE_URL = "http://192.168.1.20:8123"
    assert qr.base_url() == "http://192.168.1.20:8123"
    settings.PUBLIC_BASE_URL = ""
    assert qr.base_url() == qr.DEVELOPMENT_BASE_URL


def test_the_environment_of_a_worker_wins_and_the_old_name_still_works(settings, monkeypatch):
    settings.PUBLIC_BASE_URL = "http://ignored"
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("CERTIFICATE_BASE_URL", "https://old-name.example.cn/")
    assert qr.base_url() == "https://old-name.example.cn"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://portal.example.cn")
    assert qr.base_url() == "https://portal.example.cn"


@pytest.mark.parametrize(("production", "url", "ids"), [
    (True, "", {"portal.W002"}),
    (True, "http://portal.example.cn", {"portal.W003"}),
    (True, "https://portal.example.cn", set()),
    (False, "", set()),  # a laptop: the runserver address is right
])
def test_check_warns_in_production_when_unset_or_not_https(settings, production, url, ids):
    settings.PRODUCTION = production
    settings.PUBLIC_BASE_URL = url
    found = {m.id for m in run_checks() if m.id in ("portal.W002", "portal.W003")}
    assert found == ids


def test_make_demo_serves_with_debug_off_and_the_base_url_of_the_port():
    """The Makefile's demo target: DEBUG off, PUBLIC_BASE_URL from HOST/PORT, static through WhiteNoise."""
    out = subprocess.run(["make", "-n", "demo", "HOST=127.0.0.1", "PORT=8123"], capture_output=True, text=True,
                         cwd=settings.BASE_DIR, check=True).stdout
    serve = [line for line in out.splitlines() if "runserver" in line]
    assert serve and "DEBUG=0" in serve[0] and "PUBLIC_BASE_URL=http://127.0.0.1:8123" in serve[0]
    assert "--nostatic 127.0.0.1:8123" in serve[0]
    assert any("load_demo" in line and "PUBLIC_BASE_URL=http://127.0.0.1:8123" in line for line in out.splitlines())


# --- §3 Chinese error pages with the site's navigation -----------------------------------------------------

def test_404_is_chinese_with_the_site_header_for_strangers(db):
    response = Client().get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'class="topbar"' in body and "证书核验" in body and "登录" in body
    assert "Page not found" not in body and "URLconf" not in body


def test_404_of_the_public_verification_page_is_chinese(db):
    body = Client().get("/v/doesnotexist").content.decode()
    assert "页面不存在" in body and "Page not found" not in body


def test_404_shows_the_signed_in_navigation(world, client):
    client.force_login(world.staff)
    body = client.get("/no/such/page/").content.decode()
    assert "页面不存在" in body and "工作台" in body and world.staff.display_name in body


def test_403_is_chinese(world, client):
    client.force_login(world.student)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权办理此事项" in response.content.decode() and "403 Forbidden" not in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_chinese_and_needs_no_database(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in body and 'class="topbar"' in body and "Server Error" not in body


def test_500_page_falls_back_to_plain_chinese_if_the_template_fails(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("template directory gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()


def test_csrf_failure_is_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post("/inbox/read/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "CSRF verification failed" not in body


# --- §5 Beijing time --------------------------------------------------------------------------------

LATE_EVENING_UTC = datetime(2026, 12, 3, 22, 52, tzinfo=UTC)  # 06:52 on 4 December in Anhui


def test_times_are_formatted_in_beijing_time():
    assert local_minute(LATE_EVENING_UTC) == "2026-12-04 06:52"
    assert local_day(LATE_EVENING_UTC) == "2026-12-04"
    assert local_minute(None) == "" and local_day(None) == ""


def test_the_graduates_panel_shows_the_last_run_in_beijing_time(world, client):
    from evaluation.models import EvaluationRun, Graduate

    Graduate.objects.create(institution=world.inst, student_number="2026000001", name="张三", gender="M",
                            id_number="340504200301150019", graduation_year=2026, major="车辆工程",
                            degree_level="bachelor")
    run = EvaluationRun.objects.create(institution=world.inst, graduation_year=2026, started_by=world.staff)
    EvaluationRun.objects.filter(pk=run.pk).update(created_at=LATE_EVENING_UTC)
    client.force_login(world.staff)
    body = client.get("/").content.decode()
    assert "2026-12-04 06:52" in body and "2026-12-03 22:52" not in body


def test_the_audit_row_prints_beijing_time(world):
    from portal import audit

    row = audit.record(actor=world.staff, action="login")
    row.at = LATE_EVENING_UTC
    assert str(row).startswith("2026-12-04 06:52")
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


def test_production_settings_serve_the_chinese_404_too(tmp_path):
    """Issue 15 §3 / 14 §12: with DJANGO_ENV=production (DEBUG off, WhiteNoise, HTTPS) the same Chinese page."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/no/such/page/', secure=True)\n"
        "body = r.content.decode()\n"
        "print(r.status_code, '页面不存在' in body, 'Page not found' in body, 'topbar' in body)\n"
    )
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "test-only-" + "x" * 50,
           "DJANGO_SETTINGS_MODULE": "portal.settings", "PUBLIC_BASE_URL": "https://portal.example.cn",
           "STATIC_ROOT": str(tmp_path / "static")}
    env.pop("PORTAL_TESTING", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=settings.BASE_DIR, env=env,
                   check=True, timeout=300)  # as a deployment does (README)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=settings.BASE_DIR,
                         env=env, timeout=120)
    assert out.stdout.split() == ["404", "True", "False", "True"], out.stderr[-2000:]
