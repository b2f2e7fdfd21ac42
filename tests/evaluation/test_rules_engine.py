"""The rule engine against every boundary of 附件2 一(八), the blocking reasons of 一(四)/(六),
and the content of a verdict (criteria, evidence, what is missing for the next level).

Pure Python: the engine needs no database.
"""

from __future__ import annotations

import pytest

from evaluation.rules import (
    DEFAULT_STANDARD,
    CompetitionAward,
    InnovationProject,
    Paper,
    Patent,
    SkillCertificate,
    evaluate,
    level_only,
)
from evaluation.rules.compiled import assign
from evaluation.rules.conditions import NOT_EMPLOYED

from .profiles import BASE_3, grad

PROV_1 = CompetitionAward("provincial", 1)

# Exactly meets 1(3): 12 months, top 30%, 3 of 7 (design 优秀, provincial award ranked 1st, NCRE 3).
BASE_13 = dict(practice_months=12, major_rank_percent=30, design_grade="excellent",
               competition_awards=[PROV_1], ncre_level=3)
# Exactly meets 2(2): 4 months, top 50%, 2 of 6 (design 良好, NCRE 2); a 五级 certificate keeps path 3 open.
BASE_22 = dict(practice_months=4, major_rank_percent=50, design_grade="good", ncre_level=2,
               skill_certificates=[SkillCertificate(5)])


def case(case_id: str, base: dict, expected: tuple[str, str | None], **changes):
    return pytest.param({**base, **changes}, expected, id=case_id)


ENGINEER_13 = ("engineer", "1(3)")
ASSISTANT_22 = ("assistant_engineer", "2(2)")
TECHNICIAN_3 = ("technician", "3")
NONE = ("none", None)

BOUNDARIES = [
    # --- 1(3): 本科/专科, >=12 months, top 30%, 3 of 7 -----------------------------------------
    case("1(3) base: exactly 3 of 7", BASE_13, ENGINEER_13),
    case("1(3) months 12 meets", BASE_13, ENGINEER_13, practice_months=12.0),
    case("1(3) months 11.9 fails -> 2(2)", BASE_13, ASSISTANT_22, practice_months=11.9),
    case("1(3) rank 30 meets", BASE_13, ENGINEER_13, major_rank_percent=30),
    case("1(3) rank 30.1 fails -> 2(2)", BASE_13, ASSISTANT_22, major_rank_percent=30.1),
    case("1(3) rank unknown meets nothing -> 3", BASE_13, TECHNICIAN_3, major_rank_percent=None),
    case("1(3) 2 of 7 fails -> 2(2)", BASE_13, ASSISTANT_22, ncre_level=0),
    case("1(3) competition rank 1 meets", BASE_13, ENGINEER_13, competition_awards=[CompetitionAward("national", 1)]),
    case("1(3) competition rank 2 fails -> 2(2)", BASE_13, ASSISTANT_22,
         competition_awards=[CompetitionAward("provincial", 2)]),
    case("1(3) municipal competition rank 1 fails", BASE_13, ASSISTANT_22,
         competition_awards=[CompetitionAward("municipal", 1)]),
    case("1(3) invention rank 2 meets", BASE_13, ENGINEER_13, competition_awards=[], patents=[Patent("invention", 2)]),
    case("1(3) invention rank 3 fails -> 2(2)", BASE_13, ASSISTANT_22, competition_awards=[],
         patents=[Patent("invention", 3)]),
    case("1(3) utility model rank 1 meets", BASE_13, ENGINEER_13, competition_awards=[],
         patents=[Patent("utility_model", 1)]),
    case("1(3) utility model rank 2 fails", BASE_13, ASSISTANT_22, competition_awards=[],
         patents=[Patent("utility_model", 2)]),
    case("1(3) software copyright does not count", BASE_13, ASSISTANT_22, competition_awards=[],
         patents=[Patent("software_copyright", 1)]),
    case("1(3) national project leader concluded meets", BASE_13, ENGINEER_13, competition_awards=[],
         innovation_projects=[InnovationProject("national", "leader", True)]),
    case("1(3) national project as member fails", BASE_13, ASSISTANT_22, competition_awards=[],
         innovation_projects=[InnovationProject("national", "member", True)]),
    case("1(3) national project not concluded fails", BASE_13, ASSISTANT_22, competition_awards=[],
         innovation_projects=[InnovationProject("national", "leader", False)]),
    case("1(3) provincial project fails", BASE_13, ASSISTANT_22, competition_awards=[],
         innovation_projects=[InnovationProject("provincial", "leader", True)]),
    case("1(3) skill 三级 meets", BASE_13, ENGINEER_13, competition_awards=[], skill_certificates=[SkillCertificate(3)]),
    case("1(3) skill 二级 (higher) meets", BASE_13, ENGINEER_13, competition_awards=[],
         skill_certificates=[SkillCertificate(2)]),
    case("1(3) skill 四级 fails", BASE_13, ASSISTANT_22, competition_awards=[], skill_certificates=[SkillCertificate(4)]),
    case("1(3) NCRE 3 meets", BASE_13, ENGINEER_13, ncre_level=3),
    case("1(3) NCRE 4 meets", BASE_13, ENGINEER_13, ncre_level=4),
    case("1(3) NCRE 2 fails", BASE_13, ASSISTANT_22, ncre_level=2),
    case("1(3) design excellent meets", BASE_13, ENGINEER_13, design_grade="excellent"),
    case("1(3) design good fails", BASE_13, ASSISTANT_22, design_grade="good"),
    case("1(3) first-author paper meets", BASE_13, ENGINEER_13, competition_awards=[], papers=[Paper(True)]),
    case("1(3) paper not first author fails", BASE_13, ASSISTANT_22, competition_awards=[], papers=[Paper(False)]),
    case("1(3) first-author paper not in field fails", BASE_13, ASSISTANT_22, competition_awards=[],
         papers=[Paper(True, in_field=False)]),
    case("1(3) two patents still one criterion", BASE_13, ASSISTANT_22, competition_awards=[],
         patents=[Patent("invention", 1), Patent("utility_model", 1)], ncre_level=0),
    case("1(3) junior college without degree meets", BASE_13, ENGINEER_13, degree="junior_college", has_degree=False),
    case("1(3) bachelor without degree fails everything", BASE_13, NONE, has_degree=False),
    case("1(3) missing diploma fails everything", BASE_13, NONE, has_diploma=False),
    case("1(3) master meets the bachelor path when 1(2) fails", BASE_13, ENGINEER_13, degree="master",
         competition_awards=[], innovation_projects=[InnovationProject("national", "leader", True)]),
    # --- 2(2): 本科/专科, >=4 months, top 50%, 2 of 6 ------------------------------------------
    case("2(2) base: exactly 2 of 6", BASE_22, ASSISTANT_22),
    case("2(2) months 4 meets", BASE_22, ASSISTANT_22, practice_months=4.0),
    case("2(2) months 3.9 fails -> 3", BASE_22, TECHNICIAN_3, practice_months=3.9),
    case("2(2) rank 50 meets", BASE_22, ASSISTANT_22, major_rank_percent=50),
    case("2(2) rank 50.1 fails -> 3", BASE_22, TECHNICIAN_3, major_rank_percent=50.1),
    case("2(2) rank unknown fails -> 3", BASE_22, TECHNICIAN_3, major_rank_percent=None),
    case("2(2) 1 of 6 fails -> 3", BASE_22, TECHNICIAN_3, ncre_level=0),
    case("2(2) design good meets", BASE_22, ASSISTANT_22, design_grade="good"),
    case("2(2) design medium fails", BASE_22, TECHNICIAN_3, design_grade="medium"),
    case("2(2) design unknown fails", BASE_22, TECHNICIAN_3, design_grade=None),
    case("2(2) NCRE 2 meets", BASE_22, ASSISTANT_22, ncre_level=2),
    case("2(2) NCRE 1 fails", BASE_22, TECHNICIAN_3, ncre_level=1),
    case("2(2) invention rank 3 meets", BASE_22, ASSISTANT_22, ncre_level=0, patents=[Patent("invention", 3)]),
    case("2(2) invention rank 4 fails (still counts for 3)", BASE_22, TECHNICIAN_3, ncre_level=0,
         skill_certificates=[], patents=[Patent("invention", 4)]),
    case("2(2) utility model rank 1 meets", BASE_22, ASSISTANT_22, ncre_level=0, patents=[Patent("utility_model", 1)]),
    case("2(2) utility model rank 2 fails", BASE_22, TECHNICIAN_3, ncre_level=0, patents=[Patent("utility_model", 2)]),
    case("2(2) provincial award meets", BASE_22, ASSISTANT_22, ncre_level=0, competition_awards=[PROV_1]),
    case("2(2) national award (higher) meets", BASE_22, ASSISTANT_22, ncre_level=0,
         competition_awards=[CompetitionAward("national", 5)]),
    case("2(2) municipal award fails", BASE_22, TECHNICIAN_3, ncre_level=0,
         competition_awards=[CompetitionAward("municipal", 1)]),
    case("2(2) provincial project leader concluded meets", BASE_22, ASSISTANT_22, ncre_level=0,
         innovation_projects=[InnovationProject("provincial", "leader", True)]),
    case("2(2) national project (higher) meets", BASE_22, ASSISTANT_22, ncre_level=0,
         innovation_projects=[InnovationProject("national", "leader", True)]),
    case("2(2) provincial project as member fails", BASE_22, TECHNICIAN_3, ncre_level=0,
         innovation_projects=[InnovationProject("provincial", "member", True)]),
    case("2(2) provincial project not concluded fails", BASE_22, TECHNICIAN_3, ncre_level=0,
         innovation_projects=[InnovationProject("provincial", "leader", False)]),
    case("2(2) school project fails", BASE_22, TECHNICIAN_3, ncre_level=0,
         innovation_projects=[InnovationProject("school", "leader", True)]),
    case("2(2) skill 四级 meets", BASE_22, ASSISTANT_22, ncre_level=0, skill_certificates=[SkillCertificate(4)]),
    case("2(2) skill 五级 fails", BASE_22, TECHNICIAN_3, ncre_level=0, skill_certificates=[SkillCertificate(5)]),
    case("2(2) junior college without degree meets", BASE_22, ASSISTANT_22, degree="junior_college", has_degree=False),
    # --- 3: 本科/专科, >=1 month, 1 of 4 --------------------------------------------------------
    case("3 base: 1 of 4", BASE_3, TECHNICIAN_3),
    case("3 months 1 meets", BASE_3, TECHNICIAN_3, practice_months=1.0),
    case("3 months 0.9 fails", BASE_3, NONE, practice_months=0.9),
    case("3 0 of 4 fails", BASE_3, NONE, skill_certificates=[]),
    case("3 skill 五级 meets", BASE_3, TECHNICIAN_3, skill_certificates=[SkillCertificate(5, "6-31-01-03", True)]),
    case("3 school award meets", BASE_3, TECHNICIAN_3, skill_certificates=[],
         competition_awards=[CompetitionAward("school", 3)]),
    case("3 school project concluded meets", BASE_3, TECHNICIAN_3, skill_certificates=[],
         innovation_projects=[InnovationProject("school", "member", True)]),
    case("3 school project not concluded fails", BASE_3, NONE, skill_certificates=[],
         innovation_projects=[InnovationProject("school", "member", False)]),
    case("3 software copyright meets", BASE_3, TECHNICIAN_3, skill_certificates=[],
         patents=[Patent("software_copyright", 4)]),
    case("3 invention any rank meets", BASE_3, TECHNICIAN_3, skill_certificates=[], patents=[Patent("invention", 9)]),
    case("3 NCRE alone does not count", BASE_3, NONE, skill_certificates=[], ncre_level=4),
    case("3 paper alone does not count", BASE_3, NONE, skill_certificates=[], papers=[Paper(True)]),
    case("3 junior college without degree meets", BASE_3, TECHNICIAN_3, degree="junior_college", has_degree=False),
    case("3 bachelor without degree fails", BASE_3, NONE, has_degree=False),
    case("3 missing diploma fails", BASE_3, NONE, has_diploma=False),
    case("3 junior college missing diploma fails", BASE_3, NONE, degree="junior_college", has_diploma=False),
    # --- postgraduates: 1(1), 1(2), 2(1) -----------------------------------------------------------
    case("1(1) PhD with diploma and degree: directly", {}, ("engineer", "1(1)"), degree="phd"),
    case("1(1) PhD without degree: no path", {}, NONE, degree="phd", has_degree=False, practice_months=12),
    case("2(1) master, 4 months: directly", {}, ("assistant_engineer", "2(1)"), degree="master", practice_months=4),
    case("2(1) master, 3.9 months, a 五级 certificate -> 3 (DOMAIN example)", {}, TECHNICIAN_3,
         degree="master", practice_months=3.9, skill_certificates=[SkillCertificate(5)]),
    case("2(1) master without degree fails", {}, NONE, degree="master", has_degree=False, practice_months=4),
    case("2(1) PhD meets the master path", {}, ("engineer", "1(1)"), degree="phd", practice_months=4),
    case("1(2) master, 12 months, 2 of 5", {}, ("engineer", "1(2)"), degree="master", practice_months=12,
         competition_awards=[CompetitionAward("provincial", 3)], ncre_level=3),
    case("1(2) master, 11.9 months -> 2(1)", {}, ("assistant_engineer", "2(1)"), degree="master",
         practice_months=11.9, competition_awards=[CompetitionAward("provincial", 3)], ncre_level=3),
    case("1(2) NCRE 2 does not count", {}, ("assistant_engineer", "2(1)"), degree="master", practice_months=12,
         ncre_level=2, competition_awards=[PROV_1]),
    case("1(2) municipal award does not count", {}, ("assistant_engineer", "2(1)"), degree="master",
         practice_months=12, ncre_level=3, competition_awards=[CompetitionAward("municipal", 1)]),
    case("1(2) master, 1 of 5 -> 2(1)", {}, ("assistant_engineer", "2(1)"), degree="master", practice_months=12,
         ncre_level=3),
    case("1(2) paper not first author counts", {}, ("engineer", "1(2)"), degree="master", practice_months=12,
         papers=[Paper(False)], patents=[Patent("invention", 7)]),
    case("1(2) paper not in field does not count", {}, ("assistant_engineer", "2(1)"), degree="master",
         practice_months=12, papers=[Paper(True, in_field=False)], patents=[Patent("invention", 7)]),
    case("1(2) software copyright is not a patent", {}, ("assistant_engineer", "2(1)"), degree="master",
         practice_months=12, ncre_level=3, patents=[Patent("software_copyright", 1)]),
    case("1(2) skill 三级 counts, 四级 not", {}, ("assistant_engineer", "2(1)"), degree="master", practice_months=12,
         ncre_level=3, skill_certificates=[SkillCertificate(4)]),
    case("1(2) PhD without degree cannot use master paths", {}, NONE, degree="phd", has_degree=False,
         practice_months=12, ncre_level=3, competition_awards=[PROV_1]),
]


@pytest.mark.parametrize(("changes", "expected"), BOUNDARIES)
def test_boundary(changes: dict, expected: tuple[str, str | None]) -> None:
    profile = grad(**changes)
    verdict = evaluate(profile)
    assert (verdict.level, verdict.path) == expected
    assert level_only(profile) == expected[0]


# --- the same achievement may not satisfy two criteria of one path -------------------------------


def test_same_patent_cannot_meet_a_required_patent_and_the_patent_option() -> None:
    std = DEFAULT_STANDARD.with_path("2(2)", extra_requirements=("patent",))
    one = grad(**BASE_22, patents=[Patent("utility_model", 1)])
    # design 良好 + NCRE 2 = 2 of 6, the required patent is its own item: met.
    assert evaluate(one, std).path == "2(2)"
    # Without NCRE, the one patent is used by the required criterion, so only design counts: 1 of 6.
    single = grad(**{**BASE_22, "ncre_level": 0}, patents=[Patent("utility_model", 1)])
    verdict = evaluate(single, std)
    assert verdict.level == "technician"
    assert level_only(single, std) == "technician"
    # A second patent can serve the option.
    double = grad(**{**BASE_22, "ncre_level": 0}, patents=[Patent("utility_model", 1), Patent("invention", 2)])
    assert evaluate(double, std).path == "2(2)"
    assert level_only(double, std) == "assistant_engineer"


@pytest.mark.parametrize("order", [(False, True), (True, False)], ids=["other-first", "first-author-first"])
def test_assignment_gives_the_first_author_paper_to_the_stricter_criterion(order: tuple[bool, bool]) -> None:
    """1(2) with a school-required first-author paper: the option "paper" takes any paper.
    A greedy pass that gave the first-author paper to the option would wrongly fail."""
    std = DEFAULT_STANDARD.with_path("1(2)", extra_requirements=("first_author_paper",))
    master = dict(degree="master", practice_months=12, ncre_level=3)
    both = grad(**master, papers=[Paper(first) for first in order])
    verdict = evaluate(both, std)
    assert (verdict.level, verdict.path) == ("engineer", "1(2)")
    evidence = {c.label: c.evidence for c in verdict.criteria}
    assert evidence["以第一作者发表相关专业领域学术论文"] == "第一作者论文（本专业领域）"
    assert evidence["发表相关专业领域学术论文"] == "论文（本专业领域，非第一作者）"
    only_first = grad(**master, papers=[Paper(True)])
    assert evaluate(only_first, std).path == "2(1)"  # the one paper cannot be both


def test_assign_is_a_maximum_matching_keeping_earlier_criteria() -> None:
    any_item = lambda item: True  # noqa: E731
    only_a = lambda item: item == "a"  # noqa: E731
    assert assign([any_item, only_a], ("a", "b")) == ["b", "a"]
    assert assign([only_a, only_a], ("a", "b")) == ["a", None]
    assert assign([any_item, any_item, any_item], ("a",)) == ["a", None, None]
    assert assign([], ("a",)) == []


# --- verdict content -------------------------------------------------------------------------------


def test_criteria_of_the_deciding_path_carry_clause_label_and_evidence() -> None:
    verdict = evaluate(grad(**BASE_13, id="s1"))
    assert verdict.id == "s1"
    assert verdict.level_name == "工程师"
    assert verdict.path_clause == "附件2 一(八)1(3)"
    assert {c.clause for c in verdict.criteria} == {"附件2 一(八)1(3)"}
    rows = {c.label: (c.met, c.evidence) for c in verdict.criteria}
    assert rows["取得大学本科毕业证、学位证，或获得专科学历并取得毕业证（研究生亦可）"] == (True, "大学本科毕业证、学位证")
    assert rows["在校期间深入企业实习实践训练累计不少于12个月"] == (True, "实践12.0个月")
    assert rows["平均学分绩点排名专业前30%"] == (True, "专业排名前30%")
    assert rows["以下7项条件中满足3项（7选3）"] == (True, "已满足3项")
    assert rows["毕业设计成绩优秀"] == (True, "毕业设计优秀")
    assert rows["省级及以上学科竞赛奖项（排名第1）"] == (True, "省级竞赛奖 第1名")
    assert rows["具备全国计算机等级考试3级及以上"] == (True, "全国计算机等级3级")
    assert rows["获得有关专利（发明排名前2或实用新型排名第1）"] == (False, None)
    assert rows["作为项目负责人承担国家级大学生创新创业训练计划项目并结题"] == (False, None)
    assert rows["发表相关专业领域学术论文（第一作者）"] == (False, None)
    assert len(verdict.criteria) == 3 + 1 + 7
    assert verdict.missing_for_next == ()  # nothing above 工程师


def test_technician_is_told_what_2_2_still_needs() -> None:
    verdict = evaluate(grad(practice_months=2.5, major_rank_percent=40, design_grade="good",
                            skill_certificates=[SkillCertificate(5)]))
    assert (verdict.level, verdict.path) == ("technician", "3")
    assert verdict.missing_for_next == (
        "累计企业实习实践还需至少1.5个月（附件2 一(八)2(2)）",
        "再满足以下任意1项：省级及以上学科竞赛奖项；获得有关专利（发明排名前3或实用新型排名第1）；"
        "取得相应等级的职业技能认证（四级/中级工及以上）；作为项目负责人承担省级及以上大学生创新创业训练计划项目并结题；"
        "具备全国计算机等级考试2级及以上（附件2 一(八)2(2)）",
    )


def test_unknown_rank_is_named_as_missing() -> None:
    verdict = evaluate(grad(**{**BASE_22, "major_rank_percent": None}))
    assert verdict.level == "technician"
    assert verdict.missing_for_next == ("需提供平均学分绩点专业排名，且排名进入专业前50%（附件2 一(八)2(2)）",)
    worse = evaluate(grad(**{**BASE_22, "major_rank_percent": 62.5}))
    assert worse.missing_for_next == ("平均学分绩点专业排名需进入前50%（目前为前62.5%）（附件2 一(八)2(2)）",)


def test_assistant_is_measured_against_the_cheapest_engineer_path() -> None:
    verdict = evaluate(grad(**{**BASE_22, "practice_months": 12, "major_rank_percent": 20,
                               "design_grade": "excellent", "ncre_level": 3}))
    assert verdict.path == "2(2)"
    # 1(1) and 1(2) are not attainable for a bachelor; 1(3) has 2 of 7 (design 优秀, NCRE 3).
    assert verdict.missing_for_next == (
        "再满足以下任意1项：省级及以上学科竞赛奖项（排名第1）；获得有关专利（发明排名前2或实用新型排名第1）；"
        "取得相应等级的职业技能认证（三级/高级工及以上）；作为项目负责人承担国家级大学生创新创业训练计划项目并结题；"
        "发表相关专业领域学术论文（第一作者）（附件2 一(八)1(3)）",
    )


def test_master_technician_is_pointed_at_2_1() -> None:
    verdict = evaluate(grad(degree="master", practice_months=2, skill_certificates=[SkillCertificate(5)]))
    assert (verdict.level, verdict.path) == ("technician", "3")
    assert verdict.missing_for_next == ("累计企业实习实践还需至少2个月（附件2 一(八)2(1)）",)


def test_master_assistant_is_pointed_at_1_2() -> None:
    verdict = evaluate(grad(degree="master", practice_months=12, ncre_level=3))
    assert verdict.path == "2(1)"
    assert verdict.missing_for_next == (
        "再满足以下任意1项：省级及以上学科竞赛奖项；获得有关专利（发明或实用新型）；"
        "取得相应等级的职业技能认证（三级/高级工及以上）；发表相关专业领域学术论文（附件2 一(八)1(2)）",
    )


def test_level_none_shows_the_nearest_path_and_what_technician_needs() -> None:
    verdict = evaluate(grad(practice_months=0.5, skill_certificates=[SkillCertificate(4)]))
    assert (verdict.level, verdict.path, verdict.level_name) == ("none", None, "未达到技术员条件")
    assert {c.clause for c in verdict.criteria} == {"附件2 一(八)3"}
    practice = next(c for c in verdict.criteria if c.label.startswith("在校期间"))
    assert (practice.met, practice.evidence) == (False, None)
    assert verdict.missing_for_next == ("累计企业实习实践还需至少0.5个月（附件2 一(八)3）",)


def test_missing_degree_and_diploma_are_named() -> None:
    verdict = evaluate(grad(**BASE_3, has_diploma=False, has_degree=False))
    assert verdict.missing_for_next == ("取得毕业证、学位证（附件2 一(八)3）",)
    junior = evaluate(grad(**BASE_3, degree="junior_college", has_diploma=False, has_degree=False))
    assert junior.missing_for_next == ("取得专科毕业证（附件2 一(八)3）",)


def test_nearest_path_of_a_master_without_degree_is_2_1() -> None:
    verdict = evaluate(grad(degree="master", has_degree=False, practice_months=4))
    assert verdict.level == "none"
    assert {c.clause for c in verdict.criteria} == {"附件2 一(八)2(1)"}
    assert [c.met for c in verdict.criteria] == [False, True]


def test_phd_without_degree_is_told_to_get_it() -> None:
    verdict = evaluate(grad(degree="phd", has_degree=False))
    assert verdict.level == "none"
    assert [(c.clause, c.met) for c in verdict.criteria] == [("附件2 一(八)1(1)", False)]


def test_to_dict_is_the_verdict_contract_shape() -> None:
    d = evaluate(grad(**BASE_22, id="x9", employment=None)).to_dict()
    assert list(d) == ["id", "level", "path", "may_apply", "blocking", "criteria", "missing_for_next"]
    assert d["id"] == "x9" and d["level"] == "assistant_engineer" and d["path"] == "2(2)"
    assert d["may_apply"] is False and d["blocking"] == [NOT_EMPLOYED]
    assert all(set(c) == {"clause", "label", "met", "evidence"} for c in d["criteria"])
    assert isinstance(d["missing_for_next"], list)


def test_evidence_of_skill_certificate_names_occupation_and_1_plus_x() -> None:
    verdict = evaluate(grad(**{**BASE_3, "skill_certificates": [SkillCertificate(5, "6-31-01-03", one_plus_x=True)]}))
    skill = next(c for c in verdict.criteria if c.label.startswith("取得相应等级"))
    assert skill.evidence == "五级/初级工1+X职业技能等级证书（6-31-01-03）"


def test_profile_accepts_lists_and_dicts_and_stays_hashable() -> None:
    p = grad(competition_awards=[{"level": "school", "rank": 1}], practice_months=1)
    assert p.competition_awards == (CompetitionAward("school", 1),)
    assert hash(p) == hash(grad(competition_awards=(CompetitionAward("school", 1),), practice_months=1))
    assert evaluate(p).level == "technician"


@pytest.mark.parametrize("bad", [dict(degree="bsc"), dict(practice_months=-1), dict(design_grade="A"),
                                 dict(competition_awards=[{"level": "county", "rank": 1}])], ids=str)
def test_profile_rejects_invalid_values(bad: dict) -> None:
    with pytest.raises(ValueError):
        grad(**bad)
