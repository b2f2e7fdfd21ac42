"""Fixtures of the API tests: the shared ``world`` with graduates (verdicts stored by a cohort run through the
service), certificates, a reported session, and one token of each kind."""

from types import SimpleNamespace

import pytest

from api import tokens
from evaluation.services import cohort
from tests.certificates.conftest import _certificate_env  # noqa: F401  (autouse: temp key ring and media)
from tests.certificates.test_verification import _fresh_rate_limits  # noqa: F401  (autouse: own counters)
from tests.certificates.world import certificate_world
from tests.evaluation.access_cases import eval_data


def _evaluate(institution, staff):
    run = cohort.start_run(institution=institution, actor=staff, graduation_year=2025)
    cohort.execute_run(run.pk)


@pytest.fixture
def api_world(world):
    ev = eval_data(world)
    _evaluate(world.inst, world.staff)
    _evaluate(world.other_inst, world.other_staff)
    certificate_world(world)

    def make(user, role, institution=None, scope="read"):
        return tokens.create_token(actor=user, name="测试", role=role, institution=institution, scope=scope)[1]

    world.ev = ev
    world.tokens = SimpleNamespace(
        read=make(world.staff, "university_staff", world.inst),
        write=make(world.staff, "university_staff", world.inst, "read write"),
        other_write=make(world.other_staff, "university_staff", world.other_inst, "read write"),
        office=make(world.prov_hrss, "provincial_hrss"),
    )
    return world


@pytest.fixture
def bearer():
    def headers(raw):
        return {"Authorization": f"Bearer {raw}"}

    return headers
