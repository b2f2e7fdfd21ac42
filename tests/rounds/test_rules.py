"""The committee's arithmetic — quorum and the two-thirds vote, just below and at — and conflicts of interest."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.rounds import rules


@pytest.mark.parametrize(("members", "below", "at"), [(5, 3, 4), (6, 3, 4), (7, 4, 5), (9, 5, 6), (3, 1, 2)])
def test_quorum_just_below_and_at_two_thirds(members, below, at):
    assert not rules.quorum_met(below, members)
    assert rules.quorum_met(at, members)
    assert rules.min_present(members) == at


@pytest.mark.parametrize(("voters", "below", "at"), [(6, 3, 4), (5, 3, 4), (4, 2, 3), (3, 1, 2), (7, 4, 5), (9, 5, 6)])
def test_two_thirds_vote_just_below_and_at(voters, below, at):
    assert not rules.passes(below, voters)
    assert rules.passes(at, voters)
    assert rules.min_yes(voters) == at


def test_no_voters_no_decision():
    assert not rules.passes(0, 0)
    assert not rules.quorum_met(0, 0)


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=60))
def test_integer_arithmetic_equals_exact_fractions(voters, yes):
    yes = min(yes, voters)
    assert rules.passes(yes, voters) == (Fraction(yes, voters) >= Fraction(2, 3))
    assert rules.quorum_met(yes, voters) == (Fraction(yes, voters) >= Fraction(2, 3))


@pytest.mark.parametrize(("a", "b", "same"), [
    ("奇瑞汽车股份有限公司", "奇瑞汽车股份有限公司", True),
    ("奇瑞汽车股份有限公司", "奇瑞汽车", True),
    ("蔚来汽车科技（安徽）有限公司", "蔚来汽车科技(安徽)有限公司", True),
    ("马鞍山钢铁股份有限公司", " 马鞍山钢铁 股份有限公司", True),
    ("马钢集团", "马鞍山钢铁股份有限公司", False),  # not detectable from the text: declared instead
    ("公司", "奇瑞汽车股份有限公司", False),  # too short to mean anything
    ("", "奇瑞汽车股份有限公司", False),
])
def test_same_employer(a, b, same):
    assert rules.same_employer(a, b) is same


def test_above_the_verdict():
    assert rules.above("assistant_engineer", "technician")
    assert rules.above("technician", "none")
    assert not rules.above("technician", "engineer")
    assert not rules.above("engineer", "engineer")
