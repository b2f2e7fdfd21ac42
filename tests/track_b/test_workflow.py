"""Every transition × every role (and anonymous): who may make it, through the web, and nobody else.

A role that may not see the case gets 404, one that sees it but may not act 403, anonymous users the
login page; in every refused case the state is unchanged and no log row is written.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.models import TransitionLog
from applications.track_b.models import FilingState
from applications.workflow import run_transition
from tests.matrix import ROLES
from tests.track_b.factories import case_in, panel_of

# transition -> (source state, url name, POST data (world, app) -> dict, target state, who may)
TRANSITIONS = {
    "submit": (FilingState.DRAFT, "track_b:submit", lambda w, a: {}, FilingState.SUBMITTED, {"university_staff"}),
    "resubmit": (FilingState.RETURNED, "track_b:submit", lambda w, a: {}, FilingState.SUBMITTED,
                 {"university_staff"}),
    "withdraw": (FilingState.SUBMITTED, "track_b:withdraw", lambda w, a: {}, FilingState.WITHDRAWN,
                 {"university_staff"}),
    "accept": (FilingState.SUBMITTED, "track_b:accept", lambda w, a: {}, FilingState.ACCEPTED, {"city_hrss"}),
    "return_for_revision": (FilingState.SUBMITTED, "track_b:return", lambda w, a: {"reasons": "补充材料"},
                            FilingState.RETURNED, {"city_hrss"}),
    "start_evaluation": (FilingState.ACCEPTED, "track_b:panel",
                         lambda w, a: {"experts": [u.pk for u in panel_of(w, w.inst)],
                                       "leader": panel_of(w, w.inst)[0].pk},
                         FilingState.UNDER_EVALUATION, {"city_hrss"}),
    "reopen_evaluation": (FilingState.REPORT_SIGNED, "track_b:reopen", lambda w, a: {"reasons": "补充实地查看"},
                          FilingState.UNDER_EVALUATION, {"city_hrss"}),
    "file": (FilingState.REPORT_SIGNED, "track_b:file",
             lambda w, a: {"opinion": "同意备案", **{f"include_{o.occupation_id}": "on" for o in
                                                     a.report.conclusions.all()},
                           **{f"level_{o.occupation_id}": "3" for o in a.report.conclusions.all()}},
             FilingState.FILED, {"city_hrss"}),
    "refuse": (FilingState.REPORT_SIGNED, "track_b:refuse", lambda w, a: {"reasons": "条件不足"},
               FilingState.NOT_FILED, {"city_hrss"}),
}
# Who sees a case of world.inst in each state (the rest get 404).
SEES = {
    FilingState.DRAFT: {"university_staff", "site_admin"},
    FilingState.RETURNED: {"university_staff", "city_hrss", "site_admin"},
    FilingState.SUBMITTED: {"university_staff", "city_hrss", "site_admin"},
    FilingState.ACCEPTED: {"university_staff", "city_hrss", "site_admin"},
    FilingState.REPORT_SIGNED: {"university_staff", "city_hrss", "site_admin", "expert"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_by_role(name, role, world, client):
    source, url_name, data, target, allowed = TRANSITIONS[name]
    app = case_in(world, source)
    before = TransitionLog.objects.count()
    if role != "anonymous":
        client.force_login(world.by_role[role])
    response = client.post(reverse(url_name, args=[app.pk]), data(world, app))
    app.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert app.state == target
        log = TransitionLog.objects.order_by("-id").first()
        assert log.actor == world.by_role[role] and log.target == target and log.role
        return
    assert app.state == source, f"{name} by {role} changed the state"
    assert TransitionLog.objects.count() == before
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role in SEES[source]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_complete_report_by_role(role, world, client):
    """The last signature completes the report: only panel members sign (the world's expert leads)."""
    app = case_in(world, FilingState.UNDER_EVALUATION)
    from applications.track_b import services
    from tests.track_b.factories import REPORT

    leader, *others = panel_of(world, world.inst)
    report, _ = services.save_report(app, user=leader, fields=dict(REPORT),
                                     conclusions={o.pk: 3 for o in services.applied_occupations(app)})
    for expert in others:
        services.sign_report(app, user=expert, expected_version=report.version)
    if role != "anonymous":
        client.force_login(world.by_role[role])
    response = client.post(reverse("track_b:sign", args=[app.pk]), {"version": report.version})
    app.refresh_from_db()
    if role == "expert":
        assert app.state == FilingState.REPORT_SIGNED
    else:
        assert app.state == FilingState.UNDER_EVALUATION
        expected = {"anonymous": 302, "university_staff": 403, "city_hrss": 403, "site_admin": 403}.get(role, 404)
        assert response.status_code == expected


def test_the_state_machine_itself_refuses_unauthorised_actors(world):
    """Beneath the views: run_transition checks the transition's permission against the actor."""
    app = case_in(world, FilingState.SUBMITTED)
    for intruder in (world.other_city_hrss, world.prov_hrss, world.staff, world.expert, world.admin):
        with pytest.raises(PermissionDenied):
            run_transition(app, "accept", actor=intruder, role="x")
    with pytest.raises(PermissionDenied):
        run_transition(app, "withdraw", actor=world.other_staff, role="x")
    app.refresh_from_db()
    assert app.state == FilingState.SUBMITTED


def test_state_field_is_protected(world):
    app = case_in(world, FilingState.DRAFT)
    with pytest.raises(AttributeError):
        app.state = FilingState.FILED


def test_withdraw_is_refused_after_acceptance(world, client):
    app = case_in(world, FilingState.ACCEPTED)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:withdraw", args=[app.pk]), follow=True)
    app.refresh_from_db()
    assert app.state == FilingState.ACCEPTED
    assert "不能执行该操作" in response.content.decode()


def test_a_case_may_be_withdrawn_as_a_draft_and_a_new_one_started(world):
    from applications.track_b import services

    app = case_in(world, FilingState.DRAFT)
    services.withdraw(app, user=world.staff)
    again, created = services.create_application(user=world.staff)
    assert created and again.pk != app.pk


def test_one_open_case_per_institution(world, client):
    app = case_in(world, FilingState.SUBMITTED)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:create"))
    assert response["Location"] == reverse("track_b:detail", args=[app.pk])
