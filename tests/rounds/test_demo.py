"""The demo round (``load_demo`` after the portal's, the evaluation app's and Track A's): finalised, idempotent."""

import io

import pytest
from django.core.management import call_command

from evaluation.rounds import selectors
from evaluation.rounds.models import EvaluationRound, RoundState


@pytest.mark.django_db
def test_demo_round(settings, tmp_path):
    from applications.track_a import demo as track_a_demo
    from evaluation import demo as evaluation_demo
    from evaluation.rounds import demo
    from portal.demo import load_demo as portal_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "cities", verbosity=0)
    portal_demo()
    out = io.StringIO()
    evaluation_demo.load_demo(out)
    track_a_demo.load_demo(out)
    rnd = demo.load_demo(out)
    assert rnd.state == RoundState.FINALISED and rnd.document_number == "安工大职评〔2025〕1号"
    passed = list(selectors.final_passed_decisions(rnd))
    assert len(passed) >= 15
    levels = {d.level for d in passed}
    assert {"technician", "engineer"} <= levels
    zhang = next(d for d in passed if d.graduate.student_number == demo.STUDENT_NUMBER)
    assert zhang.graduate.user.username == "student"
    assert demo.load_demo(out) is None  # idempotent
    assert EvaluationRound.objects.count() == 1
    assert "职称评审" in out.getvalue()
