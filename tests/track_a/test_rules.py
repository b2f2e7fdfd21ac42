"""The pure checks of Track A (applications/track_a/rules.py)."""

from datetime import date

import pytest

from applications.track_a import rules


def test_only_applied_engineering_or_technician_schools_with_an_industry_college():
    assert rules.eligibility(has_industry_college=True, industry_college_level="provincial",
                             applied_engineering=True, is_technician_college=False).ok
    assert rules.eligibility(has_industry_college=True, industry_college_level="national",
                             applied_engineering=False, is_technician_college=True).ok
    no_college = rules.eligibility(has_industry_college=False, industry_college_level="",
                                   applied_engineering=True, is_technician_college=False)
    assert not no_college.ok and "现代产业学院" in no_college.reasons[0]
    not_applied = rules.eligibility(has_industry_college=True, industry_college_level="provincial",
                                    applied_engineering=False, is_technician_college=False)
    assert not not_applied.ok and "应用型理工科" in not_applied.reasons[0]


@pytest.mark.parametrize("total, practice, ok", [
    (1000, 299, False),   # 29.9% — flagged
    (1000, 300, True),    # exactly 30%
    (2600, 779, False),   # 29.96%
    (2600, 780, True),
    (3, 1, True),         # 33.3%
    (10, 0, False),
])
def test_practice_share_of_thirty_percent(total, practice, ok):
    assert rules.practice_ok(total, practice) is ok


def test_practice_share_unknown_without_figures():
    assert rules.practice_ok(None, 10) is None and rules.practice_ok(100, None) is None


def test_ratios_are_computed():
    assert rules.percent(1, 3) == 33.3
    assert rules.percent(None, 3) is None and rules.percent(1, 0) is None
    assert rules.student_teacher_ratio(2000, 100) == "20.0:1"
    assert rules.student_teacher_ratio(2000, 0) is None


def test_counts_that_do_not_add_up_are_named():
    values = {"teachers_total": 100, "teachers_senior": 20, "teachers_deputy_senior": 30,
              "teachers_intermediate_or_below": 40, "teachers_enterprise": 40, "teachers_school": 60,
              "teachers_enterprise_background": 70,
              "students_total": 10, "students_undergraduate": 5, "students_master": 5, "students_doctoral": 0,
              "students_other": 1}
    problems = dict(rules.count_problems(values))
    assert "正高级、副高级、中级及以下人数之和（90）与教师总人数（100）不一致" in problems["teachers_total"]
    assert "具有企业背景的专任教师数（70）不能超过学校教师数（60）" in problems["teachers_enterprise_background"]
    assert "学生总人数（10）" in problems["students_total"]


def test_a_half_filled_draft_is_not_judged():
    assert rules.count_problems({"teachers_total": 100, "teachers_senior": 20}) == []


def _members(levels, chair=0, start=date(2025, 1, 1), end=date(2027, 12, 31)):
    return [rules.Member(f"专家{i}", level, i == chair, start, end) for i, level in enumerate(levels)]


def test_a_good_intermediate_committee():
    members = _members(["senior", "deputy_senior", "deputy_senior", "intermediate", "intermediate"])
    assert rules.committee_problems(level="intermediate", members=members, authority_levels=["engineer"]) == []


def test_even_number_too_few_and_no_chair():
    problems = rules.committee_problems(level="junior", members=_members(["senior"] * 4, chair=-1))
    assert any("单数" in p for p in problems)
    assert any("不少于5人" in p for p in problems)
    assert any("主任委员" in p for p in problems)


def test_intermediate_committee_needs_a_senior_majority():
    members = _members(["senior", "deputy_senior", "intermediate", "intermediate", "intermediate"])
    problems = rules.committee_problems(level="intermediate", members=members)
    assert problems == ["中级评委会应有过半数委员具有副高级及以上职称，当前2/5。"]
    assert rules.committee_problems(level="junior", members=members) == []


def test_terms_of_at_most_three_years():
    members = _members(["senior"] * 5, end=date(2028, 1, 2))
    assert any("任期超过3年" in p for p in rules.committee_problems(level="junior", members=members))
    members = _members(["senior"] * 5, end=date(2028, 1, 1))
    assert rules.committee_problems(level="junior", members=members) == []


def test_members_below_intermediate_and_a_junior_chair_refused():
    members = _members(["intermediate", "senior", "senior", "senior", "junior"])
    problems = rules.committee_problems(level="junior", members=members)
    assert any("主任委员专家0应具有副高级及以上职称" in p for p in problems)
    assert any("专家4不符合" in p for p in problems)


def test_engineer_authority_needs_an_intermediate_committee():
    members = _members(["senior"] * 5)
    assert rules.committee_levels_needed(["technician", "engineer"]) == "intermediate"
    assert rules.committee_levels_needed(["technician"]) == "junior"
    problems = rules.committee_problems(level="junior", members=members, authority_levels=["engineer"])
    assert problems == ["自主评审权包括工程师（中级），应组建中级职称评委会。"]
