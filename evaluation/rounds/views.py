"""HTTP only: parse, ask access/selectors, call a service, render. A round or application the user may not
see is a 404; one they see but may not act on is a 403. The public notices are in ``public.py``."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import workflow
from applications.workflow import WorkflowError
from evaluation import selectors as evaluation_selectors
from evaluation.verdicts import VerdictView
from portal import access, audit, exports
from portal.models import Role

from . import clock, deadlines, forms, reports, selectors, services
from .labels import TRANSITION_LABELS
from .models import (
    ROUND_STEPS,
    ApplicationEvidence,
    ApplicationState,
    Decision,
    EvaluationRound,
    EvidenceKind,
    Objection,
    ObjectionState,
    RereviewRequest,
    RereviewState,
    RoundState,
    Stage,
)
from .panels import outcome
from .services.common import verdict_for
from .workdays import CalendarMissing

PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------------------------------

def _round(request, pk):
    rnd = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    if not access.can(request.user, "rounds.view_round", rnd):
        raise Http404
    return rnd


def _application(request, pk):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not access.can(request.user, "rounds.view_application", application):
        raise Http404
    return application


def _errors(request, exc):
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc)]):
        messages.error(request, message)


def _to_round(rnd):
    return redirect("rounds:detail", pk=rnd.pk)


def _to_application(application):
    return redirect("rounds:application", pk=application.pk)


def history(obj):
    """The transition log with labels instead of codes; a committee member's act shows as the committee's."""
    states = dict(type(obj)._meta.get_field("state").flatchoices)
    roles = dict(Role.choices)
    return [{"at": e.at, "who": _("评委会") if e.role == Role.EXPERT  # 专家名单一般不对外公布: no member's name
             else (e.actor.display_name if e.actor else e.actor_name), "role": roles.get(e.role, e.role),
             "source": states.get(e.source, e.source), "target": states.get(e.target, e.target),
             "transition": TRANSITION_LABELS.get(e.transition, e.transition), "comment": e.comment}
            for e in workflow.history(obj)]


def _serve(field, filename):
    if not field:
        raise Http404
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=mimetypes.guess_type(field.name)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _staff_institution(user):
    for assignment in access.roles_of(user):
        if assignment.role == Role.UNIVERSITY_STAFF and assignment.institution_id:
            return assignment.institution
    return None


def deadline_info(rnd, today):
    """Days left to 31 December, working days left, and the earliest finish — or the calendar's error."""
    info = {"days_left": deadlines.days_left(rnd, today), "year_end": rnd.year_end}
    try:
        info["working_days_left"] = deadlines.working_days_left(rnd, today)
        info["finish"] = deadlines.earliest_finish(rnd, today)
        info["late"] = info["finish"] is None
    except CalendarMissing as exc:
        info["calendar_error"] = exc.messages[0]
        info["late"] = False
    return info


# --- lists ------------------------------------------------------------------------------------------------------------

@login_required
def index(request):
    user = request.user
    rounds = selectors.with_counts(selectors.rounds_visible_to(user)).order_by("-graduation_year", "institution_id")
    page = Paginator(rounds, 30).get_page(request.GET.get("page"))
    institution = _staff_institution(user)
    return render(request, "rounds/index.html", {
        "page": page, "institution": institution, "today": clock.today(),
        "can_open": institution is not None and access.can(user, "rounds.open_round", institution),
        "mine": list(selectors.my_applications(user)[:20]),
    })


@login_required
def my(request):
    """A graduate's own applications, and the open rounds they may apply in."""
    graduates = list(selectors.own_graduates(request.user))
    applications = list(selectors.my_applications(request.user))
    taken = {(a.round_id, a.graduate_id) for a in applications if a.state != ApplicationState.WITHDRAWN}
    open_rounds = [(r, g) for r in selectors.open_rounds_for(graduates) for g in graduates
                   if g.institution_id == r.institution_id and g.graduation_year == r.graduation_year
                   and (r.pk, g.pk) not in taken]
    return render(request, "rounds/my.html", {"graduates": graduates, "applications": applications,
                                              "open_rounds": open_rounds, "today": clock.today()})


# --- opening a round ---------------------------------------------------------------------------------------------------

@login_required
def open_round(request):
    from applications.track_a.selectors import (
        committee_standard_version,
        filed_committee_for,
        granted_authority_for,
    )

    institution = _staff_institution(request.user)
    access.require(request.user, "rounds.open_round", institution)
    authority = granted_authority_for(institution)
    committee = filed_committee_for(institution)
    # The standard a round uses is the version its committee's current 核准备案 carries (附件2 二(三)).
    version = committee_standard_version(committee) if committee else None
    today = clock.today()
    years = sorted({y for y in evaluation_selectors.cohort_years([institution.pk]) if y >= today.year}
                   | {today.year}, reverse=True)
    form = None
    if authority is not None:
        form = forms.OpenRoundForm(request.POST or None, authority=authority, years=years)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rnd = services.open_round(institution=institution, actor=request.user,
                                          graduation_year=data["graduation_year"], majors=data["majors"],
                                          levels=data["levels"], application_deadline=data["application_deadline"])
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("已发起%(name)s。") % {"name": rnd.name})
                return _to_round(rnd)
    return render(request, "rounds/open.html", {"institution": institution, "authority": authority,
                                                "committee": committee, "version": version, "form": form,
                                                "today": today})


# --- the round ---------------------------------------------------------------------------------------------------------

@login_required
def detail(request, pk):
    rnd = _round(request, pk)
    user = request.user
    today = clock.today()
    state = request.GET.get("state", "")
    if state not in ApplicationState.values:
        state = ""
    q = request.GET.get("q", "").strip()[:32]
    # Supervising offices get counts, not names: rounds.view_personal (issue 14 #10).
    with_people = access.can(user, "rounds.view_personal", rnd)
    page = None
    if with_people:
        apps = selectors.applications_of(rnd, state=state, q=q)
        page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.state_counts(rnd)
    notices = {n.stage: n for n in rnd.notices.all()}
    manage = access.can(user, "rounds.manage_round", rnd)
    open_objections = selectors.open_objections(rnd).count()
    context = {
        "round": rnd, "page": page, "with_people": with_people, "state": state, "q": q, "today": today,
        "query": "&".join(p for p in (f"state={state}" if state else "", f"q={q}" if q else "") if p),
        "counts": [(s, label, counts.get(s, 0)) for s, label in ApplicationState.choices if counts.get(s)],
        "total": sum(counts.values()), "deadline": deadline_info(rnd, today), "steps": ROUND_STEPS,
        "step_labels": dict(RoundState.choices), "candidates_notice": notices.get(Stage.CANDIDATES),
        "results_notice": notices.get(Stage.RESULTS), "open_objections": open_objections,
        "manage": manage, "can_enrol": manage and rnd.state == RoundState.OPEN,
        "meetings": list(rnd.meetings.all()),
        "history": history(rnd), "standard": rnd.standard_version, "authority": rnd.authority,
    }
    if manage:
        notice_form = forms.NoticeForm(initial={"starts_on": today, "expected_state": rnd.state})
        context["notice_form"] = notice_form
        context["finalise_form"] = forms.FinaliseForm(initial={"expected_state": rnd.state})
        if rnd.state == RoundState.OPEN:
            try:
                context["preview_end"] = deadlines.notice_end(today, limit=rnd.year_end)
            except CalendarMissing:
                context["preview_end"] = None
    return render(request, "rounds/detail.html", context)


def _round_post(request, pk, service, success, *, form_class=None, **extra):
    rnd = _round(request, pk)
    access.require(request.user, "rounds.manage_round", rnd)
    values = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return _to_round(rnd)
        values = dict(form.cleaned_data)
    expected = values.pop("expected_state", None) or request.POST.get("expected_state") or None
    try:
        rnd = service(round=rnd, actor=request.user, expected_state=expected, **values, **extra)
    except (ValidationError, WorkflowError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return _to_round(rnd)


@login_required
@require_POST
def publish_candidates(request, pk):
    return _round_post(request, pk, services.publish_candidates, _("评审对象公示已发布。"), form_class=forms.NoticeForm)


@login_required
@require_POST
def close_notice(request, pk):
    return _round_post(request, pk, services.close_candidates_notice, _("公示期满，评审对象已提交评委会评审。"))


@login_required
@require_POST
def publish_results(request, pk):
    return _round_post(request, pk, services.publish_results, _("评审结果公示已发布。"), form_class=forms.NoticeForm)


@login_required
@require_POST
def finalise(request, pk):
    return _round_post(request, pk, services.finalise, _("评审结果已确定。"), form_class=forms.FinaliseForm)


# --- objections ----------------------------------------------------------------------------------------------------------

@login_required
def objections(request, pk):
    rnd = _round(request, pk)
    answer = access.can(request.user, "rounds.answer_objection", rnd) and rnd.state != RoundState.FINALISED
    items = list(selectors.objections_of(rnd))
    return render(request, "rounds/objections.html", {
        "round": rnd, "objections": items, "can_answer": answer, "form": forms.AnswerForm(),
        "open_count": sum(1 for o in items if o.state == ObjectionState.OPEN)})


@login_required
@require_POST
def answer_objection(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("notice__round", "entry__application"), pk=pk)
    rnd = _round(request, objection.notice.round_id)
    access.require(request.user, "rounds.answer_objection", objection)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_objection(objection=objection, actor=request.user, outcome=form.cleaned_data["outcome"],
                                      answer=form.cleaned_data["answer"], revoke=form.cleaned_data["revoke"])
        except (ValidationError, WorkflowError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已书面答复异议（受理编号 %(receipt)s）。") % {"receipt": objection.receipt})
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("rounds:objections", pk=rnd.pk)


# --- reports and decisions -----------------------------------------------------------------------------------------------

@login_required
def report(request, pk):
    rnd = _round(request, pk)
    return render(request, "rounds/report.html", {"round": rnd, "report": reports.round_report(rnd)})


@login_required
def report_xlsx(request, pk):
    rnd = _round(request, pk)
    with_people = access.can(request.user, "rounds.view_personal", rnd)
    data = reports.report_xlsx(rnd, reports.round_report(rnd), with_people=with_people)
    audit.record(actor=request.user, action="rounds.export_report", obj=rnd,
                 role=Role.UNIVERSITY_STAFF if rnd.institution_id in access.institution_ids(request.user) else "",
                 changes={"with_people": with_people})
    return exports.download(data, f"{rnd.name}-统计.xlsx", exports.XLSX_TYPE)


@login_required
def decisions(request, pk):
    rnd = _round(request, pk)
    current = list(selectors.current_decisions(rnd))
    earlier = list(selectors.superseded_decisions(rnd))
    return render(request, "rounds/decisions.html", {
        "round": rnd, "decisions": current, "earlier": earlier,
        "can_rereview": access.can(request.user, "rounds.manage_round", rnd),
        "pending": set(RereviewRequest.objects.filter(decision__round=rnd, state=RereviewState.PENDING)
                       .values_list("decision_id", flat=True)),
        "passed": sum(1 for d in current if d.passed)})


# --- applications --------------------------------------------------------------------------------------------------------

def _save_files(request, application, form):
    for kind, upload in form.files_by_kind():
        services.add_evidence(application=application, actor=request.user, kind=kind, upload=upload)


def _application_form_view(request, rnd, *, graduate=None, graduates=None, template="rounds/application_form.html"):
    """Apply (``graduate`` given) or enrol (``graduates`` given): create, attach files, and submit if asked."""
    verdict = verdict_for(graduate, rnd) if graduate is not None else None
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, round=rnd, graduates=graduates,
                                 verdict_level=verdict.level if verdict else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        who = data.get("graduate") or graduate
        try:
            application = services.create_application(
                round=rnd, graduate=who, actor=request.user, level=data["level"],
                employer_kind=data["employer_kind"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            try:
                _save_files(request, application, form)
                if "submit" in request.POST:
                    services.submit_application(application=application, actor=request.user,
                                                expected_state=ApplicationState.DRAFT)
                    messages.success(request, _("申报已提交，等待学校资格审查。"))
                else:
                    messages.success(request, _("已保存申报草稿。"))
            except (ValidationError, WorkflowError) as exc:
                _errors(request, exc)
                messages.info(request, _("申报已保存为草稿，请补充后提交。"))
            return _to_application(application)
    return render(request, template, {"round": rnd, "form": form, "graduate": graduate,
                                      "verdict": VerdictView.of(verdict) if verdict else None,
                                      "enrol": graduates is not None})


@login_required
def apply(request, pk):
    """A graduate applies from their own account."""
    rnd = get_object_or_404(EvaluationRound.objects.select_related("institution", "standard_version"), pk=pk)
    if not access.can(request.user, "rounds.apply", rnd):
        # 403 only to those who may see the round; to anyone else it does not exist (issue 14 #10).
        if not selectors.rounds_visible_to(request.user).filter(pk=rnd.pk).exists():
            raise Http404
        raise PermissionDenied
    graduate = selectors.own_graduates(request.user).filter(institution_id=rnd.institution_id,
                                                            graduation_year=rnd.graduation_year).first()
    existing = selectors.active_application(rnd, graduate)
    if existing is not None:
        return _to_application(existing)
    return _application_form_view(request, rnd, graduate=graduate)


@login_required
def enrol(request, pk):
    """The school enrols a graduate (代为申报)."""
    rnd = _round(request, pk)
    access.require(request.user, "rounds.enrol", rnd)
    return _application_form_view(request, rnd, graduates=selectors.enrollable_graduates(rnd))


@login_required
def application(request, pk):
    app = _application(request, pk)
    user = request.user
    rnd = app.round
    view = VerdictView(app.verdict) if app.verdict else None
    evidence = list(app.evidence.all())
    ballot = (app.tallies.exclude(outcome="deferred").order_by("-id").first()
              if rnd.state in (RoundState.VOTED, RoundState.RESULTS_NOTICE, RoundState.FINALISED) else None)
    decisions_ = list(Decision.objects.filter(application=app).select_related("supersedes").order_by("id"))
    rereviews = list(RereviewRequest.objects.filter(decision__application=app).order_by("id"))
    editable = access.can(user, "rounds.edit_application", app)
    return render(request, "rounds/application.html", {
        "app": app, "round": rnd, "graduate": app.graduate, "verdict": view, "evidence": evidence,
        "missing": services.missing_evidence(app) if app.is_editable else [],
        "editable": editable, "evidence_form": forms.EvidenceForm() if editable else None,
        "can_review": access.can(user, "rounds.review_application", app) and app.state == ApplicationState.SUBMITTED
        and rnd.state == RoundState.OPEN,
        "review_form": forms.ReviewForm(initial={"expected_state": app.state}),
        "can_withdraw": access.can(user, "rounds.withdraw_application", app) and rnd.state == RoundState.OPEN
        and app.state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.RETURNED),
        "ballot": ballot, "decisions": decisions_, "history": history(app),
        "status": outcome(app, decisions_[-1] if decisions_ else None),
        "is_applicant": app.graduate.user_id == user.pk,
        "can_rereview": bool(decisions_) and not any(r.state == RereviewState.PENDING for r in rereviews)
        and access.can(user, "rounds.request_rereview", decisions_[-1]),
        "rereviews": rereviews,
        "required_kinds": [EvidenceKind(k).label for k in services.applications.REQUIRED_EVIDENCE],
    })


@login_required
def application_edit(request, pk):
    app = _application(request, pk)
    access.require(request.user, "rounds.edit_application", app)
    rnd = app.round
    verdict = verdict_for(app.graduate, rnd)
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, round=rnd,
                                 verdict_level=verdict.level,
                                 initial={"level": app.level, "employer_kind": app.employer_kind,
                                          })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = services.update_application(application=app, actor=request.user, level=data["level"],
                                              employer_kind=data["employer_kind"])
            _save_files(request, app, form)
            if "submit" in request.POST:
                services.submit_application(application=app, actor=request.user, expected_state=app.state)
                messages.success(request, _("申报已提交，等待学校资格审查。"))
            else:
                messages.success(request, _("已保存。"))
        except (ValidationError, WorkflowError) as exc:
            _errors(request, exc)
        return _to_application(app)
    return render(request, "rounds/application_form.html", {
        "round": rnd, "form": form, "graduate": app.graduate, "verdict": VerdictView.of(verdict), "app": app,
        "evidence": list(app.evidence.all())})


@login_required
@require_POST
def evidence_add(request, pk):
    app = _application(request, pk)
    access.require(request.user, "rounds.edit_application", app)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(application=app, actor=request.user, kind=form.cleaned_data["kind"],
                                  upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已上传证明材料。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return _to_application(app)


@login_required
@require_POST
def evidence_delete(request, pk, evidence_pk):
    app = _application(request, pk)
    access.require(request.user, "rounds.edit_application", app)
    item = get_object_or_404(ApplicationEvidence, application=app, pk=evidence_pk)
    services.remove_evidence(evidence=item, actor=request.user)
    messages.success(request, _("已删除证明材料。"))
    return _to_application(app)


@login_required
def evidence(request, pk, evidence_pk):
    app = _application(request, pk)
    item = get_object_or_404(ApplicationEvidence, application=app, pk=evidence_pk)
    if app.graduate.user_id != request.user.pk:
        audit.record(actor=request.user, action="rounds.view_evidence", obj=app,
                     changes={"evidence": item.pk, "kind": item.kind})
    return _serve(item.file, item.original_name)


@login_required
@require_POST
def submit(request, pk):
    app = _application(request, pk)
    access.require(request.user, "rounds.edit_application", app)
    try:
        services.submit_application(application=app, actor=request.user,
                                    expected_state=request.POST.get("expected_state") or None)
    except (ValidationError, WorkflowError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("申报已提交，等待学校资格审查。"))
    return _to_application(app)


@login_required
@require_POST
def withdraw(request, pk):
    app = _application(request, pk)
    if not access.can(request.user, "rounds.withdraw_application", app):
        raise PermissionDenied("rounds.withdraw_application")
    try:
        services.withdraw_application(application=app, actor=request.user, reason=request.POST.get("reason", ""),
                                      expected_state=request.POST.get("expected_state") or None)
    except (ValidationError, WorkflowError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("申报已撤回。"))
    return _to_application(app)


@login_required
@require_POST
def review(request, pk):
    app = _application(request, pk)
    access.require(request.user, "rounds.review_application", app)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review_application(application=app, actor=request.user, decision=data["decision"],
                                        reasons=data["reasons"], expected_state=data["expected_state"])
        except (ValidationError, WorkflowError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已记录资格审查结论。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return _to_application(app)
