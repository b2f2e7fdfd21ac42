"""Production mode: ``check --deploy`` is clean, SECRET_KEY is required, DEBUG is off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DJANGO_ENV", "PORTAL_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_has_no_warnings_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DJANGO_ENV": "production", "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "portal.example.cn", "PUBLIC_BASE_URL": "https://portal.example.cn"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_a_secret_key():
    result = run_manage("check", env_extra={"DJANGO_ENV": "production"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("setting, expected", [("DEBUG", "False"), ("CONN_MAX_AGE", "600")])
def test_production_settings(setting, expected):
    code = ("from django.conf import settings; "
            f"print(settings.DATABASES['default']['CONN_MAX_AGE'] if '{setting}' == 'CONN_MAX_AGE' "
            f"else settings.{setting})")
    result = run_manage("shell", "-c", code, env_extra={"DJANGO_ENV": "production", "SECRET_KEY": "k" * 60})
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_pdf_support_check_names_what_is_missing(monkeypatch):
    from portal import checks

    checks.pdf_support_problems.cache_clear()
    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(checks, "_has_cjk_font", lambda: False)
    try:
        warnings = checks.check_pdf_support(None)
        assert warnings and warnings[0].id == "portal.W001"
        assert "libharfbuzz-subset0" in warnings[0].msg and "fonts-noto-cjk" in warnings[0].msg
        assert "apt-get install" in warnings[0].hint
    finally:
        checks.pdf_support_problems.cache_clear()


def test_every_migration_applies_on_the_demo_database(tmp_path):
    """`make demo` migrates a local SQLite database: a migration that only PostgreSQL accepts breaks it."""
    result = run_manage("migrate", "--noinput", env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                                                           "REDIS_URL": ""})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
