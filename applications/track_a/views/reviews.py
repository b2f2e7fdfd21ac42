"""The provincial expert review's pages: the group (proposed by 省教育厅, confirmed by 省人社厅), each expert's opinion,
the group's reports (the leader drafts, every member signs), and the office acting on a signed report.

Who sees the group page: both provincial offices (they see everything the experts see) and the experts of the
confirmed group; anyone else gets 404. Who acts: checked again by the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.track_a import expert_forms as forms
from applications.track_a import services
from applications.track_a.models import GroupReport, GroupState, State
from applications.workflow import WorkflowError
from portal import access
from portal.models import Role

from .common import _application, _detail, _form_action


def _group(request, pk):
    """(application, current group or None) — 404 unless the user may see the group."""
    app = _application(request, pk)
    group = services.current_group(app)
    if not access.can(request.user, "track_a.view_group", group):
        raise Http404
    return app, group


def _to_group(app):
    return redirect("track_a:expert_group", pk=app.pk)


@login_required
def expert_group(request, pk):
    app, group = _group(request, pk)
    context = {"app": app, "group": group, "State": State, "GroupState": GroupState,
               "can_propose": app.state == State.AT_PROVINCE and access.can(request.user, "track_a.province_review", app)
               and (group is None or group.state == GroupState.PROPOSED),
               "can_confirm": group is not None and group.state == GroupState.PROPOSED
               and access.can(request.user, "track_a.confirm_group", group)}
    if group is not None:
        context.update(services.group_view(group, request.user))
    return render(request, "track_a/expert_group.html", context)


@login_required
def group_propose(request, pk):
    app = _application(request, pk)
    access.require(request.user, "track_a.province_review", app)
    group = services.current_group(app)
    initial = {}
    if group is not None:
        members = list(group.members.all())
        initial = {"experts": [m.expert for m in members],
                   "leader": next((m.expert for m in members if m.is_leader), None)}
    form = forms.ProposeGroupForm(request.POST or None, application=app, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.propose_group(
            application=app, actor=request.user, experts=list(form.cleaned_data["experts"]),
            leader=form.cleaned_data["leader"]), success=_("已提出论证专家组，待省人社厅确认。"), back=_to_group(app))
        if done is not None:
            return done
    return render(request, "track_a/group_form.html", {"app": app, "form": form, "title": _("提出论证专家组"),
                                                        "button": _("提交省人社厅确认")})


@login_required
def group_confirm(request, pk):
    app, group = _group(request, pk)
    if group is None:
        raise Http404
    access.require(request.user, "track_a.confirm_group", group)
    form = forms.ConfirmGroupForm(request.POST or None, application=app, group=group,
                                  initial={"expected_state": group.state})
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.confirm_group(
            group=group, actor=request.user, add=list(form.cleaned_data["add"]),
            expected_state=form.cleaned_data["expected_state"]),
            success=_("已确认论证专家组，专家可以开始论证。"), back=_to_group(app))
        if done is not None:
            return done
    return render(request, "track_a/group_form.html", {
        "app": app, "form": form, "title": _("确认论证专家组"), "button": _("确认专家组"),
        "members": group.members.select_related("expert__user")})


def _member(request, group):
    member = services.member_of(group, request.user)
    if member is None or group.state != GroupState.CONFIRMED or not access.has_role(request.user, Role.EXPERT):
        raise PermissionDenied("track_a.group_member")
    return member


@login_required
def expert_opinion(request, pk):
    app, group = _group(request, pk)
    if group is None:
        raise Http404
    member = _member(request, group)
    existing = getattr(member, "opinion", None) if hasattr(member, "opinion") else None
    form = forms.OpinionForm(request.POST or None, initial={"score": getattr(existing, "score", None),
                                                            "opinion": getattr(existing, "opinion", "")})
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.save_opinion(
            group=group, actor=request.user, score=form.cleaned_data["score"], opinion=form.cleaned_data["opinion"]),
            success=_("个人论证意见已保存。"), back=_to_group(app))
        if done is not None:
            return done
    return render(request, "track_a/group_form.html", {"app": app, "form": form, "title": _("个人论证意见"),
                                                        "button": _("保存"), "read_application": True})


@login_required
def group_conflict(request, pk):
    """A member declares their own conflict (回避) and leaves the group."""
    app, group = _group(request, pk)
    if group is None:
        raise Http404
    _member(request, group)
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.declare_conflict(
            group=group, actor=request.user, reason=form.cleaned_data["reason"]),
            success=_("已申请回避并退出专家组；省教育厅、省人社厅已收到通知。"), back=_detail(app))
        if done is not None:
            return done
    return render(request, "track_a/group_form.html", {"app": app, "form": form, "title": _("申请回避"),
                                                        "button": _("申请回避并退出专家组")})


def _kind(kind):
    if kind not in GroupReport.Kind.values:
        raise Http404
    return kind


@login_required
def group_report(request, pk, kind):
    """The leader drafts the report; an edit after a signature clears every signature."""
    app, group = _group(request, pk)
    kind = _kind(kind)
    if group is None:
        raise Http404
    member = _member(request, group)
    if not member.is_leader:
        raise PermissionDenied("track_a.group_leader")
    report = services.report_of(group, kind) or GroupReport(group=group, kind=kind)
    form = forms.report_form(kind, request.POST or None, instance=report,
                             initial={"expected_version": report.version})
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in report.fields}
        done = _form_action(request, form, lambda: services.save_report(
            group=group, actor=request.user, kind=kind, fields=fields,
            expected_version=form.cleaned_data["expected_version"]),
            success=lambda saved: _("报告已保存。") + (_("原有签字已清除，请专家重新签字。") if saved[1] else ""),
            back=_to_group(app))
        if done is not None:
            return done
    return render(request, "track_a/group_form.html", {
        "app": app, "form": form, "title": GroupReport.Kind(kind).label, "button": _("保存报告"),
        "read_application": True})


@login_required
@require_POST
def group_sign(request, pk, kind):
    app, group = _group(request, pk)
    kind = _kind(kind)
    if group is None:
        raise Http404
    _member(request, group)
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请刷新页面后再签字。"))
        return _to_group(app)
    try:
        services.sign_report(group=group, actor=request.user, kind=kind,
                             expected_version=form.cleaned_data["expected_version"])
    except ValidationError as exc:
        messages.error(request, _("尚不能签字：") + "；".join(exc.messages))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已签字。"))
    return _to_group(app)


def _act(request, pk, *, kind, service, title):
    """省教育厅 acts on the group's signed report: the conclusion is the experts'."""
    app = _application(request, pk)
    access.require(request.user, "track_a.province_review", app)
    group = services.current_group(app)
    report = services.report_of(group, kind)
    form = forms.ActOnReportForm(request.POST or None, initial={"expected_state": app.state})
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: service(
            application=app, actor=request.user, expected_state=form.cleaned_data["expected_state"]),
            success=_("已办理。"), back=_detail(app))
        if done is not None:
            return done
    return render(request, "track_a/group_act.html", {
        "app": app, "form": form, "title": title, "group": group, "report": report,
        "rows": services.report_rows(report), "complete": services.is_signed_by_all(report)})


@login_required
def document_review(request, pk):
    return _act(request, pk, kind=GroupReport.Kind.REVIEW, service=services.document_review, title=_("专家论证"))


@login_required
def site_evaluation(request, pk):
    return _act(request, pk, kind=GroupReport.Kind.SITE, service=services.site_evaluation, title=_("实地评估"))
