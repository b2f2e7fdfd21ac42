"""After the decision: 复查 requests and 评审结果备案 (split from views.py; HTTP only — the services decide)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError, history
from portal import access

from .. import forms, selectors, services
from ..models import Decision, FilingState, RereviewRequest, ResultsFiling, RoundState
from .common import PAGE_SIZE, _act, _errors, _round, _to_application


@login_required
def request_rereview(request, pk):
    """复查: the school or the graduate asks the committee to review a decision again (it is never edited)."""
    decision = get_object_or_404(Decision.objects.select_related("round__institution", "graduate", "application"),
                                 pk=pk)
    rnd = decision.round
    if not (access.can(request.user, "rounds.view_round", rnd)
            or access.can(request.user, "rounds.request_rereview", decision)):
        raise Http404
    access.require(request.user, "rounds.request_rereview", decision)
    form = forms.RereviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_rereview(decision=decision, actor=request.user, grounds=form.cleaned_data["grounds"],
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已提出复查申请，列入评委会下次评审会议；原决定在复查前继续有效。"))
            return _to_application(decision.application)
    return render(request, "rounds/rereview_request.html", {"round": rnd, "decision": decision, "form": form})


def _rereview(request, pk):
    """A 复查 request of a round the user runs; those who only oversee the round are refused (403), others 404."""
    item = get_object_or_404(RereviewRequest.objects.select_related("decision__round", "tally__meeting"), pk=pk)
    if not access.can(request.user, "rounds.view_round", item.round):
        raise Http404
    access.require(request.user, "rounds.manage_round", item.round)
    return item


@login_required
@require_POST
def publish_rereview_result(request, pk):
    """公示复查结果 (the members' count, once the 复查 meeting's minutes are signed)."""
    item = _rereview(request, pk)
    _act(request, _("已公示复查结果。"), services.publish_rereview_result, request=item,
         contact=request.POST.get("contact", "").strip()[:200])
    return redirect("rounds:session", pk=item.round.pk)


@login_required
@require_POST
def conclude_rereview(request, pk):
    """After the 公示: the new decision from the count; the school gives only the 批准文号."""
    item = _rereview(request, pk)
    _act(request, _("已按复查表决结果作出新的决定，原决定由新决定替代。"), services.conclude_rereview,
         request=item, approval_number=request.POST.get("approval_number", "")[:60])
    return redirect("rounds:session", pk=item.round.pk)


def _refusals(text, rnd):
    """{decision id: reason} from the office's 不予备案 lines, one a line: ``学号：理由`` (a full-width or ASCII colon).
    The list is shown a page at a time, so the office names whom it refuses rather than filling a box per row."""
    by_number = {d.graduate.student_number: d for d in selectors.current_decisions(rnd) if d.passed}
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        student, sep, reason = line.replace("：", ":").partition(":")
        decision = by_number.get(student.strip())
        if decision is None or not sep:
            raise ValidationError(_("第%(n)d行：请按“学号：理由”填写本轮通过的人员（%(line)s）。")
                                  % {"n": number, "line": line.strip()[:40]}, code="refusal")
        out[decision.pk] = reason.strip()
    return out


@login_required
def results_filing(request, pk):
    """评审结果备案: the school files the results; the committee's filing office records them or refuses one."""
    rnd = _round(request, pk)
    if rnd.state != RoundState.FINALISED:
        raise Http404
    user = request.user
    filing = ResultsFiling.objects.filter(round=rnd).first()
    can_submit = access.can(user, "rounds.manage_round", rnd) and (filing is None
                                                                   or filing.state == FilingState.RECORDED)
    can_record = filing is not None and filing.state == FilingState.SUBMITTED and access.can(
        user, "rounds.record_results", filing)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                access.require(user, "rounds.manage_round", rnd)
                services.submit_results(round=rnd, actor=user)
                messages.success(request, _("已报送评审结果备案。"))
            elif action == "record" and filing is not None:
                access.require(user, "rounds.record_results", filing)
                refusals = _refusals(request.POST.get("refusals", "")[:20000], rnd)
                services.record_results(filing=filing, actor=user, refusals=refusals,
                                        comment=request.POST.get("comment", "").strip()[:2000])
                messages.success(request, _("已备案。"))
            else:
                raise PermissionDenied("rounds.results_filing")
        except (ValidationError, WorkflowError) as exc:
            _errors(request, exc)
        return redirect("rounds:results_filing", pk=rnd.pk)
    page = Paginator(selectors.current_decisions(rnd).filter(passed=True), PAGE_SIZE).get_page(
        request.GET.get("page"))
    refused = ({r.decision_id: r for r in filing.refusals.filter(decision__in=[d.pk for d in page])}
               if filing else {})
    return render(request, "rounds/results_filing.html", {
        "round": rnd, "filing": filing, "page": page, "decisions": [(d, refused.get(d.pk)) for d in page],
        "can_submit": can_submit, "can_record": can_record,
        "history": history(filing) if filing else []})
