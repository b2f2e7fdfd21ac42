"""年度计划报告 pages: the institution's plans and the filing office's answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certificates.filing import from_application
from portal import access
from portal.models import Occupation

from ..forms import NewPlanForm, PlanLineFormSet
from ..services import plans
from .common import act, expected_state, get_plan, own_institution, readable_history


@login_required
@require_POST
def plan_new(request):
    institution = own_institution(request)
    if institution is None or not access.can(request.user, "assessment.manage", institution):
        raise Http404
    form = NewPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的年度。"))
        return redirect("assessment:index")
    plan, ok = act(request, plans.create_plan, user=request.user, institution=institution,
                   year=form.cleaned_data["year"], success=_("已创建年度计划草稿。"))
    return redirect("assessment:plan", pk=plan.pk) if ok else redirect("assessment:index")


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk):
    plan = get_plan(request, pk)
    may_edit = access.can(request.user, "assessment.plan_edit", plan)
    occupations = Occupation.objects.filter(pk__in=list(from_application(plan.filing).occupations))
    formset = None
    if may_edit:
        formset = PlanLineFormSet(request.POST or None, instance=plan, prefix="lines",
                                  form_kwargs={"occupations": occupations})
        if request.method == "POST" and formset.is_valid():
            _result, ok = act(request, plans.save_lines, plan, user=request.user, formset=formset,
                              success=_("已保存年度计划。"))
            if ok:
                return redirect("assessment:plan", pk=plan.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "assessment/plan_detail.html", {
        "plan": plan, "lines": plan.lines.select_related("occupation"), "formset": formset, "may_edit": may_edit,
        "may_answer": access.can(request.user, "assessment.plan_answer", plan), "history": readable_history(plan),
    })


@login_required
@require_POST
def plan_report(request, pk):
    plan = get_plan(request, pk)
    if not access.can(request.user, "assessment.plan_edit", plan):
        raise Http404
    act(request, plans.report_plan, plan, user=request.user, expected_state=expected_state(request),
        success=_("年度计划已报告备案部门。"))
    return redirect("assessment:plan", pk=plan.pk)


@login_required
@require_POST
def plan_answer(request, pk):
    plan = get_plan(request, pk)
    if not access.can(request.user, "assessment.plan_answer", plan):
        raise Http404
    acknowledge = request.POST.get("decision") != "comment"
    act(request, plans.answer_plan, plan, user=request.user, acknowledge=acknowledge,
        comment=request.POST.get("comment", ""), expected_state=expected_state(request),
        success=_("已知悉。") if acknowledge else _("意见已送达评价机构。"))
    return redirect("assessment:plan", pk=plan.pk)
