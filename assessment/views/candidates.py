"""Registration, attendance, scores, conflicts, the major mapping and 应届 declarations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certificates.filing import from_application
from evaluation.models import Graduate
from portal import access
from portal.forms import posted_id
from portal.models import Occupation

from ..forms import ConflictForm, ScoreImportForm
from ..models import Candidate, DeclarationState, MajorMapping, UnemployedDeclaration
from ..services import candidates as service
from ..services import scores
from ..services.common import current_filing
from .common import act, expected_state, get_session, own_institution, to_session


@login_required
@require_POST
def register(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_edit", session):
        raise Http404
    ids = [int(x) for x in request.POST.getlist("graduate") if x.isdigit()]
    graduates = list(service.eligible_graduates(session).filter(pk__in=ids)) if ids else []
    # Anyone asked for but not in the eligible list is refused by the service with the reason.
    missing = set(ids) - {g.pk for g in graduates}
    graduates += list(Graduate.objects.filter(pk__in=missing, institution_id=session.institution_id))
    if missing - {g.pk for g in graduates}:
        messages.error(request, _("所选毕业生不在可报名范围内。"))
        return to_session(session)
    act(request, service.register, session, user=request.user, graduates=graduates,
        success=_("已报名 %(n)d 人。") % {"n": len(graduates)})
    return to_session(session)


@login_required
@require_POST
def withdraw(request, pk, candidate_pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_edit", session):
        raise Http404
    candidate = get_object_or_404(Candidate, pk=candidate_pk, session=session)
    act(request, service.withdraw, candidate, user=request.user, success=_("已撤销报名。"))
    return to_session(session)


@login_required
@require_POST
def attendance(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.session_edit", session):
        raise Http404
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("att_") and key[4:].isdigit():
            marks[int(key[4:])] = value
    act(request, service.record_attendance, session, user=request.user, marks=marks, success=_("已登记考试情况。"))
    return to_session(session)


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, pk):
    """The examiner's sheet: one row per present candidate; the second examiner's entry confirms the first."""
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.score", session):
        raise Http404
    if request.method == "POST":
        candidate = get_object_or_404(Candidate, pk=posted_id(request.POST, "candidate"), session=session)
        values = {}
        for key in ("theory", "practical"):
            try:
                values[key] = scores.parse_score(request.POST.get(key, ""))
            except ValueError as exc:
                messages.error(request, f"{candidate.graduate.name}：{exc}")
                return redirect("assessment:scores", pk=session.pk)
        outcome, ok = act(request, scores.enter_scores, candidate, user=request.user, success=_("已录入。"),
                          **values)
        if ok and outcome == "confirmed":
            messages.success(request, _("%(name)s 的成绩已复核确认。") % {"name": candidate.graduate.name})
        return redirect("assessment:scores", pk=session.pk)
    rows = list(session.candidates.select_related("graduate", "first_by", "confirmed_by"))
    conflicts = set(service.ExaminerConflict.objects.filter(user=request.user, graduate_id__in=[c.graduate_id for c in rows])
                    .values_list("graduate_id", flat=True))
    return render(request, "assessment/scores.html", {
        "session": session, "rows": rows, "conflicts": conflicts, "import_form": ScoreImportForm(),
        "conflict_form": ConflictForm(), "problems": [],
    })


@login_required
@require_POST
def score_import(request, pk):
    session = get_session(request, pk)
    if not access.can(request.user, "assessment.score", session):
        raise Http404
    form = ScoreImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        count, problems = scores.import_scores(session, user=request.user, upload=form.cleaned_data["file"])
        if not problems:
            messages.success(request, _("已导入 %(n)d 名考生的成绩。") % {"n": count})
            return redirect("assessment:scores", pk=session.pk)
    rows = list(session.candidates.select_related("graduate", "first_by", "confirmed_by"))
    return render(request, "assessment/scores.html", {
        "session": session, "rows": rows, "conflicts": set(), "import_form": form, "conflict_form": ConflictForm(),
        "problems": problems,
    }, status=200)


@login_required
@require_POST
def conflict(request, pk):
    session = get_session(request, pk)
    form = ConflictForm(request.POST)
    if not session.examiners.filter(user=request.user).exists() or not form.is_valid():
        raise Http404
    candidate = get_object_or_404(Candidate, session=session, graduate_id=form.cleaned_data["graduate"])
    act(request, service.declare_conflict, session, user=request.user, graduate=candidate.graduate,
        kind=form.cleaned_data["kind"], note=form.cleaned_data["note"], success=_("已申报回避：您不会为该考生评分。"))
    return redirect("assessment:scores", pk=session.pk) if access.can(request.user, "assessment.score", session) \
        else to_session(session)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request):
    """专业与职业对应关系: per occupation the school is filed for (or entrusts), its related majors."""
    institution = own_institution(request)
    if institution is None or not access.can(request.user, "assessment.manage", institution):
        raise Http404
    filing = current_filing(institution)
    ids = set(from_application(filing).occupations) if filing else set()
    ids |= set(institution.track_b_entrustments.filter(state="acknowledged").values_list("occupations", flat=True))
    occupations = list(Occupation.objects.filter(pk__in=[i for i in ids if i]).order_by("code"))
    if request.method == "POST":
        occupation = get_object_or_404(Occupation, pk=posted_id(request.POST, "occupation"),
                                       pk__in=[o.pk for o in occupations])
        majors = request.POST.get("majors", "").replace("，", "\n").replace("、", "\n").splitlines()
        act(request, service.save_mapping, user=request.user, institution=institution, occupation=occupation,
            majors=majors, success=_("已保存“%(occ)s”的相关专业。") % {"occ": occupation.name})
        return redirect("assessment:mapping")
    current = {}
    for m in MajorMapping.objects.filter(institution=institution):
        current.setdefault(m.occupation_id, []).append(m.major)
    known_majors = sorted(set(Graduate.objects.filter(institution=institution).values_list("major", flat=True)))
    return render(request, "assessment/mapping.html", {
        "rows": [(o, "\n".join(current.get(o.pk, []))) for o in occupations], "known_majors": known_majors,
    })


@login_required
@require_http_methods(["GET", "POST"])
def declarations(request):
    """The school confirms (or not) its graduates' 离校未就业 declarations."""
    institution = own_institution(request)
    if institution is None or not access.can(request.user, "assessment.manage", institution):
        raise Http404
    if request.method == "POST":
        declaration = get_object_or_404(UnemployedDeclaration, pk=posted_id(request.POST, "declaration"),
                                        graduate__institution=institution)
        confirm = request.POST.get("decision") == "confirm"
        act(request, service.decide_declaration, declaration, user=request.user, confirm=confirm,
            note=request.POST.get("note", ""), expected_state=expected_state(request),
            success=_("已确认。") if confirm else _("已不予确认。"))
        return redirect("assessment:declarations")
    items = (UnemployedDeclaration.objects.filter(graduate__institution=institution)
             .select_related("graduate", "decided_by").order_by("state", "-declared_at")[:200])
    return render(request, "assessment/declarations.html", {"items": items, "pending": DeclarationState.DECLARED})
