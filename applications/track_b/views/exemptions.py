"""1+X 免试科目: the student fills in a request, the school submits a batch, each deciding office decides itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError, history
from portal import access
from portal.identifiers import mask_name, mask_ric
from portal.models import Role

from .. import selectors, services
from ..access import exemption_deciders, exemption_deciding_role
from ..forms import DecisionForm, ExemptionForm
from ..models import ExemptionState
from .common import can, expected_state, run_action, serve_file


def _exemption(request, pk):
    item = selectors.exemptions_visible_to(request.user).filter(pk=pk).first()
    if item is None or not access.can(request.user, "track_b.exemption_view", item):
        raise Http404
    return item


@login_required
def exemption_list(request):
    access.require(request.user, "track_b.exemption_list")
    qs = selectors.exemptions_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in ExemptionState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for item in page:
        item.shown_name = item.name if item.student_id == request.user.pk else mask_name(item.name)
    return render(request, "track_b/exemption_list.html", {
        "page": page, "states": ExemptionState.choices, "state": state,
        "may_create": access.can(request.user, "track_b.exemption_create"),
        "may_batch": access.can(request.user, "track_b.exemption_batch"),
    })


@login_required
def exemption_create(request):
    access.require(request.user, "track_b.exemption_create")
    choices = selectors.occupation_choices()
    if request.method == "POST":
        form = ExemptionForm(request.POST, request.FILES, occupation_choices=choices)
        if form.is_valid():
            try:
                item = services.create_exemption(user=request.user, form=form)
            except services.TrackBError as exc:
                form.add_error("id_number", str(exc))
            else:
                messages.success(request, _("已填报，学校汇总后报送省人社厅、省教育厅。"))
                return redirect("track_b:exemption_detail", pk=item.pk)
    else:
        form = ExemptionForm(initial={"name": request.user.full_name}, occupation_choices=choices)
    return render(request, "track_b/exemption_form.html", {"form": form})


@login_required
def exemption_batch(request):
    """The school's page: its students' requests not yet submitted; the chosen ones go as one batch."""
    access.require(request.user, "track_b.exemption_batch")
    if request.method == "POST":
        try:
            services.submit_batch(user=request.user, request_ids=[i for i in request.POST.getlist("requests")
                                                                  if i.isdigit()])
        except (services.TrackBError, WorkflowError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已报送省人社厅、省教育厅，申请学生将收到通知。"))
            return redirect("track_b:exemption_list")
    items = list(selectors.exemptions_to_batch(request.user))
    for item in items:
        item.masked_id = mask_ric(item.id_number)
    return render(request, "track_b/exemption_batch.html", {"items": items})


@login_required
def exemption_detail(request, pk):
    item = _exemption(request, pk)
    user = request.user
    decisions = {d.role: d for d in item.decisions.all()}
    offices = [(Role(role).label, decisions.get(role)) for role in exemption_deciders()]
    acting = exemption_deciding_role(user, item)
    return render(request, "track_b/exemption_detail.html", {
        "item": item, "masked_id": mask_ric(item.id_number), "offices": offices,
        "may_decide": bool(acting), "acting_office": Role(acting).label if acting else "",
        "may_withdraw": access.can(user, "track_b.exemption_withdraw", item) and can(item, "withdraw"),
        "decision_form": DecisionForm(), "history": history(item),
    })


@login_required
@require_POST
def exemption_decide(request, pk):
    item = _exemption(request, pk)
    access.require(request.user, "track_b.exemption_decide", item)
    run_action(request, services.decide_exemption, item, user=request.user, outcome=request.POST.get("outcome", ""),
               reasons=request.POST.get("reasons", ""), expected_state=expected_state(request),
               success=_("决定已记录。"))
    return redirect("track_b:exemption_detail", pk=item.pk)


@login_required
@require_POST
def exemption_withdraw(request, pk):
    item = _exemption(request, pk)
    access.require(request.user, "track_b.exemption_withdraw", item)
    run_action(request, services.withdraw_exemption, item, user=request.user,
               expected_state=expected_state(request), success=_("已撤回申请。"))
    return redirect("track_b:exemption_detail", pk=item.pk)


@login_required
def exemption_file(request, pk):
    item = _exemption(request, pk)
    return serve_file(request, item.certificate_file, filename=_("证书扫描件"), obj=item,
                      action="track_b.download_attachment")
