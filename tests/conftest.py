"""Shared fixtures: a small world of institutions and one user per role.

``world`` is what the access matrix and most tests use: two institutions in different
cities (so that "another institution" and "another city" always exist), and users:

- staff        university staff of ``inst`` (安徽工业大学, 马鞍山, 省属)
- other_staff  university staff of ``other_inst`` (芜湖职业技术学院, 芜湖, 市属)
- city_hrss / city_edu        马鞍山 offices (cover ``inst``)
- other_city_hrss             芜湖 HRSS (covers ``other_inst``)
- prov_hrss / prov_edu, expert (employed by ``other_inst``), student (of ``inst``), admin
"""

import gc
import os

os.environ.setdefault("PORTAL_TESTING", "1")

import shutil  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402
from celery import Task  # noqa: E402
from kombu.exceptions import OperationalError  # noqa: E402

from benchmarks._common import PG_ADMIN_URL, migrated_template  # noqa: E402
from benchmarks.signin import pass_second_step  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from portal.demo import make_uscc  # noqa: E402
from portal.models import Institution, Role, RoleAssignment, User  # noqa: E402

PASSWORD = "Test@Passw0rd"


def pytest_configure(config):
    """A parallel run (``-n N``) on PostgreSQL migrates once, here in the controller, before the workers start: each
    worker's test database is a copy of this template (``TEST["TEMPLATE"]``, portal/settings.py), as is each
    benchmark smoke run's (``BENCH_TEMPLATE_DB``), instead of each running every migration (~33 s of CPU each)."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    database = urlsplit(os.environ.get("DATABASE_URL", ""))
    admin = urlsplit(PG_ADMIN_URL)
    if not database.scheme.startswith("postgres") or (database.hostname, database.port) != (admin.hostname,
                                                                                            admin.port):
        return
    config._migrated_template = ExitStack()
    config._migrated_template.enter_context(migrated_template())


# Worker-seconds of the slowest test files in one `make test` (2 workers, --durations; 2026-12-07). `make test` runs
# with --no-loadscope-reorder, and the files are handed out in this order, longest first: left to xdist's default
# (files with the most tests first), the one-test files that take minutes (the production stack, the benchmark
# smoke runs, the newcomer's walk through the demo) came last, and one worker finished them alone for minutes.
# Only the order uses these figures; a file not listed keeps its place after them.
SLOW_FILES = {
    "tests/portal/test_access_matrix.py": 223, "tests/a11y/test_axe.py": 216, "tests/perf/test_flat_pages.py": 155,
    "tests/deploy/test_production_stack.py": 127, "tests/e2e/test_newcomer.py": 108,
    "tests/perf/test_bench_smoke.py": 102, "tests/perf/test_bench_pages_smoke.py": 92, "tests/e2e/test_track_b.py": 84,
    "tests/portal/test_settings.py": 66, "tests/a11y/test_html_valid.py": 63, "tests/e2e/test_track_a_experts.py": 61,
    "tests/e2e/test_rounds.py": 56, "tests/e2e/test_track_a.py": 50, "tests/rounds/test_queries.py": 47,
    "tests/portal/test_daily_use.py": 46, "tests/track_b/test_workflow.py": 43, "tests/e2e/test_certificates.py": 39,
    "tests/e2e/test_committee_vote.py": 37, "tests/rounds/test_round_flow.py": 34, "tests/e2e/test_rereview.py": 34,
    "tests/e2e/test_skill_assessment.py": 32, "tests/e2e/test_login.py": 31,
}


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: -SLOW_FILES.get(item.nodeid.split("::", 1)[0], 0))  # stable: a file stays whole


def pytest_unconfigure(config):
    template = getattr(config, "_migrated_template", None)
    if template is not None:
        template.close()


ROLE_USERS = {
    "university_staff": "staff",
    "city_hrss": "city_hrss",
    "city_education": "city_edu",
    "provincial_hrss": "prov_hrss",
    "provincial_education": "prov_edu",
    "expert": "expert",
    "student": "student",
    "site_admin": "admin",
}


def make_institution(name, *, city="3405", affiliation="provincial", kind="undergraduate", uscc_body=None,
                     industry_college=True, applied=True):
    body = uscc_body or "1234" + city[2:] + f"{abs(hash(name)) % 10**11:011d}"
    return Institution.objects.create(
        name=name, uscc=make_uscc(body[:17]), affiliation=affiliation, city_id=city, kind=kind,
        applied_engineering=applied,
        industry_college_name=f"{name}现代产业学院" if industry_college else "",
        industry_college_level="provincial" if industry_college else "",
        industry_college_year=2021 if industry_college else None,
    )


def make_user(username, role=None, **scope):
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if role == Role.SITE_ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """The world of the ``world`` fixture, for tests that need a fresh one more than once (inside savepoints)."""
    inst = make_institution("安徽工业大学", city="3405", uscc_body="12340000485960317")
    other_inst = make_institution("芜湖职业技术学院", city="3402", affiliation="municipal", kind="vocational",
                                  uscc_body="12340200485470139", industry_college=False, applied=False)
    w = SimpleNamespace(inst=inst, other_inst=other_inst)
    w.staff = make_user("staff", Role.UNIVERSITY_STAFF, institution=inst)
    w.other_staff = make_user("other_staff", Role.UNIVERSITY_STAFF, institution=other_inst)
    w.city_hrss = make_user("city_hrss", Role.CITY_HRSS, city_id="3405")
    w.city_edu = make_user("city_edu", Role.CITY_EDUCATION, city_id="3405")
    w.other_city_hrss = make_user("other_city_hrss", Role.CITY_HRSS, city_id="3402")
    w.prov_hrss = make_user("prov_hrss", Role.PROVINCIAL_HRSS)
    w.prov_edu = make_user("prov_edu", Role.PROVINCIAL_EDUCATION)
    w.expert = make_user("expert", Role.EXPERT, institution=other_inst)
    w.student = make_user("student", Role.STUDENT, institution=inst)
    w.admin = make_user("admin", Role.SITE_ADMIN)
    w.by_role = {role: getattr(w, attr) for role, attr in ROLE_USERS.items()}
    return w


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


class BrokerSwitch:
    """``down()``: publishing raises as with Redis unreachable (what PortalTask turns into "not sent");
    ``up()``: back, tasks run in-process again."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def down(self):
        def refuse(self, *args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        self.monkeypatch.setattr(Task, "apply_async", refuse)
        celery_app.conf.task_always_eager = False

    def up(self):
        self.monkeypatch.undo()
        celery_app.conf.task_always_eager = True


@pytest.fixture
def broker(monkeypatch):
    """The Celery broker, switchable down and up within a test (tests/deploy takes a real one down)."""
    switch = BrokerSwitch(monkeypatch)
    yield switch
    switch.up()


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the whole run, shared by tests/e2e and tests/a11y (Playwright's sync API allows one
    at a time)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (make test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def login(client):
    """``login(user)`` returns the test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _force_login_is_a_finished_sign_in(request, monkeypatch):
    """``client.force_login(user)`` stands for a finished sign-in: for an official it includes the second step
    (tests of other pages are not about it). Mark a test ``@pytest.mark.second_step_pending`` to get what a
    password alone gives: a session the second step still stands in front of. The real flow is tested in
    tests/portal/test_two_factor*.py and tests/e2e/test_two_factor.py."""
    if request.node.get_closest_marker("second_step_pending"):
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        pass_second_step(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _no_keys_from_an_earlier_test():
    """Each test starts with this process's cache keys (its own prefix in the shared Redis) empty, as with its
    database: import progress counters are keyed by batch number, and a counter an earlier test or run left for the
    same number made a waiting preview look taken (test_a_preview_no_worker_took_says_so_…, twice in make test)."""
    from django.core.cache import caches

    caches["default"].clear()  # the pages alias shares the prefix


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    """A Celery worker started in this process (tests/portal/test_celery.py: the solo pool sends
    ``worker_process_init``) prepares it as a worker (``certificates.worker``): frozen objects and another young
    threshold. Each test gets the interpreter's collector back as it found it."""
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture(autouse=True, scope="session")
def _pdf_signing_keys(tmp_path_factory):
    """Every PDF a test issues is sealed with a demo CA made for this session (never the keys under media/)."""
    os.environ["PDF_SIGNING_DIR"] = str(tmp_path_factory.mktemp("pdf-signing"))


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """A request in English leaves English active in the thread; every test starts in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data loaded by migrations (cities, occupations) is emptied by the flush that follows
    every transactional test; reload it for whichever test runs next."""
    if not (request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper")
    load_reference_data()


def load_reference_data():
    from django.core.management import call_command

    from portal.models import City, Occupation

    if not City.objects.exists():
        call_command("loaddata", "cities", verbosity=0)
    if not Occupation.objects.exists():
        call_command("loaddata", "occupations", verbosity=0)
