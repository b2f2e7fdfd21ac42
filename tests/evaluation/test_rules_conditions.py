"""May the graduate be evaluated at all: the blocking reasons of 附件2 一(四)/(六) and the pilot facts, each
citing its clause; unknown general conditions are named, never counted as met.

Pure Python: the engine needs no database.
"""

from __future__ import annotations

import pytest

from evaluation.rules import Employment, General, evaluate
from evaluation.rules.conditions import (
    ASSESSMENT,
    CONDUCT,
    NO_CONTINUING_EDUCATION,
    NO_TRIPARTITE,
    NOT_EMPLOYED,
    NOT_FIT,
    NOT_IN_PROVINCE,
    NOT_ON_DUTY,
    NOT_PILOT_MAJOR,
    NOT_PILOT_SCHOOL,
    NOT_PROVIDED,
)

from .profiles import BASE_3, general, grad

BLOCKING = [
    pytest.param(dict(employment=None), [NOT_EMPLOYED], id="not employed"),
    pytest.param(dict(employment=Employment(False, True, True)), [NOT_IN_PROVINCE], id="outside Anhui"),
    pytest.param(dict(employment=Employment(True, False, True)), [NO_TRIPARTITE], id="no tripartite agreement"),
    pytest.param(dict(employment=Employment(True, True, False)), [NOT_ON_DUTY], id="not on duty"),
    pytest.param(dict(employment=Employment()), [NOT_IN_PROVINCE, NO_TRIPARTITE, NOT_ON_DUTY],
                 id="employment keys missing count as not evidenced"),
    pytest.param(dict(general=general(conduct_ok=False)), [CONDUCT], id="conduct"),
    pytest.param(dict(general=general(assessment="pass")), [ASSESSMENT.format("合格")], id="assessment 合格"),
    pytest.param(dict(general=general(assessment="fail")), [ASSESSMENT.format("不合格")], id="assessment 不合格"),
    pytest.param(dict(general=general(physically_fit=False)), [NOT_FIT], id="physically unfit"),
    pytest.param(dict(general=general(continuing_education_done=False)), [NO_CONTINUING_EDUCATION],
                 id="continuing education"),
    pytest.param(dict(pilot_major=False), [NOT_PILOT_MAJOR], id="not a pilot major"),
    pytest.param(dict(pilot_school=False), [NOT_PILOT_SCHOOL], id="not a pilot school"),
    pytest.param(dict(pilot_major=None, pilot_school=None), [], id="pilot facts unknown do not block"),
    pytest.param(dict(pilot_major=True, pilot_school=True, general=general(assessment="excellent")), [],
                 id="all met"),
    pytest.param(dict(general=General()), [NOT_PROVIDED.format("思想政治条件、年度综合考核、身体条件、继续教育（公需课）学时")],
                 id="nothing stated: unknown is not met"),
    pytest.param(dict(general=general(physically_fit=None, assessment=None)),
                 [NOT_PROVIDED.format("年度综合考核、身体条件")], id="blank columns are unknown"),
    pytest.param(dict(employment=None, general=general(conduct_ok=False, physically_fit=False)),
                 [NOT_EMPLOYED, CONDUCT, NOT_FIT], id="one reason per failed condition"),
]


@pytest.mark.parametrize(("changes", "reasons"), BLOCKING)
def test_blocking_reasons(changes: dict, reasons: list[str]) -> None:
    verdict = evaluate(grad(**BASE_3, **changes))
    assert list(verdict.blocking) == reasons
    assert verdict.may_apply is (not reasons)
    assert verdict.level == "technician"  # the level does not depend on may_apply


@pytest.mark.parametrize("reason", [NOT_EMPLOYED, NOT_IN_PROVINCE, NO_TRIPARTITE, NOT_ON_DUTY, CONDUCT,
                                    ASSESSMENT, NOT_FIT, NO_CONTINUING_EDUCATION, NOT_PILOT_MAJOR, NOT_PILOT_SCHOOL])
def test_every_blocking_reason_cites_its_clause(reason: str) -> None:
    assert "附件2 一(" in reason


def test_may_apply_is_independent_of_level() -> None:
    blocked_engineer = evaluate(grad(degree="phd", employment=None))
    assert (blocked_engineer.level, blocked_engineer.may_apply) == ("engineer", False)
    free_none = evaluate(grad())
    assert (free_none.level, free_none.may_apply) == ("none", True)
