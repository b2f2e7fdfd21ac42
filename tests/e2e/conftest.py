"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download cannot work on these machines. Screenshots go to
``test-artifacts/screenshots`` (git-ignored) — look at them.
"""

import os
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from pytest_django.live_server_helper import LiveServer

from portal.models import Role
from tests.conftest import load_reference_data, make_institution, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def base_url(live_server):
    """Where ``page`` and ``phone`` browse: pytest-django's live server (a module serving its own overrides it)."""
    return live_server.url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, device_scale_factor=2)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def pilot_school(settings, tmp_path):
    """安徽工业大学 (马鞍山, 省属) with its staff and the city and provincial offices, uploads in a temporary
    MEDIA_ROOT. The cities are loaded again: a transactional test before this one flushed them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "cities", verbosity=0)
    inst = make_institution("安徽工业大学", city="3405", uscc_body="12340000485960317")
    w = SimpleNamespace(inst=inst)
    w.staff = make_user("staff", Role.UNIVERSITY_STAFF, institution=inst)
    w.city_hrss = make_user("city_hrss", Role.CITY_HRSS, city_id="3405")
    w.city_edu = make_user("city_edu", Role.CITY_EDUCATION, city_id="3405")
    w.prov_edu = make_user("prov_edu", Role.PROVINCIAL_EDUCATION)
    w.prov_hrss = make_user("prov_hrss", Role.PROVINCIAL_HRSS)
    return w


@contextmanager
def served_once(django_db_blocker, media_root, load, **settings):
    """A live server of the module's own over data that ``load()`` writes once for the whole module, committed, with
    uploads and PDFs under ``media_root`` (and ``settings`` overridden meanwhile); the database is flushed
    afterwards, as after a transactional test. The module's tests get the server's URL as ``base_url`` (so that
    ``page`` and ``phone`` do not bring pytest-django's ``live_server``, whose tests are flushed one by one) and
    the database in autocommit, as the server sees it, both through the fixture ``served``. For modules
    whose tests read what ``load`` made, or change it in ways the later ones do not mind: the whole demo, loaded
    for each test of tests/e2e/test_certificates.py, took 25–45 s each time.

    ``load(server)`` runs once the server is up (the data may need its URL); yields the server."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, **settings):
        load_reference_data()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            load(server)
            yield server
        finally:
            server.stop()
            server._live_server_modified_settings.disable()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def served(demo, django_db_blocker):
    """For a module served once (``served_once`` in its fixture ``demo``): the server's URL, with the database open to
    the test in autocommit, as the server sees it. The module makes it its ``base_url``, autouse."""
    with django_db_blocker.unblock():
        yield demo.url


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def _demo_second_step(settings):
    """The browser tests sign officials in as the demo does: the second step with the demo code (README)."""
    settings.TWO_FACTOR_DEMO = True


def sign_in(page, username, password):
    """Password, then — for an official — the second step with the demo device's code, as in ``make demo``.
    tests/e2e/test_two_factor.py signs in with a real authenticator instead."""
    from portal.models import User
    from portal.twofactor import policy, services
    from portal.twofactor.models import DEMO_CODE

    user = User.objects.filter(username=username).first()
    if user is not None and policy.required_for(user):
        services.add_demo_device(user)
    submit_password(page, username, password)
    if "/accounts/two-factor/" in page.url:
        submit_code(page, DEMO_CODE)


def submit_password(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def submit_code(page, code):
    page.fill("#id_otp_token", code)
    with page.expect_navigation():
        page.click('[data-testid="otp-submit"]')
