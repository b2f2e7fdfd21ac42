"""考务 pages: the index, a session (planning, reporting, the office's objection and supervisor, results)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.track_b.models import Examiner
from portal import access
from portal.forms import posted_id
from portal.models import Occupation
from portal.pagecache import cached_page

from .. import selectors
from ..forms import DeadlineForm, NewPlanForm, ReasonForm, SessionForm, SupervisionForm
from ..models import DeclarationState, SessionState, UnemployedDeclaration
from ..services import results, sessions
from ..services.candidates import eligible_graduates
from ..services.common import current_filing
from .common import act, expected_state, get_session, own_institution, readable_history, to_session


@login_required
@require_GET
@cached_page
def index(request):
    access.require(request.user, "assessment.index")
    user = request.user
    institution = own_institution(request)
    context = {"institution": institution, "today": timezone.localdate()}
    if institution is not None:
        context.update({
            "filing": current_filing(institution), "plan_form": NewPlanForm(initial={"year": timezone.localdate().year}),
            "plans": selectors.plans_visible_to(user).filter(institution=institution)[:20],
            "sessions": selectors.own_sessions(user)[:50],
            "pending_declarations": UnemployedDeclaration.objects.filter(
                graduate__institution=institution, state=DeclarationState.DECLARED).count(),
        })
    if access.can(user, "assessment.oversight"):
        context["office_plans"] = (selectors.plans_visible_to(user).exclude(institution_id__in=access.institution_ids(user))
                                   .exclude(state="draft").order_by("state", "-reported_at")[:30])
        context["office_sessions"] = (selectors.sessions_visible_to(user).exclude(state=SessionState.DRAFT)
                                      .exclude(institution_id__in=access.institution_ids(user))
                                      .order_by("-start_date")[:50])
        context["deadline_form"] = DeadlineForm(initial={"year": timezone.localdate().year})
    work = selectors.work_sessions(user)
    if work:
        context["work_sessions"] = work[:50]
    return render(request, "assessment/index.html", context)


def _session_form_values(form):
    occupation_id, level = form.cleaned_data["occupation_level"].split(":")
    return {
        "occupation": Occupation.objects.get(pk=int(occupation_id)), "level": int(level),
        "job_type": form.cleaned_data["job_type"].strip(), "start_date": form.cleaned_data["start_date"],
        "end_date": form.cleaned_data["end_date"], "site": form.cleaned_data["site"],
        "examiners": list(Examiner.objects.filter(pk__in=[int(x) for x in form.cleaned_data["examiners"]])),
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request, pk=None):
    institution = own_institution(request)
    session = get_session(request, pk) if pk is not None else None
    if institution is None or not access.can(request.user, "assessment.manage", institution) or (
            session is not None and (session.institution_id != institution.pk or session.state != SessionState.DRAFT)):
        raise Http404
    filing = current_filing(institution)
    if filing is None:
        return render(request, "assessment/not_filed.html", status=200)
    initial = {}
    if session is not None:
        initial = {"occupation_level": f"{session.occupation_id}:{session.level}", "job_type": session.job_type,
                   "start_date": session.start_date, "end_date": session.end_date, "site": session.site,
                   "examiners": [str(e.examiner_id) for e in session.examiners.all()]}
    form = SessionForm(request.POST or None, filing=filing, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, ok = act(request, sessions.save_session, user=request.user, institution=institution, session=session,
                        **_session_form_values(form), success=_("已保存考务计划。"))
        if ok:
            return to_session(saved)
    return render(request, "assessment/session_form.html", {"form": form, "session": session, "filing": filing})


def _certificates_of(candidate):
    try:
        return candidate.result.certificates.all()
    except ObjectDoesNotExist:  # no result yet
        return []


@login_required
@require_GET
def session_detail(request, pk):
    session = get_session(request, pk)
    user = request.user
    own = access.can(user, "assessment.session_edit", session)
    office = access.can(user, "assessment.session_oversee", session)
    candidates = list(session.candidates.select_related("graduate", "confirmed_by", "first_by", "exemption")
                      .prefetch_related("result__certificates"))
    examiner = access.can(user, "assessment.score", session) or session.examiners.filter(user=user).exists()
    # Links only to what this user may open (an examiner sees the session, not the plan or the certificates). Every
    # certificate of the session has the same issuer, so one answer serves them all.
    issued = next((c for candidate in candidates for c in _certificates_of(candidate)), None)
    return render(request, "assessment/session_detail.html", {
        "session": session, "candidates": candidates, "examiners": session.examiners.select_related("examiner", "user"),
        "own": own, "office": office, "examiner": examiner,
        "plan_link": access.can(user, "assessment.plan_view", session.plan_line.plan),
        "certificate_links": issued is not None and access.can(user, "certificates.view", issued),
        "supervisor": access.can(user, "assessment.supervise", session),
        "may_score": access.can(user, "assessment.score", session),
        "show_ids": own, "today": timezone.localdate(), "history": readable_history(session),
        "supervision": getattr(session, "supervision", None) if hasattr(session, "supervision") else None,
        "supervisor_choices": sessions.supervisor_choices(session) if office else [],
        "eligible": eligible_graduates(session)[:300] if own and session.is_planning else [],
        "publish_problems": results.publish_problems(session) if own and session.state == SessionState.REPORTED else [],
        "reason_form": ReasonForm(),
        "supervision_form": SupervisionForm(instance=getattr(session, "supervision", None))
        if access.can(user, "assessment.supervise", session) else None,
        "passed": sum(1 for c in candidates if c.passed),
    })


def _action(request, pk, permission, func, success, **kwargs):
    session = get_session(request, pk)
    if not access.can(request.user, permission, session):
        raise Http404
    act(request, func, session, user=request.user, expected_state=expected_state(request), success=success, **kwargs)
    return to_session(session)


@login_required
@require_POST
def session_report(request, pk):
    return _action(request, pk, "assessment.session_edit", sessions.report_session, _("考务计划已报备备案部门。"))


@login_required
@require_POST
def session_cancel(request, pk):
    return _action(request, pk, "assessment.session_edit", sessions.cancel_session, _("场次已取消。"))


@login_required
@require_POST
def session_object(request, pk):
    return _action(request, pk, "assessment.session_oversee", sessions.object_session, _("异议已送达评价机构。"),
                   reason=request.POST.get("reason", ""))


@login_required
@require_POST
def session_lift(request, pk):
    return _action(request, pk, "assessment.session_oversee", sessions.lift_objection, _("已撤销异议。"))


@login_required
@require_POST
def session_answer(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_edit", session):
        raise Http404
    act(request, sessions.answer_objection, session, user=request.user, answer=request.POST.get("answer", ""),
        success=_("答复已送达备案部门。"))
    return to_session(session)


@login_required
@require_POST
def session_supervisor(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_oversee", session):
        raise Http404
    chosen = sessions.supervisor_choices(session).filter(pk=posted_id(request.POST, "supervisor")).first()
    if chosen is None:
        messages.error(request, _("请选择质量督导员。"))
        return to_session(session)
    act(request, sessions.name_supervisor, session, user=request.user, supervisor=chosen,
        success=_("已指派质量督导员。"))
    return to_session(session)


@login_required
@require_POST
def session_supervision(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.supervise", session):
        raise Http404
    form = SupervisionForm(request.POST)
    if form.is_valid():
        act(request, sessions.file_supervision, session, user=request.user, success=_("督导报告已提交。"),
            **form.cleaned_data)
    return to_session(session)


@login_required
@require_POST
def session_publish(request, pk):
    return _action(request, pk, "assessment.session_edit", results.publish, _("成绩已公布。"))


@login_required
@require_POST
def session_report_results(request, pk):
    return _action(request, pk, "assessment.session_edit", results.report_results, _("认定结果已报备备案部门。"))


@login_required
@require_POST
def session_suspend(request, pk):
    return _action(request, pk, "assessment.session_oversee", results.suspend, _("已暂停该场次的发证。"),
                   reason=request.POST.get("reason", ""))


@login_required
@require_POST
def session_lift_suspension(request, pk):
    return _action(request, pk, "assessment.session_oversee", results.lift_suspension, _("已恢复该场次的发证。"))


@login_required
@require_POST
def session_issue(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_edit", session):
        raise Http404
    batch, ok = act(request, results.issue, session, user=request.user, success=_("已开始批量发证。"))
    if ok:
        return redirect("certificates:batch", pk=batch.pk)
    return to_session(session)
