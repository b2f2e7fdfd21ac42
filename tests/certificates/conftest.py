"""Fixtures of the certificate tests: a filed institution with occupations, results, keys in a temp dir."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from certificates import keys
from certificates.photos import synthetic_photo
from portal.models import Occupation

from .chain import EXAM_DATE, filed_application, reported_result, session_for

ROOT = Path(__file__).resolve().parents[2]
# The GB2312 font subsets are built once (~30 s) and kept between runs, whatever MEDIA_ROOT the test uses.
os.environ.setdefault("CERTIFICATE_FONT_DIR", str(ROOT / "media" / "cache" / "fonts"))

INST_CODE = "Y000034000017"
OTHER_CODE = "Y000034000018"

# Valid 公民身份号码 (GB 11643 check digits).
IDS = ["340504199801010017", "340104199905050011", "340104200002020028", "340104199811110036",
       "340104199912120049"]


@pytest.fixture(autouse=True)
def _certificate_env(settings, tmp_path, monkeypatch):
    """Each test: its own media root and key ring (a fresh Ed25519 key generated into the temp dir)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("CERTIFICATE_KEYS_FILE", str(tmp_path / "keys" / "certificate-keys.json"))
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEYS", raising=False)
    monkeypatch.setenv("CERTIFICATE_BASE_URL", "https://verify.example.cn")
    keys._cache.clear()
    yield
    keys._cache.clear()


@pytest.fixture
def occupations(db):
    electrician, _ = Occupation.objects.update_or_create(
        code="6-31-01-03", defaults={"name": "电工", "job_types": "维修电工\n电力电工", "focus": "im"})
    nev, _ = Occupation.objects.update_or_create(
        code="4-12-01-01", defaults={"name": "汽车维修工", "job_types": "汽车机械维修工\n汽车电器维修工",
                                     "focus": "nev"})
    unfiled, _ = Occupation.objects.get_or_create(code="4-04-05-01", defaults={"name": "信息通信网络运行管理员"})
    return {"electrician": electrician, "nev": nev, "unfiled": unfiled}


@pytest.fixture
def filed(world, occupations):
    """world.inst (安徽工业大学) filed through Track B for 电工 and 汽车维修工 up to 三级; other_inst for 电工 up to 四级."""
    world.filing = filed_application(world.inst, INST_CODE, [occupations["electrician"], occupations["nev"]],
                                     staff=world.staff)
    world.other_filing = filed_application(world.other_inst, OTHER_CODE, [occupations["electrician"]],
                                           staff=world.other_staff, level=4)
    return world


@pytest.fixture
def photo():
    return synthetic_photo(1)


@pytest.fixture
def make_result(filed, occupations):
    """A reported result of a session (state ``session_state``) of the filed institution."""
    counter = {"n": 0}

    def _make(name="张明", id_number=None, *, institution=None, occupation="electrician", level=3,
              theory=Decimal("78"), practical=Decimal("85"), job_type="维修电工", session_state="results_reported",
              exam_date=EXAM_DATE, **extra):
        counter["n"] += 1
        institution = institution or filed.inst
        app = filed.filing if institution == filed.inst else filed.other_filing
        staff = filed.staff if institution == filed.inst else filed.other_staff
        session = session_for(app, occupations[occupation], level, state=session_state, staff=staff,
                              exam_date=exam_date)
        return reported_result(session, name=name, gender=extra.pop("gender", "M"),
                               id_number=id_number or IDS[(counter["n"] - 1) % len(IDS)], job_type=job_type,
                               theory=theory, practical=practical, staff=staff, **extra)

    return _make


def ric(i, birth="19990101", place="340104"):
    """A valid 18-character ID number with sequence ``i`` (0–999)."""
    from portal.identifiers import ric_check_digit

    body = f"{place}{birth}{i:03d}"
    return body + ric_check_digit(body)
