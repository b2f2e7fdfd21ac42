"""The round's state machines: every transition × every role, the diagram generated from the code, and two
staff members deciding the same application at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from applications import diagrams
from applications.models import TransitionLog
from applications.track_a.routing import committee_filing_office
from applications.workflow import WorkflowError, run_transition
from evaluation.rounds import selectors, services
from evaluation.rounds.diagram import DOCUMENT
from evaluation.rounds.models import (
    ApplicationState,
    EvaluationRound,
    Meeting,
    Objection,
    RoundState,
    TitleApplication,
)
from portal.models import Role
from tests.conftest import make_user
from tests.rounds import factories as f

STAFF = {"university_staff"}
APPLICANT = {"university_staff", "student"}

# transition → (how to get an object in a state it leaves, the roles that may take it, kwargs of the method)
ROUND_TRANSITIONS = {
    "publish_candidates": (RoundState.OPEN, STAFF, {}),
    "close_candidates_notice": (RoundState.CANDIDATES_NOTICE, STAFF, {}),
    "close_session": (RoundState.AWAITING_SESSION, STAFF, {}),
    "publish_results": (RoundState.VOTED, STAFF, {}),
    "finalise": (RoundState.RESULTS_NOTICE, STAFF, {"document_number": "安工大职评〔2025〕1号", "on": f.FINALISED}),
}
APPLICATION_TRANSITIONS = {
    "submit": ("draft", APPLICANT, {"snapshot": {}}),
    "withdraw": ("submitted", APPLICANT, {}),
    "pass_review": ("submitted", STAFF, {"snapshot": {}}),
    "return_for_correction": ("submitted", STAFF, {"reasons": "请补充"}),
    "refuse": ("submitted", STAFF, {"reasons": "不符合条件"}),
    "disqualify": ("eligible", STAFF, {}),
    "record_pass": ("eligible", set(), {}),  # only the chair of the round's open meeting (test_meetings.py)
    "record_fail": ("eligible", set(), {}),
    "rereview_pass": ("passed", STAFF, {}),  # after a 复查's 公示, from the members' count (test_rereview_meetings)
    "rereview_fail": ("passed", STAFF, {}),
}
OBJECTION_TRANSITIONS = {
    "uphold": ("open", STAFF, {"answer": "异议成立"}),
    "dismiss": ("open", STAFF, {"answer": "异议不成立"}),
}


def _everyone(w):
    """Every role's user, plus neighbours who must never act: another school's staff, another city's office,
    and a student of the same school who is not the applicant."""
    people = {**w.by_role, "other_staff": w.other_staff, "other_city_hrss": w.other_city_hrss}
    people["other_student"] = make_user("other_student", Role.STUDENT, institution=w.inst)
    return people


def _who_may(obj, name, people, kwargs):
    allowed = set()
    for role, user in people.items():
        with transaction.atomic():
            try:
                extra = {**kwargs, "answered_by": user} if name in OBJECTION_TRANSITIONS else kwargs
                run_transition(obj, name, actor=user, role=role, **extra)
            except PermissionDenied:
                pass
            else:
                allowed.add(role)
            transaction.set_rollback(True)
    return allowed


def test_every_transition_is_listed():
    for model, table in ((EvaluationRound, ROUND_TRANSITIONS), (TitleApplication, APPLICATION_TRANSITIONS),
                         (Objection, OBJECTION_TRANSITIONS)):
        assert {t.name for t in model._meta.get_field("state").get_all_transitions(model)} == set(table)


def test_results_filing_and_rereview_transitions_by_every_role(world):
    """评审结果备案 is recorded by the committee's filing office only; a 复查 is put on a meeting's agenda by the
    school (its count is recorded by the chair's closing only: tests/rounds/test_rereview_meetings.py)."""
    rnd = f.round_in(world, RoundState.FINALISED, n=1)
    people = _everyone(world)
    filing = services.submit_results(round=rnd, actor=world.staff)
    office = "provincial_hrss" if committee_filing_office(rnd.committee).is_provincial else "city_hrss"
    assert _who_may(filing, "record", people, {"by": world.staff, "at": timezone.now(), "note": ""}) == {
        office}
    decision = selectors.final_passed_decisions(rnd).first()
    request = services.request_rereview(decision=decision, actor=world.staff, grounds="error", reason="材料有误")
    meeting = Meeting(round=rnd, held_on=f.FINALISED, place="会议室", size=3, convened_by=world.staff,
                      purpose="rereview")
    meeting.save()
    assert _who_may(request, "schedule", people, {"meeting": meeting}) == STAFF


@pytest.mark.parametrize("name", sorted(ROUND_TRANSITIONS))
def test_round_transition_by_every_role(name, world):
    state, allowed, kwargs = ROUND_TRANSITIONS[name]
    rnd = f.round_in(world, state, n=1)
    assert _who_may(rnd, name, _everyone(world), kwargs) == allowed


@pytest.mark.parametrize("name", sorted(APPLICATION_TRANSITIONS))
def test_application_transition_by_every_role(name, world):
    state, allowed, kwargs = APPLICATION_TRANSITIONS[name]
    if state == "passed":
        app = f.round_in(world, RoundState.FINALISED, n=1).applications.get()
    elif state == "eligible":
        app = f.student_candidate(world)
    else:
        app = f.student_application(world, app_state=state)
    assert app.state == state
    assert _who_may(app, name, _everyone(world), kwargs) == allowed


@pytest.mark.parametrize("name", sorted(OBJECTION_TRANSITIONS))
def test_objection_transition_by_every_role(name, world):
    state, allowed, kwargs = OBJECTION_TRANSITIONS[name]
    assert _who_may(f.objection(world), name, _everyone(world), kwargs) == allowed


def test_a_transition_from_the_wrong_state_is_refused(world):
    rnd = f.round_in(world, RoundState.OPEN, n=1)
    with pytest.raises(WorkflowError, match="当前状态“申报和资格审查中”下不能执行该操作"):
        run_transition(rnd, "close_session", actor=world.staff, role="university_staff")


def test_every_transition_is_logged(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=1)
    app = TitleApplication.objects.get(round=rnd)
    assert list(TransitionLog.objects.filter(object_id=str(rnd.pk), content_type__model="evaluationround")
                .values_list("transition", flat=True)) == list(ROUND_TRANSITIONS)
    assert list(TransitionLog.objects.filter(object_id=str(app.pk), content_type__model="titleapplication")
                .values_list("transition", flat=True)) == ["submit", "pass_review", "record_pass"]


def test_the_committed_diagram_is_generated_from_the_code():
    assert not diagrams.stale([DOCUMENT]), "run: python manage.py workflow_diagrams"
    text = diagrams.markdown(DOCUMENT)
    assert "open --> candidates_notice" in text and "results_notice --> finalised" in text
    assert "submitted --> eligible" in text and "open --> upheld" in text


# --- two staff members deciding the same application at once -------------------------------------------------------

def test_the_second_staff_member_is_told_clearly(world, client, clock):
    """Both opened the application while it was 已提交; A passes it, then B tries to return it."""
    clock.set(f.OPENED)
    colleague = make_user("colleague", Role.UNIVERSITY_STAFF, institution=world.inst)
    app = f.student_application(world, app_state="submitted")
    client.force_login(world.staff)
    client.post(reverse("rounds:review", args=[app.pk]), {"decision": "pass", "expected_state": "submitted"})
    client.force_login(colleague)
    response = client.post(reverse("rounds:review", args=[app.pk]),
                           {"decision": "return", "reasons": "材料不全", "expected_state": "submitted"}, follow=True)
    assert TitleApplication.objects.get(pk=app.pk).state == ApplicationState.ELIGIBLE
    assert "该事项已由他人处理，当前状态为“资格审查通过（评审对象）”，请刷新页面后再操作。" in response.content.decode()
    assert not TransitionLog.objects.filter(object_id=str(app.pk), transition="return_for_correction").exists()


def test_a_stale_decision_is_refused_by_the_expected_state(world):
    app = f.student_application(world, app_state="submitted")
    services.review_application(application=app, actor=world.staff, decision="refuse", reasons="不符合",
                                expected_state="submitted", today=f.OPENED)
    with pytest.raises(WorkflowError, match="已由他人处理"):
        services.review_application(application=app, actor=world.staff, decision="pass",
                                    expected_state="submitted", today=f.OPENED)


@pytest.fixture
def live_world(transactional_db, request):
    """``world`` in a test whose transactions really commit (a transactional test before may have flushed the
    reference data that migrations load)."""
    from django.core.management import call_command

    call_command("loaddata", "cities", verbosity=0)
    return request.getfixturevalue("world")


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs row locks (SELECT … FOR UPDATE) across connections: run with "
           "DATABASE_URL=postgres://… (SQLite serialises every write and cannot show the race)")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_members_at_the_same_moment(live_world):
    world = live_world
    colleague = make_user("colleague", Role.UNIVERSITY_STAFF, institution=world.inst)
    app = f.student_application(world, app_state="submitted")
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, actor, decision, reasons=""):
        try:
            barrier.wait(timeout=10)
            services.review_application(application=app, actor=actor, decision=decision, reasons=reasons,
                                        expected_state="submitted", today=f.OPENED)
            outcomes[name] = "ok"
        except WorkflowError as exc:
            outcomes[name] = str(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=("pass", world.staff, "pass")),
               threading.Thread(target=act, args=("return", colleague, "return", "材料不全"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    assert "已由他人处理" in next(v for v in outcomes.values() if v != "ok")
    decided = TransitionLog.objects.filter(object_id=str(app.pk), content_type__model="titleapplication",
                                           transition__in=["pass_review", "return_for_correction"])
    assert decided.count() == 1
    assert TitleApplication.objects.get(pk=app.pk).state in (ApplicationState.ELIGIBLE, ApplicationState.RETURNED)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_answers_to_one_objection_at_the_same_moment(live_world):
    world = live_world
    colleague = make_user("colleague", Role.UNIVERSITY_STAFF, institution=world.inst)
    objection = f.objection(world)
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(actor, outcome):
        try:
            barrier.wait(timeout=10)
            services.answer_objection(objection=objection, actor=actor, outcome=outcome, answer="经核查，书面答复如下。")
            outcomes[outcome] = "ok"
        except WorkflowError as exc:
            outcomes[outcome] = str(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(world.staff, "upheld")),
               threading.Thread(target=act, args=(colleague, "dismissed"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
