"""Issue 12 item 1 — no title application above the level the rules grant.

通知 四(四)：“相关单位按照‘谁评价、谁发证、谁负责’原则，不得擅自降低评价标准”；
附件2 一(二)：“对符合评审标准申报条件的人员，通过评定的方式进行职称评价。申报不采取逐级申请方式，对照条件直接申请相应级别职称。”

A graduate applies at or below the level the engine (附件2 一(八) with the school's standard) reaches, never above
it with a written reason (申报理由) for the committee to pass over the conditions. Records that are wrong are
corrected by the school and evaluated again.

These tests fail on the code before this change (commit f69b350): there, an application above the verdict was
created and could be submitted and passed with a 申报理由, the form offered the higher levels, and the minutes
carried a footnote for such candidates.
"""

import pytest
from django.core.exceptions import ValidationError

from evaluation.models import Graduate
from evaluation.rounds import services
from evaluation.rounds.forms import ApplicationForm
from evaluation.rounds.models import ApplicationState, TitleApplication
from tests.rounds import factories as f


@pytest.mark.parametrize(("reaches", "level"), [("technician", "assistant_engineer"), ("technician", "engineer"),
                                                ("assistant_engineer", "engineer"), ("none", "technician")])
def test_an_application_above_the_verdict_is_refused_when_made(world, reaches, level):
    rnd = f.open_round(world)
    g = f.graduate(world, "F1001", reaches=reaches)
    with pytest.raises(ValidationError) as exc:
        services.create_application(round=rnd, graduate=g, actor=world.staff, level=level, today=f.OPENED)
    assert exc.value.code == "above_verdict"
    assert "高于资格评价结果" in exc.value.messages[0] and "不得擅自降低评价标准" in exc.value.messages[0]
    assert not TitleApplication.objects.filter(graduate=g).exists()


def test_at_the_verdict_and_below_it_is_accepted(world):
    rnd = f.open_round(world)
    at = f.application(world, rnd, f.graduate(world, "F1002", reaches="assistant_engineer"), level="assistant_engineer")
    below = f.application(world, rnd, f.graduate(world, "F1003", reaches="assistant_engineer"), level="technician")
    assert at.state == below.state == ApplicationState.SUBMITTED


def test_a_draft_cannot_be_changed_to_a_level_above_the_verdict(world):
    rnd = f.open_round(world)
    app = f.application(world, rnd, f.graduate(world, "F1004"), submit=False)
    with pytest.raises(ValidationError) as exc:
        services.update_application(application=app, actor=world.staff, level="engineer", employer_kind="enterprise",
                                    today=f.OPENED)
    assert exc.value.code == "above_verdict"
    assert TitleApplication.objects.get(pk=app.pk).level == "technician"


def test_records_lowered_after_submission_stop_the_review_at_the_old_level(world):
    """The verdict is read again at each step: a record corrected downwards cannot be passed over."""
    rnd = f.open_round(world)
    g = f.graduate(world, "F1005", reaches="assistant_engineer")
    app = f.application(world, rnd, g, level="assistant_engineer")
    Graduate.objects.filter(pk=g.pk).update(practice_months=2, major_rank_percent=60, design_grade="medium")
    app = TitleApplication.objects.get(pk=app.pk)
    with pytest.raises(ValidationError) as exc:
        services.review_application(application=app, actor=world.staff, decision="pass", today=f.OPENED)
    assert exc.value.code == "above_verdict"
    assert TitleApplication.objects.get(pk=app.pk).state == ApplicationState.SUBMITTED


def test_the_form_offers_no_level_above_the_verdict_and_no_reason_field(world):
    rnd = f.open_round(world)
    form = ApplicationForm(round=rnd, verdict_level="technician")
    assert [c for c, _label in form.fields["level"].choices] == ["technician"]
    assert "justification" not in form.fields
    assert not any(field.name == "justification" for field in TitleApplication._meta.get_fields())


def test_the_minutes_have_no_footnote_for_candidates_above_their_verdict():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "templates/pdf/rounds/minutes.html").read_text(encoding="utf-8")
    assert "申报理由" not in text and "above_verdict" not in text
