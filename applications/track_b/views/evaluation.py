"""The office forms the panel; the panel drafts and signs 附件5; the office files or refuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError
from portal import access

from .. import selectors, services
from ..access import membership
from ..forms import FilingForm, ReasonForm, ReportForm
from ..models import EvaluationReport, FilingState, PanelMember
from .common import back_to_detail, expected_state, get_application, run_action


@login_required
def panel(request, pk):
    """The receiving office picks the panel from the expert pool (≥ 2/3 external; 回避 enforced)."""
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    if app.state not in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION):
        messages.error(request, _("当前状态为“%(state)s”，不能组建或调整专家组。") % {"state": app.get_state_display()})
        return back_to_detail(app)
    current = {m.expert_id: m for m in app.panel.all()}
    chosen_ids = set(current)
    leader_id = next((i for i, m in current.items() if m.is_leader), None)
    errors = []
    if request.method == "POST":
        chosen_ids = {int(i) for i in request.POST.getlist("experts") if i.isdigit()}
        leader = request.POST.get("leader", "")
        leader_id = int(leader) if leader.isdigit() else None
        try:
            services.assign_panel(app, user=request.user, expert_ids=sorted(chosen_ids), leader_id=leader_id,
                                  expected_state=expected_state(request))
        except services.TrackBError as exc:
            errors = exc.messages
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return back_to_detail(app)
        else:
            messages.success(request, _("专家组已确定，专家将收到通知。"))
            return back_to_detail(app)
    staff_ids, listed_ids = services.listed_people(app)
    conflicts = services.conflicts_of(app)
    pool = []
    for profile in selectors.expert_pool():
        kind, employer = services.classify_expert(profile, app, listed_ids=listed_ids, staff_ids=staff_ids,
                                                  conflicts=conflicts)
        pool.append({"profile": profile, "kind": kind, "employer": employer,
                     "conflict": conflicts.get(profile.user_id, ""),
                     "chosen": profile.user_id in chosen_ids, "leader": profile.user_id == leader_id})
    return render(request, "track_b/panel.html", {
        "app": app, "pool": pool, "errors": errors, "min_size": services.PANEL_MIN_SIZE,
        "declared": selectors.declared_conflicts(app),
    })


@login_required
@require_POST
def declare_conflict(request, pk):
    """A panel expert declares their own conflict of interest (回避) and leaves the panel."""
    app = get_application(request, pk)
    access.require(request.user, "track_b.declare_conflict", app)
    try:
        services.declare_conflict(app, user=request.user, reason=request.POST.get("reason", ""))
    except (services.TrackBError, WorkflowError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        return redirect("track_b:report", pk=app.pk)
    messages.success(request, _("已声明回避：您已退出该申请的评估论证专家组，受理部门将另行调整专家组。"))
    return redirect("track_b:index")


@login_required
def report(request, pk):
    """附件5: the leader edits it; every member reads and signs; the office and (once signed) the school read it."""
    app = get_application(request, pk)
    user = request.user
    access.require(user, "track_b.view_report", app)
    report = EvaluationReport.objects.filter(application=app).prefetch_related("conclusions__occupation").first()
    if report is None:
        messages.info(request, _("专家组尚未组建，暂无评估论证报告。"))
        return back_to_detail(app)
    occupations = services.applied_occupations(app)
    conclusions = {c.occupation_id: c.target for c in report.conclusions.all()}
    may_edit = access.can(user, "track_b.edit_report", app) and app.state == FilingState.UNDER_EVALUATION
    form = None
    if may_edit:
        if request.method == "POST":
            form = ReportForm(request.POST, instance=report, occupations=occupations, conclusions=conclusions)
            if form.is_valid():
                try:
                    _report, cleared = services.save_report(
                        app, user=user, fields=form.report_fields(), conclusions=form.conclusions(),
                        expected_version=request.POST.get("version"))
                except WorkflowError as exc:
                    messages.error(request, str(exc))
                else:
                    msg = _("报告已保存。")
                    if cleared:
                        msg += _("内容已修改，%(n)d位专家的签字已清除，需重新签字。") % {"n": cleared}
                    messages.success(request, msg)
                return redirect("track_b:report", pk=app.pk)
        else:
            form = ReportForm(instance=report, occupations=occupations, conclusions=conclusions)
    elif request.method == "POST":
        raise PermissionDenied("track_b.edit_report")
    members = list(PanelMember.objects.filter(application=app).select_related("expert"))
    signatures = {s.member_id: s for s in report.signatures.all()}
    for m in members:
        m.signature = signatures.get(m.pk)
    me = membership(user, app)
    return render(request, "track_b/report.html", {
        "app": app, "report": report, "form": form, "members": members,
        "conclusions": list(report.conclusions.all()), "me": me, "my_signature": signatures.get(me.pk) if me else None,
        "problems": services.report_problems(report, app),
        "may_sign": me is not None and app.state == FilingState.UNDER_EVALUATION,
        "may_declare": me is not None and access.can(user, "track_b.declare_conflict", app)
        and app.state in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION),
        "reopens": selectors.reopen_reasons(app),
    })


@login_required
@require_POST
def sign(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.sign_report", app)
    result, ok = run_action(request, services.sign_report, app, user=request.user,
                            expected_version=request.POST.get("version", "-1"), success=_("已签字确认。"))
    if ok and result.state == FilingState.REPORT_SIGNED:
        messages.success(request, _("专家组全体成员已签字，报告定稿，受理部门将收到通知。"))
    return redirect("track_b:report", pk=app.pk)


@login_required
@require_POST
def reopen(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    run_action(request, services.reopen_evaluation, app, user=request.user, reasons=request.POST.get("reasons", ""),
               expected_state=expected_state(request), success=_("已退回专家组重新论证，原签字已清除。"))
    return back_to_detail(app)


@login_required
def file(request, pk):
    """备案: the occupations and highest levels the report supports (never above 三级/高级工)."""
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    if app.state != FilingState.REPORT_SIGNED:
        messages.error(request, _("评估论证报告经专家组全体签字后方可办理备案。"))
        return back_to_detail(app)
    supported = services.supported_levels(app)
    initial = {"opinion": _("经评估论证，同意该单位备案开展职业技能等级认定，备案职业（工种）及等级见备案回执。")}
    errors = []
    if request.method == "POST":
        form = FilingForm(request.POST, supported=supported, initial=initial)
        if form.is_valid():
            try:
                result = services.file_application(app, user=request.user, levels=form.levels(),
                                                   opinion=form.cleaned_data["opinion"],
                                                   expected_state=expected_state(request))
            except services.TrackBError as exc:
                errors = exc.messages
            except WorkflowError as exc:
                messages.error(request, str(exc))
                return back_to_detail(app)
            else:
                messages.success(request, _("已备案，备案编号 %(code)s。备案回执已生成。") % {"code": result.filing_code})
                return back_to_detail(app)
    else:
        form = FilingForm(supported=supported, initial=initial)
    return render(request, "track_b/file.html", {"app": app, "form": form, "errors": errors,
                                                 "reason_form": ReasonForm()})


@login_required
@require_POST
def refuse(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    run_action(request, services.refuse_filing, app, user=request.user, reasons=request.POST.get("reasons", ""),
               expected_state=expected_state(request), success=_("已作出不予备案决定，申报单位将收到通知。"))
    return back_to_detail(app)
