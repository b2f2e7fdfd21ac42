"""A graduate's application in a round: apply or enrol, edit, evidence, submit, withdraw, 资格审查. HTTP only."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError
from evaluation.verdicts import VerdictView
from portal import access, audit

from .. import forms, selectors, services
from ..models import (
    ApplicationEvidence,
    ApplicationState,
    Decision,
    EvaluationRound,
    EvidenceKind,
    RereviewRequest,
    RoundState,
)
from ..panels import outcome
from ..services.common import verdict_for
from .common import _act, _application, _errors, _round, _serve, _to_application, history


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
        "can_rereview": bool(decisions_) and not any(r.is_open for r in rereviews)
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
    _act(request, _("申报已提交，等待学校资格审查。"), services.submit_application, application=app)
    return _to_application(app)


@login_required
@require_POST
def withdraw(request, pk):
    app = _application(request, pk)
    if not access.can(request.user, "rounds.withdraw_application", app):
        raise PermissionDenied("rounds.withdraw_application")
    _act(request, _("申报已撤回。"), services.withdraw_application,
         application=app, reason=request.POST.get("reason", ""))
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
