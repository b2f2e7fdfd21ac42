"""HTTP only: parse, ask access/selectors/services, render.

Graduates' records are personal data: every read goes through ``selectors`` (scoped by who asks),
and an object the user may not see is a 404.
"""

import base64
import json
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation import selectors, whatif
from evaluation.forms import (
    AccountsForm,
    AchievementForm,
    ActivationForm,
    CohortForm,
    ExportForm,
    GraduateFilterForm,
    RevealForm,
    WhatIfForm,
)
from evaluation.models import Achievement, TitleLevel
from evaluation.profiles import graduate_profile
from evaluation.rules import evaluate
from evaluation.services import accounts, cohort, records, standards
from evaluation.verdicts import VerdictView
from portal import access, exports, links
from portal.audit import client_ip
from portal.models import Role
from portal.pagecache import cached_page
from portal.pagination import CappedPaginator

PAGE_SIZE = 50


def _staff_institution(user):
    """The one institution a university staff user acts for (the first, if several), or 403."""
    for assignment in access.roles_of(user):
        if assignment.role == Role.UNIVERSITY_STAFF and assignment.institution_id:
            return assignment.institution
    raise PermissionDenied("evaluation.run_cohort")


def _graduate_or_404(user, pk):
    graduate = get_object_or_404(selectors.graduates_visible_to(user), pk=pk)
    if not access.can(user, "evaluation.view_graduate", graduate):
        raise Http404
    return graduate


def _is_own_record(user, graduate):
    return graduate.user_id == user.pk and not access.can(user, "evaluation.edit_graduate", graduate)


def _verdict_context(graduate):
    """The stored verdict if there is one, else a live pre-evaluation under the standard in force."""
    stored = getattr(graduate, "verdict", None)
    if stored is not None:
        return {"verdict": VerdictView(stored.result), "stored": stored}
    version = selectors.current_version(graduate.institution_id)
    live = evaluate(graduate_profile(graduate), standards.rules_of(version))
    return {"verdict": VerdictView.of(live), "stored": None, "live_version": version}


# --- graduates ---------------------------------------------------------------------------------


@login_required
@cached_page
def graduate_list(request):
    access.require(request.user, "evaluation.manage_graduates", None)
    ids = selectors.managed_institution_ids(request.user)
    years = selectors.cohort_years(ids)
    year = request.GET.get("year")
    majors = selectors.majors_of(ids, [int(year)] if year and year.isdigit() else years)
    form = GraduateFilterForm(request.GET or None, years=years, majors=majors)
    filters = form.cleaned_data if form.is_valid() else {}
    page = CappedPaginator(selectors.graduates_managed_by(request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = links.link_rows(page.object_list, "evaluation:graduate_detail")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluation/graduate_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "show_institution": ids is None,
        "export_form": ExportForm(years=years, initial={"year": filters.get("year")}, auto_id="id_export_%s"),
    })


@login_required
def graduate_detail(request, pk, full_id=None, achievement_form=None, status=200):
    graduate = _graduate_or_404(request.user, pk)
    if _is_own_record(request.user, graduate):
        return redirect("evaluation:my_record")
    achievements = list(graduate.achievements.all())
    graduate._prefetched_objects_cache = {"achievements": achievements}
    context = {
        "graduate": graduate, "achievements": achievements, "full_id": full_id,
        "can_edit": access.can(request.user, "evaluation.edit_graduate", graduate),
        "achievement_form": achievement_form or AchievementForm(), "reveal_form": RevealForm(),
        **_verdict_context(graduate),
    }
    return render(request, "evaluation/graduate_detail.html", context, status=status)


@login_required
@require_POST
def graduate_reveal_id(request, pk):
    graduate = _graduate_or_404(request.user, pk)
    if not access.can(request.user, "evaluation.edit_graduate", graduate):
        raise PermissionDenied("evaluation.edit_graduate")
    form = RevealForm(request.POST)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    full_id = records.reveal_id_number(graduate=graduate, actor=request.user, purpose=purpose)
    return graduate_detail(request, pk, full_id=full_id)


@login_required
@require_POST
def achievement_add(request, pk):
    graduate = _graduate_or_404(request.user, pk)
    if not access.can(request.user, "evaluation.edit_graduate", graduate):
        raise PermissionDenied("evaluation.edit_graduate")
    form = AchievementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            records.add_achievement(graduate=graduate, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记成果。重新评价后结果将更新。"))
            return redirect("evaluation:graduate_detail", pk=pk)
    return graduate_detail(request, pk, achievement_form=form, status=400)


@login_required
@require_POST
def achievement_delete(request, pk, achievement_pk):
    graduate = _graduate_or_404(request.user, pk)
    achievement = get_object_or_404(Achievement, pk=achievement_pk, graduate=graduate)
    if not access.can(request.user, "evaluation.edit_graduate", graduate):
        raise PermissionDenied("evaluation.edit_graduate")
    records.delete_achievement(achievement=achievement, actor=request.user)
    messages.success(request, _("已删除成果。"))
    return redirect("evaluation:graduate_detail", pk=pk)


@login_required
@require_GET
def evidence(request, pk, achievement_pk):
    graduate = _graduate_or_404(request.user, pk)
    achievement = get_object_or_404(Achievement, pk=achievement_pk, graduate=graduate)
    if not achievement.evidence:
        raise Http404
    try:
        with achievement.evidence.open("rb") as handle:
            body = handle.read()  # at most 10 MB (UploadValidator)
    except FileNotFoundError:
        raise Http404 from None
    name = achievement.evidence.name.rsplit("/", 1)[-1]
    response = HttpResponse(body, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- cohort evaluation ------------------------------------------------------------------------------


def _cohort_form(request, user, form_class=CohortForm):
    institution = _staff_institution(user)
    years = selectors.cohort_years([institution.pk])
    year = request.POST.get("graduation_year") or (years[0] if years else None)
    majors = selectors.majors_of([institution.pk], [int(year)] if str(year or "").isdigit() else years)
    return institution, form_class(request.POST or None, years=years, majors=majors)


@login_required
@cached_page
def run_list(request):
    access.require(request.user, "evaluation.manage_graduates", None)
    runs = Paginator(selectors.runs_visible_to(request.user), 20).get_page(request.GET.get("page"))
    form = None
    version = None
    if access.can(request.user, "evaluation.run_cohort", None):
        institution, form = _cohort_form(request, request.user)
        version = selectors.current_version(institution.pk)
    return render(request, "evaluation/run_list.html", {"page": runs, "form": form, "version": version})


@login_required
@require_POST
def run_start(request):
    access.require(request.user, "evaluation.run_cohort", None)
    institution, form = _cohort_form(request, request.user)
    if not form.is_valid():
        messages.error(request, _("请选择毕业年份。"))
        return redirect("evaluation:run_list")
    run = cohort.start_run(institution=institution, actor=request.user,
                           graduation_year=form.cleaned_data["graduation_year"], major=form.cleaned_data["major"])
    return redirect("evaluation:run_detail", pk=run.pk)


@login_required
def run_detail(request, pk):
    run = get_object_or_404(selectors.runs_visible_to(request.user), pk=pk)
    counts = [(str(level.label), level.value, run.counts.get(level.value, 0)) for level in TitleLevel]
    return render(request, "evaluation/run_detail.html", {"run": run, "counts": counts})


@login_required
@require_GET
def run_progress(request, pk):
    run = get_object_or_404(selectors.runs_visible_to(request.user), pk=pk)
    return JsonResponse({"status": run.status, "status_label": str(run.get_status_display()), "done": run.done,
                         "total": run.total, "percent": run.percent, "finished": run.finished,
                         "counts": run.counts, "error": run.error})


# --- standards: evaluation/standard_views.py ------------------------------------------------------


# --- student accounts ----------------------------------------------------------------------------


@login_required
def accounts_create(request):
    access.require(request.user, "evaluation.run_cohort", None)
    institution, form = _cohort_form(request, request.user, AccountsForm)
    if request.method == "POST" and form.is_valid():
        issued = accounts.create_student_accounts(
            institution=institution, actor=request.user, graduation_year=form.cleaned_data["graduation_year"],
            major=form.cleaned_data["major"], regenerate=form.cleaned_data["regenerate"])
        if not issued:
            messages.info(request, _("没有需要生成激活码的学生：所选范围内的学生都已激活或已有未使用的激活码。"))
            return redirect("evaluation:accounts_create")
        rows = [["学号", "姓名", "专业", "登录账号", "激活码"]]
        rows += [[item.graduate.student_number, item.graduate.name, item.graduate.major, item.username, item.code]
                 for item in issued]
        csv_data = base64.b64encode(exports.csv_bytes(rows)).decode("ascii")
        response = render(request, "evaluation/accounts_codes.html", {
            "issued": issued, "institution": institution, "csv_data": csv_data,
            "activate_url": request.build_absolute_uri(reverse("evaluation:activate")),
        })
        response["Cache-Control"] = "no-store"
        return response
    stats = selectors.graduates_managed_by(request.user).filter(institution=institution).aggregate(
        total=Count("id"), with_account=Count("user"))
    return render(request, "evaluation/accounts_create.html", {"form": form, "stats": stats,
                                                                "institution": institution})


def activate(request):
    """The student's first visit: student number + ID number + one-time code, then a password."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.activate_account(student_number=data["student_number"], id_number=data["id_number"],
                                             code=data["code"], password=data["password1"],
                                             client=client_ip(request) or "")
        except accounts.ActivationError as exc:
            form.add_error(None, exc)
        except ValidationError as exc:  # the password validators
            form.add_error("password1", exc)
        else:
            messages.success(request, _("账号已激活。请使用登录账号 %(username)s 和新密码登录。")
                             % {"username": user.username})
            return redirect("login")
    return render(request, "evaluation/activate.html", {"form": form}, status=400 if form.errors else 200)


# --- the student's own page ----------------------------------------------------------------------------


def _own_graduate(request):
    access.require(request.user, "evaluation.view_own_record")
    graduate = selectors.own_graduate(request.user)
    if graduate is None:
        raise Http404(_("您的账号尚未关联毕业生记录。"))
    return graduate


@login_required
def my_record(request):
    graduate = _own_graduate(request)
    achievements = list(graduate.achievements.all())
    graduate._prefetched_objects_cache = {"achievements": achievements}
    standard = standards.rules_of(selectors.current_version(graduate.institution_id))
    profile = graduate_profile(graduate, achievements)
    form = WhatIfForm(request.POST or None, options=whatif.options(standard, profile))
    what_if, chosen = None, set()
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["options"])
        what_if = VerdictView.of(whatif.what_if(profile, chosen, standard))
        what_if.missing = [whatif.hypothetical(m) for m in what_if.missing]
    return render(request, "evaluation/my_record.html", {
        "graduate": graduate, "achievements": achievements, "what_if": what_if,
        "groups": whatif.groups(standard, profile), "chosen": chosen, **_verdict_context(graduate),
    })


@login_required
@require_POST
def what_if(request):
    """{"options": [keys]} (JSON, or a form) -> the level the student's own record would reach, as JSON.
    Nothing is saved."""
    graduate = _own_graduate(request)
    if request.content_type == "application/json":
        try:
            keys = json.loads(request.body or b"{}").get("options", [])
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                raise ValueError
        except (ValueError, AttributeError):
            return JsonResponse({"error": _("请求格式错误。")}, status=400)
    else:
        keys = request.POST.getlist("options")
    standard = standards.rules_of(selectors.current_version(graduate.institution_id))
    profile = graduate_profile(graduate)
    unknown = set(keys) - whatif.keys(standard, profile)
    if unknown:
        return JsonResponse({"error": _("未知选项：%(keys)s") % {"keys": "、".join(sorted(unknown))}}, status=400)
    data = VerdictView.of(whatif.what_if(profile, keys, standard)).as_json()
    data["missing"] = [whatif.hypothetical(m) for m in data["missing"]]
    return JsonResponse(data)
