"""The committee's pages: forming it, its members, filing, the office's review, adjustment, renewal and
revocation. A committee the user may not see is a 404; one they see but may not act on is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.track_a import committee_forms as forms
from applications.track_a import rules, selectors, services
from applications.track_a.models import CommitteeState
from applications.track_a.routing import committee_filing_office, office_label
from applications.workflow import WorkflowError
from evaluation import selectors as evaluation_selectors
from portal import access
from portal.models import Institution

from .common import _committee, _error_list, _form_action, _history, _serve

# --- the committee --------------------------------------------------------------------------------------------------

@login_required
def committee_start(request):
    institution = Institution.objects.filter(pk__in=access.institution_ids(request.user)).first()
    access.require(request.user, "track_a.start_committee", institution)
    authority = selectors.granted_authority_for(institution)
    if authority is None:
        messages.error(request, _("授予职称自主评审权后才能组建评委会。"))
        return redirect("track_a:index")
    level = rules.committee_levels_needed(authority.levels)
    form = forms.CommitteeForm(request.POST or None, request.FILES or None, initial={
        "level": level, "name": _("%(school)s产业工程师%(level)s职称评审委员会") % {
            "school": institution.name, "level": _("中级") if level == rules.COMMITTEE_INTERMEDIATE else _("初级")}})
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.create_committee(institution=institution, actor=request.user,
                                                  values=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("评委会已创建，请从专家库选择委员。"))
            return redirect("track_a:committee_members", pk=committee.pk)
    return render(request, "track_a/committee_form.html", {"form": form, "authority": authority,
                                                           "institution": institution})


@login_required
def committee_detail(request, pk):
    committee = _committee(request, pk)
    members = services.committee_members(committee)
    office = committee_filing_office(committee)
    pending = committee.state in (CommitteeState.FILED, CommitteeState.CHANGE_FILED, CommitteeState.REVOCATION_FILED)
    can_review = pending and access.can(request.user, "track_a.review_committee", committee)
    can_change = committee.state == CommitteeState.APPROVED \
        and access.can(request.user, "track_a.file_committee", committee)
    serving = {m.pk for m in services.active_members(committee)}
    return render(request, "track_a/committee_detail.html", {
        "committee": committee, "members": members, "serving": serving,
        "problems": (services.committee_problems(committee) + services.standard_problems(committee))
        if committee.is_editable else [],
        "office": office_label(office, committee.institution),
        "in_force": services.committee_in_force(committee),
        "can_edit": access.can(request.user, "track_a.edit_committee", committee),
        "can_review": can_review, "can_change": can_change,
        "review_form": forms.CommitteeReviewForm(initial={"expected_state": committee.state}, state=committee.state),
        "filings": services.filings_with_changes(committee), "history": _history(committee),
        "authority": committee.authority,
    })


@login_required
def committee_edit(request, pk):
    committee = _committee(request, pk)
    access.require(request.user, "track_a.edit_committee", committee)
    form = forms.CommitteeForm(request.POST or None, request.FILES or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_committee(committee=committee, actor=request.user, values=form.cleaned_data)
        except (ValidationError, WorkflowError) as exc:
            form.add_error(None, "；".join(_error_list(exc)))
        else:
            messages.success(request, _("已保存。"))
            return redirect("track_a:committee_detail", pk=committee.pk)
    committee.refresh_from_db()
    return render(request, "track_a/committee_form.html", {"form": form, "committee": committee,
                                                           "authority": committee.authority,
                                                           "institution": committee.institution})


@login_required
def committee_members(request, pk):
    committee = _committee(request, pk)
    access.require(request.user, "track_a.edit_committee", committee)
    formset = forms.member_formset(committee, data=request.POST or None)
    errors = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_members(committee=committee, actor=request.user, members=formset.rows())
        except (ValidationError, WorkflowError) as exc:
            errors = _error_list(exc)
        else:
            messages.success(request, _("委员名单已保存。"))
            return redirect("track_a:committee_detail", pk=committee.pk)
    return render(request, "track_a/committee_members.html", {
        "committee": committee, "formset": formset, "errors": errors,
        "min_members": rules.COMMITTEE_MIN_MEMBERS})


@login_required
@require_POST
def committee_file(request, pk):
    committee = _committee(request, pk)
    access.require(request.user, "track_a.file_committee", committee)
    try:
        services.file_committee(committee=committee, actor=request.user,
                                expected_state=request.POST.get("expected_state"))
    except ValidationError as exc:
        messages.error(request, _("尚不能报送：") + "；".join(exc.messages))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已报送核准备案。"))
    return redirect("track_a:committee_detail", pk=committee.pk)


@login_required
def committee_review(request, pk):
    committee = _committee(request, pk)
    access.require(request.user, "track_a.review_committee", committee)
    form = forms.CommitteeReviewForm(request.POST or None, initial={"expected_state": committee.state},
                                     state=committee.state)
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.review_committee(
            committee=committee, actor=request.user, decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"], expected_state=form.cleaned_data["expected_state"]),
            success=_("已办理。"), back=redirect("track_a:committee_detail", pk=committee.pk))
        if done is not None:
            return done
    return render(request, "track_a/committee_review.html", {
        "committee": committee, "form": form, "filing": committee.filings.order_by("-number").first()})


@login_required
def committee_adjust(request, pk):
    """报送调整（续期）: the school proposes; the filing office consents (附件2 二(二))."""
    committee = _committee(request, pk)
    access.require(request.user, "track_a.file_committee", committee)
    serving = services.active_members(committee)
    pool, add_formset = forms.adjustment_formsets(request.POST or None)
    form = forms.AdjustmentForm(request.POST or None, serving=serving, pool=pool,
                                initial={"expected_state": committee.state})
    errors = []
    if request.method == "POST" and form.is_valid() and add_formset.is_valid():
        d = form.cleaned_data
        try:
            services.file_adjustment(committee=committee, actor=request.user, reason=d["reason"], remove=d["remove"],
                                     add=add_formset.rows(), chair=d["chair"], renew=d["renew"],
                                     expected_state=d["expected_state"])
        except ValidationError as exc:
            errors = exc.messages
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("track_a:committee_detail", pk=committee.pk)
        else:
            messages.success(request, _("已报送调整（续期），待核准备案部门同意后生效。"))
            return redirect("track_a:committee_detail", pk=committee.pk)
    return render(request, "track_a/committee_adjust.html", {
        "committee": committee, "form": form, "formset": add_formset, "errors": errors, "serving": serving,
        "version": services.committee_standard_version(committee),
        "latest": evaluation_selectors.current_version(committee.institution_id),
        "years": services.filing_period_years()})


@login_required
def committee_revoke(request, pk):
    """报送撤销评委会: takes effect when the filing office consents."""
    committee = _committee(request, pk)
    access.require(request.user, "track_a.file_committee", committee)
    form = forms.RevocationForm(request.POST or None, initial={"expected_state": committee.state})
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: services.file_revocation(
            committee=committee, actor=request.user, reason=form.cleaned_data["reason"],
            expected_state=form.cleaned_data["expected_state"]),
            success=_("已报送撤销，待核准备案部门同意后生效。"), back=redirect("track_a:committee_detail", pk=committee.pk))
        if done is not None:
            return done
    return render(request, "track_a/committee_revoke.html", {"committee": committee, "form": form})


@login_required
def committee_rules_file(request, pk):
    committee = _committee(request, pk)
    return _serve(committee.rules_file, committee.rules_file.name.rsplit("/", 1)[-1] if committee.rules_file else "")

