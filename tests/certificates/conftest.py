"""Fixtures of the certificate tests: a filed institution with occupations, results, keys in a temp dir."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from certificates import keys
from certificates.models import AssessmentResult, FiledInstitution
from certificates.photos import synthetic_photo
from portal.models import Occupation

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
    """world.inst (安徽工业大学) filed as an evaluation institution for 电工 and 汽车维修工 up to 三级."""
    filing = FiledInstitution.objects.create(institution=world.inst, code=INST_CODE,
                                             name_as_filed="安徽工业大学", max_level=3, filed_on=date(2025, 9, 1))
    filing.occupations.set([occupations["electrician"], occupations["nev"]])
    other = FiledInstitution.objects.create(institution=world.other_inst, code=OTHER_CODE,
                                            name_as_filed="芜湖职业技术学院", max_level=4, filed_on=date(2025, 9, 1))
    other.occupations.set([occupations["electrician"]])
    return world


@pytest.fixture
def photo():
    return synthetic_photo(1)


@pytest.fixture
def make_result(filed, occupations):
    counter = {"n": 0}

    def _make(name="张明", id_number=None, *, institution=None, occupation="electrician", level=3,
              theory=Decimal("78"), practical=Decimal("85"), job_type="维修电工", **extra):
        counter["n"] += 1
        institution = institution or filed.inst
        return AssessmentResult.objects.create(
            institution=institution, institution_code=INST_CODE if institution == filed.inst else OTHER_CODE,
            name=name, gender=extra.pop("gender", "M"), id_number=id_number or IDS[(counter["n"] - 1) % len(IDS)],
            occupation=occupations[occupation], job_type=job_type, level=level, exam_date=date(2026, 6, 20),
            theory_score=theory, practical_score=practical, recorded_by=filed.staff, **extra)

    return _make


def ric(i, birth="19990101", place="340104"):
    """A valid 18-character ID number with sequence ``i`` (0–999)."""
    from portal.identifiers import ric_check_digit

    body = f"{place}{birth}{i:03d}"
    return body + ric_check_digit(body)
