"""The JSON contracts: bundled schemas equal the shared ones, valid input is evaluated into
verdicts that satisfy the verdict schema, and invalid input is reported per profile and JSON path."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from evaluation.rules import Profile, evaluate
from evaluation.rules.contract import (
    SCHEMA_DIR,
    ProfileError,
    ProfileValidationError,
    evaluate_profiles,
    load_schema,
    validate_profiles,
    validate_verdict,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_CONTRACTS = REPO_ROOT.parent / "shared" / "contracts"
SCHEMAS = ["eligibility-profile.schema.json", "eligibility-verdict.schema.json"]

MET = {"conduct_ok": True, "assessment": "good", "physically_fit": True, "continuing_education_done": True}
VALID = [
    {"id": "s1", "degree": "bachelor", "has_diploma": True, "has_degree": True, "practice_months": 12,
     "major_rank_percent": 18.5, "design_grade": "excellent", "ncre_level": 3,
     "competition_awards": [{"level": "national", "rank": 1}], "general": MET,
     "employment": {"in_province": True, "tripartite_agreement": True, "on_duty": True}},
    {"id": "s2", "degree": "junior_college", "has_diploma": True, "has_degree": False, "practice_months": 2,
     "skill_certificates": [{"level": 5, "occupation_code": "6-31-01-03", "one_plus_x": True}],
     "general": {"assessment": "pass"}},
    {"id": "s3", "degree": "master", "has_diploma": True, "has_degree": True, "practice_months": 4.5,
     "major_rank_percent": None, "design_grade": None, "papers": [{"first_author": True}],
     "patents": [{"type": "software_copyright", "rank": 2}],
     "innovation_projects": [{"level": "school", "role": "member", "concluded": True}],
     "general": MET, "employment": {"in_province": True, "tripartite_agreement": True, "on_duty": True}},
    {"id": "s4", "degree": "phd", "has_diploma": True, "has_degree": True, "practice_months": 0},
    {"id": "s5", "degree": "bachelor", "has_diploma": True, "has_degree": False, "practice_months": 0.5},
]


@pytest.mark.parametrize("name", SCHEMAS)
def test_bundled_schema_is_a_byte_identical_copy_of_the_shared_contract(name: str) -> None:
    shared = SHARED_CONTRACTS / name
    if not SHARED_CONTRACTS.is_dir():
        pytest.skip(f"{SHARED_CONTRACTS} not present here; the bundled copy is authoritative")
    assert (SCHEMA_DIR / name).read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("name", SCHEMAS)
def test_bundled_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == name
    assert load_schema(name.removesuffix(".schema.json")) == schema


def test_load_schema_returns_a_fresh_copy_and_refuses_unknown_names() -> None:
    load_schema("eligibility-profile")["required"].append("x")
    assert "x" not in load_schema("eligibility-profile")["required"]
    with pytest.raises(ValueError):
        load_schema("../secrets")


def test_valid_profiles_validate_and_evaluate_in_input_order() -> None:
    assert validate_profiles(VALID) == []
    verdicts = evaluate_profiles(VALID)
    assert [v["id"] for v in verdicts] == ["s1", "s2", "s3", "s4", "s5"]
    assert [(v["level"], v["path"]) for v in verdicts] == [
        ("engineer", "1(3)"), ("technician", "3"), ("assistant_engineer", "2(1)"), ("engineer", "1(1)"),
        ("none", None)]
    assert [v["may_apply"] for v in verdicts] == [True, False, True, False, False]
    for verdict in verdicts:
        assert validate_verdict(verdict) == []
        json.dumps(verdict, ensure_ascii=False)  # plain JSON, nothing exotic


def test_evaluate_profiles_matches_evaluate() -> None:
    assert evaluate_profiles(VALID) == [evaluate(Profile.from_dict(d)).to_dict() for d in VALID]


def test_missing_general_keys_are_unknown_and_block() -> None:
    """附件2 一(六): a condition the school has not stated is unknown, and unknown is not met."""
    profile = Profile.from_dict({**VALID[0], "general": {"conduct_ok": True}})
    assert (profile.general.assessment, profile.general.physically_fit) == (None, None)
    verdict = evaluate(profile)
    assert verdict.may_apply is False
    assert verdict.blocking == ("未提供：年度综合考核、身体条件、继续教育（公需课）学时（附件2 一(六)：学校记录前不能参评）",)
    assert evaluate(Profile.from_dict(VALID[0])).may_apply is True


def test_profile_round_trips_through_the_contract() -> None:
    for d in VALID:
        profile = Profile.from_dict(d)
        again = profile.to_dict()
        assert validate_profiles([again]) == []
        assert Profile.from_dict(again) == profile


def test_engine_only_pilot_facts_are_passed_beside_the_contract() -> None:
    profile = Profile.from_dict(VALID[0], pilot_major=False, pilot_school=True)
    assert (profile.pilot_major, profile.pilot_school) == (False, True)
    assert evaluate(profile).blocking == ("所学专业不是试点专业（附件2 一(三)、一(四)）",)
    assert "pilot_major" not in profile.to_dict()


def broken(index: int, **changes) -> list:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is ...:
            del data[index][key]
        else:
            data[index][key] = value
    return data


INVALID = [
    pytest.param(broken(1, nickname="小王"), 1, "s2", "$[1].nickname", "未知字段 nickname", id="unknown key"),
    pytest.param(broken(0, degree="bsc"), 0, "s1", "$[0].degree", '取值 "bsc" 无效', id="wrong enum"),
    pytest.param(broken(3, competition_awards=[{"level": "county", "rank": 1}]), 3, "s4",
                 "$[3].competition_awards[0].level", '取值 "county" 无效', id="wrong enum in a list"),
    pytest.param(broken(2, practice_months=-1), 2, "s3", "$[2].practice_months", "不得小于 0（实际为 -1）",
                 id="negative months"),
    pytest.param(broken(4, has_degree=...), 4, "s5", "$[4].has_degree", "缺少必填字段 has_degree",
                 id="missing required"),
    pytest.param(broken(0, competition_awards=[{"level": "school", "rank": 0}]), 0, "s1",
                 "$[0].competition_awards[0].rank", "不得小于 1（实际为 0）", id="award rank 0"),
    pytest.param(broken(0, major_rank_percent=0), 0, "s1", "$[0].major_rank_percent", "必须大于 0（实际为 0）",
                 id="major rank 0"),
    pytest.param(broken(0, major_rank_percent=100.5), 0, "s1", "$[0].major_rank_percent", "不得大于 100",
                 id="major rank over 100"),
    pytest.param(broken(1, has_diploma="yes"), 1, "s2", "$[1].has_diploma", "类型错误：应为布尔值",
                 id="wrong type"),
    pytest.param(broken(1, skill_certificates=[{"level": 6}]), 1, "s2", "$[1].skill_certificates[0].level",
                 "不得大于 5", id="skill level 6"),
    pytest.param(broken(2, employment={"in_province": True, "abroad": False}), 2, "s3", "$[2].employment.abroad",
                 "未知字段 abroad", id="unknown key nested"),
    pytest.param(broken(0, id=...), 0, None, "$[0].id", "缺少必填字段 id", id="missing id"),
]


@pytest.mark.parametrize(("data", "index", "profile_id", "path", "message"), INVALID)
def test_invalid_input_names_the_profile_and_the_json_path(data, index, profile_id, path, message) -> None:
    errors = validate_profiles(data)
    assert len(errors) == 1, errors
    (error,) = errors
    assert (error.index, error.profile_id, error.path) == (index, profile_id, path)
    assert message in error.message
    assert str(error).startswith(f"第{index + 1}条档案" + (f"（id={profile_id}）" if profile_id else ""))
    with pytest.raises(ProfileValidationError) as raised:
        evaluate_profiles(data)
    assert raised.value.errors == errors


def test_every_problem_of_every_profile_is_reported() -> None:
    data = broken(0, degree="bsc", practice_months=-2)
    data[3]["extra"] = 1
    del data[4]["practice_months"]
    assert [(e.index, e.path) for e in validate_profiles(data)] == [
        (0, "$[0].degree"), (0, "$[0].practice_months"), (3, "$[3].extra"), (4, "$[4].practice_months")]


@pytest.mark.parametrize("data", [{"id": "x"}, "[]", None, 3], ids=["object", "string", "null", "number"])
def test_input_that_is_not_an_array_is_one_error_at_the_root(data) -> None:
    (error,) = validate_profiles(data)
    assert (error.index, error.path) == (None, "$")
    assert error.message.startswith("应为档案数组")


def test_an_array_item_that_is_not_an_object() -> None:
    assert validate_profiles([VALID[0], 7]) == [ProfileError(1, None, "$[1]", "类型错误：应为对象（实际为 7）")]


def test_verdict_validation_catches_a_broken_verdict() -> None:
    verdict = evaluate(Profile.from_dict(VALID[0])).to_dict()
    verdict["level"] = "senior_engineer"
    del verdict["missing_for_next"]
    assert len(validate_verdict(verdict)) == 2
