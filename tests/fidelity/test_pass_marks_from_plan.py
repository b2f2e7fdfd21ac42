"""Pass marks come from the filed 附件4 plan only (issue #12 item 5).

附件4 四: "评价方式和内容设计（包括评价依据、方式形式、科目设置、成绩合格标准等）" — the plan the expert panel evaluated (附件5 三
"成绩合格标准") states the pass standard; it is not set per candidate or per session.

This module fails on the code before this change: there ``AssessmentResult.pass_mark`` was a field of each result,
editable in the result form and set by a "合格分数线" import column (default 60), so one candidate could pass at 30.
"""

from decimal import Decimal

from assessment.models import Session
from certificates.models import AssessmentResult
from tests.assessment import builders as b
from tests.track_b.factories import occ


def test_no_result_or_session_carries_an_editable_pass_mark():
    assert "pass_mark" not in {f.name for f in AssessmentResult._meta.get_fields()}
    for model in (AssessmentResult, Session):
        for name in ("theory_pass_mark", "practical_pass_mark"):
            assert not model._meta.get_field(name).editable


def test_a_session_copies_the_plans_marks_and_a_candidate_is_judged_by_them(world):
    app = b.quick_filed(world, marks=(70, 65))
    b.reported_plan(world, app)
    session = b.session_with_candidates(world, app, 2)
    assert (session.theory_pass_mark, session.practical_pass_mark) == (Decimal("70"), Decimal("65"))
    b.scored(world, app, session, marks=((Decimal("69.5"), Decimal("99")), (Decimal("70"), Decimal("65"))))
    first, second = session.candidates.order_by("id")
    assert not first.passed and second.passed


def test_the_filing_requires_pass_standards_for_every_occupation(world):
    from applications.track_b.completeness import problems_of
    from applications.track_b.models import PassStandard
    from tests.track_b.factories import new_case

    b.ensure_reference_data()
    app = new_case(world)
    assert not [p for p in problems_of(app) if p.section == "standards"]
    PassStandard.objects.filter(application=app, occupation=occ(b.NEV)).delete()
    assert [p for p in problems_of(app) if p.section == "standards" and "汽车维修工" in p.message]
