"""Every transition tells whoever must act next (in-app; e-mail when configured)."""

import pytest
from django.core import mail

from applications.track_b import services
from applications.track_b.models import FilingState
from portal.models import Notification
from tests.track_b.factories import REPORT, case_in, new_case, panel_of


def _recipients(since):
    return set(Notification.objects.filter(pk__gt=since).values_list("recipient__username", flat=True))


def _last():
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_each_step_notifies_the_next_actor(world):
    app = new_case(world)
    mark = _last()
    app = services.submit(app, user=world.staff)
    assert _recipients(mark) == {"city_hrss"}
    mark = _last()
    app = services.return_for_revision(app, user=world.city_hrss, reasons="补充")
    assert _recipients(mark) == {"staff"}
    app = services.submit(app, user=world.staff)
    mark = _last()
    app = services.accept(app, user=world.city_hrss)
    assert _recipients(mark) == {"staff"}
    mark = _last()
    leader, a, b = panel_of(world, world.inst)
    app = services.assign_panel(app, user=world.city_hrss, expert_ids=[leader.pk, a.pk, b.pk], leader_id=leader.pk)
    assert _recipients(mark) == {"expert", "ext_a", "ext_b", "staff"}
    report, _ = services.save_report(app, user=leader, fields=dict(REPORT),
                                     conclusions={o.pk: 3 for o in services.applied_occupations(app)})
    for expert in (leader, a):
        services.sign_report(app, user=expert, expected_version=report.version)
    mark = _last()
    app = services.sign_report(app, user=b, expected_version=report.version)
    assert _recipients(mark) == {"city_hrss"}
    mark = _last()
    services.file_application(app, user=world.city_hrss, levels={o.pk: 3 for o in services.applied_occupations(app)},
                              opinion="同意")
    assert _recipients(mark) == {"staff"}
    link = Notification.objects.filter(recipient=world.staff).order_by("-pk").first().link
    assert link == f"/filing/{app.pk}/"


@pytest.mark.parametrize("state, func, kwargs, who", [
    (FilingState.SUBMITTED, services.withdraw, {}, {"city_hrss"}),
    (FilingState.REPORT_SIGNED, services.refuse_filing, {"reasons": "不足"}, {"staff"}),
    (FilingState.REPORT_SIGNED, services.reopen_evaluation, {"reasons": "补充"}, {"expert", "ext_a", "ext_b"}),
])
def test_other_transitions_notify(state, func, kwargs, who, world):
    app = case_in(world, state)
    mark = _last()
    actor = world.staff if func is services.withdraw else world.city_hrss
    func(app, user=actor, **kwargs)
    assert _recipients(mark) == who


def test_email_when_configured(world, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_EMAIL_ENABLED = True
    world.city_hrss.email = "hrss@maanshan.example.cn"
    world.city_hrss.save()
    app = new_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(app, user=world.staff)
    assert [m.to for m in mail.outbox if "请受理" in m.subject] == [["hrss@maanshan.example.cn"]]
