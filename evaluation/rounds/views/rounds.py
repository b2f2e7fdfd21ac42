"""The round's own pages: lists, opening, the round page and its steps (公示, 确定), objections, reports and
decisions. HTTP only: parse, ask access/selectors, call a service, render."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.track_a.selectors import (
    committee_standard_version,
    filed_committee_for,
    granted_authority_for,
)
from applications.workflow import WorkflowError
from evaluation import selectors as evaluation_selectors
from portal import access, audit, exports
from portal.models import Role
from portal.pagecache import cached_page

from .. import clock, deadlines, forms, reports, selectors, services
from ..models import (
    ROUND_STEPS,
    ApplicationState,
    Objection,
    ObjectionState,
    RereviewRequest,
    RereviewState,
    RoundState,
    Stage,
)
from ..workdays import CalendarMissing
from .common import PAGE_SIZE, _errors, _round, _staff_institution, _to_round, deadline_info, history

OBJECTIONS_PER_PAGE = 20  # each open one carries its answer form

# --- lists ------------------------------------------------------------------------------------------------------------

@login_required
@cached_page
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
    answer = access.can(request.user, "rounds.answer_objection", rnd)
    listed = selectors.objections_of(rnd)
    page = Paginator(listed, OBJECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page)
    for o in items:  # a 复查结果公示's objections are answered after the round is final, until the new decision
        o.answerable = answer and services.objections.answerable(o)
    return render(request, "rounds/objections.html", {
        "round": rnd, "objections": items, "page": page, "can_answer": answer, "form": forms.AnswerForm(),
        "open_count": listed.filter(state=ObjectionState.OPEN).count()})


@login_required
@require_POST
def answer_objection(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("notice__round", "notice__rereview",
                                                                   "entry__application"), pk=pk)
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
    """The round's decisions in force, a page (``PAGE_SIZE``) at a time, with the totals of the whole round."""
    rnd = _round(request, pk)
    current = selectors.current_decisions(rnd)
    context = {"round": rnd, "total": current.count(), "passed": current.filter(passed=True).count()}
    # Supervising offices get counts, not names: rounds.view_personal (issue 14 #10).
    if access.can(request.user, "rounds.view_personal", rnd):
        page = Paginator(current, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({
            "with_people": True, "page": page, "decisions": list(page),
            "earlier": list(selectors.superseded_decisions(rnd)),
            "can_rereview": access.can(request.user, "rounds.manage_round", rnd),
            "pending": set(RereviewRequest.objects.filter(decision__in=[d.pk for d in page])
                           .exclude(state=RereviewState.CONCLUDED).values_list("decision_id", flat=True))})
    return render(request, "rounds/decisions.html", context)


# --- applications --------------------------------------------------------------------------------------------------------
