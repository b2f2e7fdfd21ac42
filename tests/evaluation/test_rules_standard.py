"""School standards (自主评审标准条件): tightening is accepted and applied, every loosening is
refused naming its clause (通知 四(四) 不得擅自降低评价标准), and the stored form round-trips."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from evaluation.rules import (
    DEFAULT_STANDARD,
    CompetitionAward,
    Employment,
    General,
    InnovationProject,
    Patent,
    Profile,
    SchoolStandard,
    SkillCertificate,
    StandardError,
    evaluate,
    level_only,
    path_criteria,
    validate_standard,
)
from evaluation.rules.standard import BASELINE_PATHS, PathStandard

EMPLOYED = Employment(True, True, True)


def grad(**changes) -> Profile:
    fields = dict(id="t", degree="bachelor", has_diploma=True, has_degree=True, practice_months=0.0,
                  employment=EMPLOYED, general=General(conduct_ok=True, assessment="good", physically_fit=True,
                                                       continuing_education_done=True))
    fields.update(changes)
    return Profile(**fields)


def test_the_default_standard_is_the_baseline_and_valid() -> None:
    assert validate_standard(DEFAULT_STANDARD) == []
    assert DEFAULT_STANDARD == SchoolStandard()
    assert DEFAULT_STANDARD.path("1(3)").rank_percent_max == 30
    assert DEFAULT_STANDARD.level("technician").competition_min_level == "school"


def path_case(path: str, field: str, value, message: str):
    return pytest.param(("path", path, {field: value}), f"附件2 一(八){path}", f"paths.{path}.{field}", message,
                        id=f"{path} {field}={value}")


def level_case(level: str, clause: str, field: str, value, message: str):
    return pytest.param(("level", level, {field: value}), clause, f"levels.{level}.{field}", message,
                        id=f"{level} {field}={value}")


LOOSENINGS = [
    path_case("1(2)", "practice_months", 11.5, "企业实习实践累计时间不得少于12个月（设为11.5个月）"),
    path_case("1(3)", "practice_months", 6, "企业实习实践累计时间不得少于12个月（设为6个月）"),
    path_case("2(1)", "practice_months", 3, "企业实习实践累计时间不得少于4个月（设为3个月）"),
    path_case("2(2)", "practice_months", 3.9, "企业实习实践累计时间不得少于4个月（设为3.9个月）"),
    path_case("3", "practice_months", 0.5, "企业实习实践累计时间不得少于1个月（设为0.5个月）"),
    path_case("1(3)", "rank_percent_max", 35, "平均学分绩点排名要求不得宽于前30%（设为前35%）"),
    path_case("1(3)", "rank_percent_max", None, "平均学分绩点排名要求不得宽于前30%（设为不限）"),
    path_case("2(2)", "rank_percent_max", 50.5, "平均学分绩点排名要求不得宽于前50%（设为前50.5%）"),
    path_case("1(2)", "options_required", 1, "可选条件须满足的项数不得少于2项（设为1项）"),
    path_case("1(3)", "options_required", 2, "可选条件须满足的项数不得少于3项（设为2项）"),
    path_case("2(2)", "options_required", 1, "可选条件须满足的项数不得少于2项（设为1项）"),
    path_case("3", "options_required", 0, "可选条件须满足的项数不得少于1项（设为0项）"),
    path_case("1(3)", "competition_max_rank", 2, "学科竞赛奖项排名要求不得宽于第1名（设为前2名）"),
    path_case("1(3)", "competition_max_rank", None, "学科竞赛奖项排名要求不得宽于第1名（设为不限）"),
    path_case("1(3)", "invention_max_rank", 3, "发明专利排名要求不得宽于前2名（设为前3名）"),
    path_case("2(2)", "invention_max_rank", None, "发明专利排名要求不得宽于前3名（设为不限）"),
    path_case("1(3)", "utility_model_max_rank", 2, "实用新型专利排名要求不得宽于第1名（设为前2名）"),
    path_case("2(2)", "utility_model_max_rank", 2, "实用新型专利排名要求不得宽于第1名（设为前2名）"),
    path_case("1(2)", "software_copyright", True, "本路径专利条件不得计入软件著作权"),
    path_case("1(3)", "software_copyright", True, "本路径专利条件不得计入软件著作权"),
    path_case("2(2)", "software_copyright", True, "本路径专利条件不得计入软件著作权"),
    path_case("1(3)", "ncre_min_level", 2, "全国计算机等级要求不得低于3级（设为2级）"),
    path_case("1(2)", "ncre_min_level", None, "全国计算机等级要求不得低于3级（设为不限）"),
    path_case("2(2)", "ncre_min_level", 1, "全国计算机等级要求不得低于2级（设为1级）"),
    path_case("1(3)", "design_min_grade", "good", "毕业设计成绩要求不得低于优秀（设为良好）"),
    path_case("2(2)", "design_min_grade", "medium", "毕业设计成绩要求不得低于良好（设为中等）"),
    path_case("2(2)", "design_min_grade", None, "毕业设计成绩要求不得低于良好（设为不限）"),
    path_case("1(3)", "project_min_level", "provincial", "大创项目级别要求不得低于国家级（设为省级）"),
    path_case("2(2)", "project_min_level", "school", "大创项目级别要求不得低于省级（设为校级）"),
    path_case("1(3)", "project_leader", False, "大创项目须作为项目负责人承担，不得取消该要求"),
    path_case("2(2)", "project_leader", False, "大创项目须作为项目负责人承担，不得取消该要求"),
    path_case("1(3)", "project_concluded", False, "大创项目须已结题，不得取消该要求"),
    path_case("3", "project_concluded", False, "大创项目须已结题，不得取消该要求"),
    path_case("1(3)", "paper_first_author", False, "论文须为第一作者，不得取消该要求"),
    level_case("engineer", "附件2 一(八)1", "competition_min_level", "municipal",
               "工程师学科竞赛奖项级别不得低于省级（设为市级）；默认级别即下限（通知 四(四)）"),
    level_case("assistant_engineer", "附件2 一(八)2", "competition_min_level", "school",
               "助理工程师学科竞赛奖项级别不得低于省级（设为校级）；默认级别即下限（通知 四(四)）"),
    level_case("engineer", "附件2 一(八)1", "skill_min_level", 4,
               "工程师职业技能等级证书不得低于三级/高级工（设为四级/中级工）；默认等级即下限（通知 四(四)）"),
    level_case("assistant_engineer", "附件2 一(八)2", "skill_min_level", 5,
               "助理工程师职业技能等级证书不得低于四级/中级工（设为五级/初级工）；默认等级即下限（通知 四(四)）"),
]


def _apply(change: tuple) -> SchoolStandard:
    kind, key, values = change
    if kind == "path":
        return DEFAULT_STANDARD.with_path(key, **values)
    return DEFAULT_STANDARD.with_level(key, **values)


@pytest.mark.parametrize(("change", "clause", "field", "message"), LOOSENINGS)
def test_each_loosening_is_refused_naming_its_clause(change, clause: str, field: str, message: str) -> None:
    std = _apply(change)
    violations = validate_standard(std)
    assert [(v.clause, v.field, v.message) for v in violations] == [(clause, field, f"{clause}：{message}")]
    with pytest.raises(StandardError) as raised:
        evaluate(grad(practice_months=1, skill_certificates=[SkillCertificate(5)]), std)
    assert raised.value.violations == violations
    with pytest.raises(StandardError):
        level_only(grad(), std)


def test_every_violation_is_reported_at_once() -> None:
    std = (DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=40, practice_months=10)
           .with_path("3", options_required=0)
           .with_level("engineer", skill_min_level=5))
    assert sorted(v.field for v in validate_standard(std)) == [
        "levels.engineer.skill_min_level",
        "paths.1(3).practice_months",
        "paths.1(3).rank_percent_max",
        "paths.3.options_required",
    ]


INVALID = [
    pytest.param("1(3)", dict(options_required=8), "可选条件须满足的项数须在0到7之间（设为8）", id="N > M"),
    pytest.param("1(1)", dict(options_required=1), "可选条件须满足的项数须在0到0之间（设为1）", id="N on a direct path"),
    pytest.param("1(3)", dict(rank_percent_max=0), "排名百分比须在0到100之间（设为0）", id="rank 0"),
    pytest.param("2(2)", dict(rank_percent_max=101), "排名百分比须在0到100之间（设为101）", id="rank 101"),
    pytest.param("3", dict(practice_months=-1), "企业实习实践时间无效（-1）", id="negative months"),
    pytest.param("3", dict(extra_requirements=("cooking",)), "附加条件无效或重复（['cooking']）", id="unknown extra"),
    pytest.param("3", dict(extra_requirements=("patent", "patent")), "附加条件无效或重复（['patent', 'patent']）",
                 id="duplicate extra"),
    pytest.param("3", dict(ncre_min_level=3), "本路径没有该条件，不能设置 ncre_min_level（设为3）",
                 id="NCRE on path 3"),
    pytest.param("2(1)", dict(design_min_grade="good"), "本路径没有该条件，不能设置 design_min_grade（设为'good'）",
                 id="design on 2(1)"),
    pytest.param("1(3)", dict(competition_max_rank=0), "排名须为正整数（competition_max_rank 设为0）", id="rank cap 0"),
]


@pytest.mark.parametrize(("path", "changes", "message"), INVALID)
def test_invalid_values_are_refused(path: str, changes: dict, message: str) -> None:
    violations = validate_standard(DEFAULT_STANDARD.with_path(path, **changes))
    assert [v.message for v in violations] == [f"附件2 一(八){path}：{message}"]


def test_knobs_of_an_extra_requirement_become_settable() -> None:
    std = DEFAULT_STANDARD.with_path("2(1)", extra_requirements=("patent",), invention_max_rank=1)
    assert validate_standard(std) == []
    labels = [label for _, label in path_criteria("2(1)", std)]
    assert labels[-1] == "获得有关专利（发明排名第1或实用新型）（必备）"


# --- tightening is accepted and applied ----------------------------------------------------------

ENGINEER_25 = dict(practice_months=12, major_rank_percent=25, design_grade="excellent",
                   competition_awards=[CompetitionAward("provincial", 1)], ncre_level=3)

TIGHTENINGS = [
    pytest.param(DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20), ENGINEER_25,
                 "engineer", "assistant_engineer", id="rank <= 20 drops a 25% graduate"),
    pytest.param(DEFAULT_STANDARD.with_path("1(3)", practice_months=18), ENGINEER_25,
                 "engineer", "assistant_engineer", id="18 months for 1(3)"),
    pytest.param(DEFAULT_STANDARD.with_path("1(3)", options_required=4), ENGINEER_25,
                 "engineer", "assistant_engineer", id="4 of 7"),
    pytest.param(DEFAULT_STANDARD.with_level("engineer", competition_min_level="national"), ENGINEER_25,
                 "engineer", "assistant_engineer", id="engineer competitions national"),
    pytest.param(DEFAULT_STANDARD.with_path("1(3)", extra_requirements=("first_author_paper",)), ENGINEER_25,
                 "engineer", "assistant_engineer", id="first-author paper required"),
    pytest.param(DEFAULT_STANDARD.with_path("1(3)", extra_requirements=("assessment_excellent",)), ENGINEER_25,
                 "engineer", "assistant_engineer", id="assessment 优秀 required"),
    pytest.param(DEFAULT_STANDARD.with_path("3", practice_months=2),
                 dict(practice_months=1.5, skill_certificates=[SkillCertificate(5)]),
                 "technician", "none", id="2 months for 技术员"),
    pytest.param(DEFAULT_STANDARD.with_level("technician", skill_min_level=4),
                 dict(practice_months=1, skill_certificates=[SkillCertificate(5)]),
                 "technician", "none", id="技术员 certificate 四级"),
    pytest.param(DEFAULT_STANDARD.with_level("technician", competition_min_level="provincial"),
                 dict(practice_months=1, competition_awards=[CompetitionAward("school", 1)]),
                 "technician", "none", id="技术员 competitions provincial"),
    pytest.param(DEFAULT_STANDARD.with_path("3", project_leader=True),
                 dict(practice_months=1, innovation_projects=[InnovationProject("school", "member", True)]),
                 "technician", "none", id="技术员 projects as leader"),
    pytest.param(DEFAULT_STANDARD.with_path("3", software_copyright=False),
                 dict(practice_months=1, patents=[Patent("software_copyright", 1)]),
                 "technician", "none", id="技术员 without software copyright"),
    pytest.param(DEFAULT_STANDARD.with_path("2(1)", practice_months=6),
                 dict(degree="master", practice_months=5, skill_certificates=[SkillCertificate(5)]),
                 "assistant_engineer", "technician", id="6 months for 2(1)"),
    pytest.param(DEFAULT_STANDARD.with_path("2(2)", ncre_min_level=3),
                 dict(practice_months=4, major_rank_percent=40, design_grade="good", ncre_level=2,
                      skill_certificates=[SkillCertificate(5)]),
                 "assistant_engineer", "technician", id="2(2) NCRE 3"),
    pytest.param(DEFAULT_STANDARD.with_path("2(2)", design_min_grade="excellent"),
                 dict(practice_months=4, major_rank_percent=40, design_grade="good", ncre_level=2,
                      skill_certificates=[SkillCertificate(5)]),
                 "assistant_engineer", "technician", id="2(2) design 优秀"),
]


@pytest.mark.parametrize(("std", "record", "before", "after"), TIGHTENINGS)
def test_tightening_is_accepted_and_applied(std: SchoolStandard, record: dict, before: str, after: str) -> None:
    assert validate_standard(std) == []
    profile = grad(**record, general=General(conduct_ok=True, assessment="good", physically_fit=True,
                                                   continuing_education_done=True), papers=())
    assert evaluate(profile).level == before
    assert evaluate(profile, std).level == after
    assert level_only(profile, std) == after


def test_a_tightened_threshold_shows_in_labels_and_missing() -> None:
    std = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20)
    verdict = evaluate(grad(**ENGINEER_25), std)
    assert ("附件2 一(八)1(3)", "平均学分绩点排名专业前20%") in path_criteria("1(3)", std)
    assert verdict.missing_for_next == ("平均学分绩点专业排名需进入前20%（目前为前25%）（附件2 一(八)1(3)）",)


def test_an_equal_standard_built_elsewhere_gives_the_same_verdicts() -> None:
    rebuilt = SchoolStandard.from_dict(json.loads(json.dumps(DEFAULT_STANDARD.to_dict())))
    assert rebuilt is not DEFAULT_STANDARD and rebuilt == DEFAULT_STANDARD
    profile = grad(**ENGINEER_25)
    assert evaluate(profile, rebuilt) == evaluate(profile)


# --- storage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("std", [
    DEFAULT_STANDARD,
    DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.5, extra_requirements=("first_author_paper",))
    .with_level("technician", skill_min_level=4),
    SchoolStandard(name="某学院2025年自主评审标准"),
], ids=["default", "tightened", "renamed"])
def test_to_dict_from_dict_round_trip(std: SchoolStandard) -> None:
    stored = json.dumps(std.to_dict(), ensure_ascii=False)
    assert SchoolStandard.from_dict(json.loads(stored)) == std


def test_stored_form_is_stable() -> None:
    d = DEFAULT_STANDARD.to_dict()
    assert list(d) == ["version", "name", "levels", "paths"]
    assert d["version"] == 1
    assert list(d["paths"]) == ["1(1)", "1(2)", "1(3)", "2(1)", "2(2)", "3"]
    assert d["levels"]["engineer"] == {"competition_min_level": "provincial", "skill_min_level": 3}
    assert d["paths"]["1(3)"] == {
        "practice_months": 12, "rank_percent_max": 30, "options_required": 3, "competition_max_rank": 1,
        "invention_max_rank": 2, "utility_model_max_rank": 1, "software_copyright": False, "ncre_min_level": 3,
        "design_min_grade": "excellent", "project_min_level": "national", "project_leader": True,
        "project_concluded": True, "paper_first_author": True, "extra_requirements": [],
    }


def test_from_dict_fills_left_out_keys_from_the_baseline() -> None:
    std = SchoolStandard.from_dict({"name": "只改排名", "paths": {"1(3)": {"rank_percent_max": 20}}})
    assert std == replace(DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.0), name="只改排名")
    assert std.paths[:2] == BASELINE_PATHS[:2]


@pytest.mark.parametrize("bad", [
    {"paths": {"1(3)": {"rank": 20}}},
    {"paths": {"4": {}}},
    {"levels": {"expert": {}}},
    {"colour": "red"},
    {"version": 2},
    {"paths": {"1(3)": {"rank_percent_max": "20"}}},
    {"paths": {"1(3)": {"options_required": True}}},
    {"paths": {"1(3)": {"extra_requirements": "patent"}}},
    {"levels": {"engineer": {"skill_min_level": "3"}}},
    {"name": 5},
], ids=str)
def test_from_dict_rejects_malformed_input(bad: dict) -> None:
    with pytest.raises(ValueError):
        SchoolStandard.from_dict(bad)


def test_from_dict_does_not_judge_looseness() -> None:
    std = SchoolStandard.from_dict({"paths": {"3": {"practice_months": 0.5}}})
    assert [v.field for v in validate_standard(std)] == ["paths.3.practice_months"]


def test_path_standard_defaults_mean_no_requirement() -> None:
    assert PathStandard() == BASELINE_PATHS[0]  # 1(1): PhD directly
