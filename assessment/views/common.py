"""Helpers shared by the assessment views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from applications.workflow import WorkflowError, history
from portal import access

from .. import selectors
from ..models import AnnualPlan, Session
from ..services.common import AssessmentError


def own_institution(request):
    """The institution a staff member acts for (their first)."""
    ids = sorted(access.institution_ids(request.user))
    if not ids:
        return None
    return next(a.institution for a in access.roles_of(request.user) if a.institution_id == ids[0])


def get_session(request, pk):
    try:
        session = selectors.sessions_visible_to(request.user).get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    if not access.can(request.user, "assessment.session_view", session):
        raise Http404
    return session


def get_plan(request, pk):
    try:
        plan = selectors.plans_visible_to(request.user).get(pk=pk)
    except AnnualPlan.DoesNotExist:
        raise Http404 from None
    if not access.can(request.user, "assessment.plan_view", plan):
        raise Http404
    return plan


TRANSITIONS = {
    "report": _("报告/报备"), "acknowledge": _("知悉"), "comment": _("提出意见"), "raise_objection": _("提出异议"),
    "lift_objection": _("撤销异议"), "cancel": _("取消"), "publish_results": _("公布成绩"),
    "report_results": _("认定结果报备"), "suspend": _("暂停发证"), "lift_suspension": _("恢复发证"),
}


def readable_history(obj):
    """The transition log with Chinese labels for the action and the states."""
    states = dict(type(obj)._meta.get_field("state").flatchoices)
    return [{"at": e.at, "actor": e.actor, "actor_name": e.actor_name, "comment": e.comment,
             "transition": TRANSITIONS.get(e.transition, e.transition),
             "source": states.get(e.source, e.source), "target": states.get(e.target, e.target)}
            for e in history(obj)]


def expected_state(request):
    return request.POST.get("expected_state") or None


def act(request, func, *args, success, **kwargs):
    """Calls a service; a refusal becomes messages on the page. Returns (result, ok)."""
    try:
        result = func(*args, **kwargs)
    except AssessmentError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None, False
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return None, False
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, success)
    return result, True


def to_session(session):
    return redirect("assessment:session", pk=session.pk)
