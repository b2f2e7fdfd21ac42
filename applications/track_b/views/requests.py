"""委托报备: an unfiled university reports its plan and the institution it entrusts (1+X requests: ``exemptions``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError, history
from portal import access

from .. import selectors, services
from ..access import is_authority_official, staff_of
from ..forms import CommentForm, EntrustmentForm, ReasonForm
from ..models import EntrustmentState
from .common import can, expected_state, run_action, serve_file


def _entrustment(request, pk):
    item = selectors.entrustments_visible_to(request.user).filter(pk=pk).first()
    if item is None or not access.can(request.user, "track_b.entrustment_view", item):
        raise Http404
    return item


@login_required
def entrustment_list(request):
    access.require(request.user, "track_b.entrustment_list")
    items = selectors.entrustments_visible_to(request.user).prefetch_related("occupations")
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    filed = any(selectors.filed_application_of(i) for i in access.institution_ids(request.user))
    return render(request, "track_b/entrustment_list.html", {
        "page": page, "may_create": access.can(request.user, "track_b.entrustment_create") and not filed,
    })


@login_required
@require_POST
def entrustment_create(request):
    access.require(request.user, "track_b.entrustment_create")
    try:
        item = services.create_entrustment(user=request.user)
    except services.TrackBError as exc:
        messages.error(request, exc.messages[0])
        return redirect("track_b:entrustment_list")
    return redirect("track_b:entrustment_edit", pk=item.pk)


@login_required
def entrustment_edit(request, pk):
    item = _entrustment(request, pk)
    access.require(request.user, "track_b.entrustment_edit", item)
    choices = selectors.occupation_choices()
    if request.method == "POST":
        form = EntrustmentForm(request.POST, request.FILES, instance=item, occupation_choices=choices)
        if form.is_valid():
            try:
                services.save_entrustment(item, user=request.user, form=form)
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存。"))
            return redirect("track_b:entrustment_detail", pk=item.pk)
    else:
        form = EntrustmentForm(instance=item, occupation_choices=choices)
    return render(request, "track_b/entrustment_form.html", {"item": item, "form": form})


@login_required
def entrustment_detail(request, pk):
    item = _entrustment(request, pk)
    user = request.user
    own = staff_of(user, item.institution_id)
    return render(request, "track_b/entrustment_detail.html", {
        "item": item, "own": own, "official": is_authority_official(user, item),
        "may_edit": access.can(user, "track_b.entrustment_edit", item),
        "may_report": own and can(item, "report"),
        "may_acknowledge": access.can(user, "track_b.entrustment_acknowledge", item) and can(item, "acknowledge"),
        "problems": services.entrustment_problems(item) if own and item.state in (
            EntrustmentState.DRAFT, EntrustmentState.RETURNED) else [],
        "history": history(item), "occupations": list(item.occupations.all()),
        "comment_form": CommentForm(), "reason_form": ReasonForm(),
    })


@login_required
@require_POST
def entrustment_report(request, pk):
    item = _entrustment(request, pk)
    access.require(request.user, "track_b.entrustment_edit", item)
    run_action(request, services.report_entrustment, item, user=request.user,
               expected_state=expected_state(request), success=_("已报备，受理部门将收到通知。"))
    return redirect("track_b:entrustment_detail", pk=item.pk)


@login_required
@require_POST
def entrustment_acknowledge(request, pk):
    item = _entrustment(request, pk)
    access.require(request.user, "track_b.entrustment_acknowledge", item)
    form = CommentForm(request.POST)
    run_action(request, services.acknowledge_entrustment, item, user=request.user,
               comment=form.cleaned_data["comment"] if form.is_valid() else "",
               expected_state=expected_state(request), success=_("已确认报备。"))
    return redirect("track_b:entrustment_detail", pk=item.pk)


@login_required
@require_POST
def entrustment_return(request, pk):
    item = _entrustment(request, pk)
    access.require(request.user, "track_b.entrustment_acknowledge", item)
    run_action(request, services.return_entrustment, item, user=request.user,
               reasons=request.POST.get("reasons", ""), expected_state=expected_state(request),
               success=_("已退回补充。"))
    return redirect("track_b:entrustment_detail", pk=item.pk)


@login_required
def entrustment_plan_file(request, pk):
    item = _entrustment(request, pk)
    return serve_file(request, item.plan_file, filename=_("实施方案"), obj=item,
                      action="track_b.download_attachment")
