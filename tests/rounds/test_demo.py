"""The demo round (``load_demo`` after the portal's, the evaluation app's and Track A's): finalised, idempotent."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from evaluation.rounds import demo_stages, selectors, services
from evaluation.rounds.models import EvaluationRound, Meeting, PublicNotice, RoundState


@pytest.mark.django_db
def test_demo_round(settings, tmp_path, clock):
    from applications.track_a import demo as track_a_demo
    from evaluation import demo as evaluation_demo
    from evaluation.rounds import demo
    from portal.demo import load_demo as portal_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    clock.set(date(2026, 11, 16))
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
    assert zhang.graduate.user.username == demo.STUDENT_NUMBER  # his own account, activated by him
    # this year's round waits for the committee, whose members can check in and vote right away
    current = EvaluationRound.objects.get(graduation_year=2026)
    assert current.state == RoundState.AWAITING_SESSION
    meeting = Meeting.objects.get(round=current, state="convened", held_on=date(2026, 11, 16))
    seats = {s.user.username: s for s in meeting.members.select_related("user")}
    assert set(seats) == {f"pool_{i}" for i in range(1, 8)} and seats["pool_1"].is_chair
    apps = list(services.meetings.candidates_of(current))
    assert len(apps) >= 3
    for name in ("pool_1", "pool_2", "pool_3", "pool_4", "pool_5"):
        services.check_in(meeting=meeting, actor=seats[name].user)
    assert services.cast_vote(meeting=meeting, application=apps[0], actor=seats["pool_2"].user, choice="yes")
    assert demo.load_demo(out) is None  # idempotent
    assert EvaluationRound.objects.count() == 2
    assert "职称评审" in out.getvalue()

    # and this year's rounds of three more schools at the other stages, through the same services
    made = demo_stages.load_demo(out)
    by_school = {r.institution.name: r for r in made}
    assert {name: r.state for name, r in by_school.items()} == demo_stages.STAGES
    assert set(EvaluationRound.objects.values_list("state", flat=True)) == {
        RoundState.OPEN, RoundState.CANDIDATES_NOTICE, RoundState.AWAITING_SESSION, RoundState.RESULTS_NOTICE,
        RoundState.FINALISED}
    opened = by_school["合肥工业大学"]
    assert opened.applications.filter(state="submitted").exists()  # waiting for 资格审查
    assert opened.applications.filter(state="eligible").exists()
    today = date(2026, 11, 16)
    assert PublicNotice.objects.get(round=by_school["安徽建筑大学"], stage="candidates").is_running(today)
    results = by_school["合肥学院"]
    assert PublicNotice.objects.get(round=results, stage="results").is_running(today)
    met = Meeting.objects.get(round=results)
    assert met.state == "signed" and met.tallies.filter(outcome="passed").exists()
    assert met.members.get(is_chair=True).user.username == "pool_5"
    assert demo_stages.load_demo(out) == []  # idempotent
    assert EvaluationRound.objects.count() == 5
