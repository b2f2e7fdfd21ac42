"""The student's own page: registrations and results, the 离校未就业 declaration, entrusted sessions to opt in."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.models import Graduate
from portal import access

from ..forms import DeclarationForm
from ..models import Candidate, EntrustedOptIn, Session, SessionState, UnemployedDeclaration
from ..services import candidates as service
from .common import act

VISIBLE_RESULTS = (SessionState.PUBLISHED, SessionState.RESULTS_REPORTED, SessionState.SUSPENDED)


@login_required
@require_GET
def mine(request):
    if not access.can(request.user, "assessment.student"):
        raise Http404
    graduate = Graduate.objects.filter(user=request.user).first()
    entries = (Candidate.objects.filter(graduate=graduate).select_related("session__occupation", "session__institution")
               .prefetch_related("result__certificates") if graduate else [])
    open_sessions, _g = service.open_sessions_for_student(request.user)
    opted = set(EntrustedOptIn.objects.filter(graduate=graduate).values_list("session_id", flat=True)) if graduate else set()
    return render(request, "assessment/mine.html", {
        "graduate": graduate, "entries": entries, "visible_results": VISIBLE_RESULTS,
        "declarations": UnemployedDeclaration.objects.filter(graduate=graduate) if graduate else [],
        "declaration_form": DeclarationForm(), "open_sessions": open_sessions, "opted": opted,
    })


@login_required
@require_POST
def declare(request):
    if not access.can(request.user, "assessment.student"):
        raise Http404
    form = DeclarationForm(request.POST)
    if form.is_valid():
        act(request, service.declare_unemployed, user=request.user, statement=form.cleaned_data["statement"],
            success=_("已申报，待学校确认。"))
    return redirect("assessment:mine")


@login_required
@require_POST
def opt_in(request, pk):
    if not access.can(request.user, "assessment.student"):
        raise Http404
    sessions, _graduate = service.open_sessions_for_student(request.user)
    session = get_object_or_404(Session, pk=pk, pk__in=[s.pk for s in sessions])
    act(request, service.opt_in, session, user=request.user, success=_("已自愿报名，待受委托机构登记。"))
    return redirect("assessment:mine")
