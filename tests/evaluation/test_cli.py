"""``manage.py evaluate_profiles``: exactly the two contracts (../shared/contracts); exit code 2 with the
profile and the JSON path when a profile breaks the schema."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator

from evaluation.rules import DEFAULT_STANDARD
from evaluation.rules.contract import load_schema
from evaluation.services.standards import publish_standard

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "contracts"

PROFILES = [
    {"id": "phd", "degree": "phd", "has_diploma": True, "has_degree": True, "practice_months": 0},
    {"id": "tech", "degree": "bachelor", "has_diploma": True, "has_degree": True, "practice_months": 1,
     "competition_awards": [{"level": "school", "rank": 3}],
     "general": {"conduct_ok": True, "assessment": "good", "physically_fit": True, "continuing_education_done": True},
     "employment": {"in_province": True, "tripartite_agreement": True, "on_duty": True}},
    {"id": "eng13", "degree": "bachelor", "has_diploma": True, "has_degree": True, "practice_months": 12,
     "major_rank_percent": 30, "design_grade": "excellent", "ncre_level": 3,
     "papers": [{"first_author": True}], "general": {"assessment": "excellent"}},
    {"id": "none", "degree": "junior_college", "has_diploma": False, "has_degree": False, "practice_months": 0.5,
     "general": {"conduct_ok": False}},
]


def verdict_schema():
    path = SHARED / "eligibility-verdict.schema.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else load_schema("eligibility-verdict")


def run_cli(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("evaluate_profiles", *args, stdout=out, stderr=err)
    finally:
        if stdin is not None:
            sys.stdin = old
    return out.getvalue()


def test_valid_file_prints_verdicts_in_order_matching_the_schema(tmp_path, db):
    src = tmp_path / "profiles.json"
    src.write_text(json.dumps(PROFILES, ensure_ascii=False), encoding="utf-8")
    verdicts = json.loads(run_cli(str(src)))
    validator = Draft202012Validator(verdict_schema())
    assert [v["id"] for v in verdicts] == ["phd", "tech", "eng13", "none"]
    for v in verdicts:
        assert list(validator.iter_errors(v)) == []
    assert [(v["level"], v["path"]) for v in verdicts] == [
        ("engineer", "1(1)"), ("technician", "3"), ("engineer", "1(3)"), ("none", None)]
    assert verdicts[1]["may_apply"] is True and verdicts[0]["may_apply"] is False
    assert any("思想政治" in b for b in verdicts[3]["blocking"])
    assert verdicts[0]["missing_for_next"] == [] and verdicts[1]["missing_for_next"]


def test_stdin_and_empty_array(db):
    assert json.loads(run_cli("-", stdin=json.dumps(PROFILES[:1]))) == json.loads(
        run_cli("-", stdin=json.dumps(PROFILES[:1])))
    assert json.loads(run_cli("-", stdin="[]")) == []


@pytest.mark.parametrize("bad, path", [
    ({**PROFILES[1], "competition_awards": [{"level": "galactic", "rank": 1}]}, "$[1].competition_awards[0].level"),
    ({**PROFILES[1], "practice_months": -1}, "$[1].practice_months"),
    ({**PROFILES[1], "major_rank_percent": 0}, "$[1].major_rank_percent"),
    ({**PROFILES[1], "nickname": "x"}, "$[1].nickname"),
    ({k: v for k, v in PROFILES[1].items() if k != "degree"}, "$[1].degree"),
    ({**PROFILES[1], "employment": {"in_province": "yes"}}, "$[1].employment.in_province"),
])
def test_schema_violation_exits_2_naming_profile_and_path(db, bad, path):
    data = [PROFILES[0], bad]
    with pytest.raises(CommandError) as failed:
        run_cli("-", stdin=json.dumps(data))
    assert failed.value.returncode == 2
    assert path in str(failed.value) and "第2条档案（id=tech）" in str(failed.value)


def test_not_json_and_not_an_array(db):
    for text in ("{oops", '{"id": "x"}'):
        with pytest.raises(CommandError) as failed:
            run_cli("-", stdin=text)
        assert failed.value.returncode == 2 and "$" in str(failed.value)


def test_standard_option_uses_a_stored_version(world):
    strict = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.0)
    version = publish_standard(institution=world.inst, data=strict.to_dict(), actor=world.staff)
    default = json.loads(run_cli("-", stdin=json.dumps(PROFILES[2:3])))
    stricter = json.loads(run_cli("-", "--standard", str(version.pk), stdin=json.dumps(PROFILES[2:3])))
    assert default[0]["level"] == "engineer" and stricter[0]["level"] != "engineer"
    with pytest.raises(CommandError, match="不存在"):
        run_cli("-", "--standard", "999999", stdin="[]")


def test_real_process_exit_code_and_streams(tmp_path):
    env = {**os.environ, "PORTAL_TESTING": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    ok = subprocess.run([sys.executable, "manage.py", "evaluate_profiles", "-"], cwd=ROOT, env=env,
                        input=json.dumps(PROFILES), capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert [v["id"] for v in json.loads(ok.stdout)] == ["phd", "tech", "eng13", "none"]
    bad = subprocess.run([sys.executable, "manage.py", "evaluate_profiles", "-"], cwd=ROOT, env=env,
                         input=json.dumps([{"id": "x", "degree": "bachelor"}]), capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert "$[0].has_diploma" in bad.stderr and "第1条档案（id=x）" in bad.stderr
