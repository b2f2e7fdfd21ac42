"""``_form_action``: the one way a Track A action page handles its service's answer — refused values on the form,
a workflow refusal (someone acted first) as a message and back to where the user came from, success likewise."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.test import RequestFactory
from django.urls import reverse

from applications.track_a.models import CommitteeState
from applications.track_a.views.common import _form_action
from applications.workflow import WorkflowError
from tests.track_a import factories as f


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _form():
    form = forms.Form({})
    assert form.is_valid()
    return form


def _raise(exc):
    raise exc


def test_refused_values_stay_on_the_form_each_message_on_its_own():
    request, form, back = _request(), _form(), HttpResponseRedirect("/back/")
    done = _form_action(request, form, lambda: _raise(ValidationError(["委员人数应为单数。", "任期不超过3年。"])),
                        success="已办理。", back=back)
    assert done is None  # the caller renders the page again, with the form's errors
    assert form.non_field_errors() == ["委员人数应为单数。", "任期不超过3年。"]
    assert list(get_messages(request)) == []


def test_a_workflow_refusal_is_a_message_and_back():
    request, form, back = _request(), _form(), HttpResponseRedirect("/back/")
    done = _form_action(request, form, lambda: _raise(WorkflowError("该事项已由他人处理。")), success="已办理。", back=back)
    assert done is back and not form.errors
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "该事项已由他人处理。")]


def test_success_says_so_and_may_read_the_result():
    request, form, back = _request(), _form(), HttpResponseRedirect("/back/")
    done = _form_action(request, form, lambda: ("report", 2), success=lambda saved: f"已清除{saved[1]}个签字。",
                        back=back)
    assert done is back
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("success", "已清除2个签字。")]


def test_a_decision_on_a_committee_someone_else_moved_on_is_refused_not_applied(world, login):
    """The provincial HRSS decides on what they saw (``expected_state``): the committee was returned meanwhile."""
    committee = f.committee(world, "returned")
    client = login(world.prov_hrss)
    response = client.post(reverse("track_a:committee_review", args=[committee.pk]),
                           {"expected_state": "filed", "decision": "approve"}, follow=True)
    assert response.redirect_chain == [(reverse("track_a:committee_detail", args=[committee.pk]), 302)]
    assert "请刷新页面" in response.content.decode()
    committee.refresh_from_db()
    assert committee.state == CommitteeState.RETURNED and committee.approved_at is None
