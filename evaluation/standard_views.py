"""The school's own standard (自主评审标准条件): the school publishes versions; the 属地 city HRSS reads each one and
comments (正文 三(一)2(4)); the province reads them. HTTP only: services.standards changes data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import selectors
from evaluation.forms import PATH_TITLES, StandardCommentForm, StandardForm
from evaluation.models import StandardVersion
from evaluation.rules import path_criteria
from evaluation.rules.clauses import PATHS, path_clause
from evaluation.services import standards
from evaluation.views import _staff_institution
from portal import access


@login_required
def standard_list(request):
    access.require(request.user, "evaluation.view_standard", None)
    institutions = list(selectors.standard_institutions_visible_to(request.user)
                        .annotate(n_versions=Count("school_standard__versions")).order_by("city_id", "name"))
    own = access.institution_ids(request.user)
    versions = []
    own_institution = None
    if own:
        own_institution = _staff_institution(request.user)
        versions = list(selectors.versions_of(own_institution))
    return render(request, "evaluation/standard_list.html", {
        "institutions": institutions, "own_institution": own_institution, "versions": versions,
    })


@login_required
def standard_detail(request, pk):
    version = get_object_or_404(StandardVersion.objects.select_related("standard__institution", "published_by"),
                                pk=pk)
    if not access.can(request.user, "evaluation.view_standard", version.standard.institution):
        raise Http404
    form = StandardForm(base=version.data)
    rules = version.rules()
    paths = [(PATH_TITLES[p], path_clause(p), path_criteria(p, rules)) for p in PATHS]
    institution = version.standard.institution
    can_comment = access.can(request.user, "evaluation.comment_standard", institution)
    return render(request, "evaluation/standard_detail.html", {
        "version": version, "form": form, "paths": paths, "comments": selectors.comments_on(version),
        "can_comment": can_comment, "comment_form": StandardCommentForm() if can_comment else None})


@login_required
@require_POST
def standard_comment(request, pk):
    """The city HRSS where the school is comments on a version of its standard (正文 三(一)2(4))."""
    version = get_object_or_404(StandardVersion.objects.select_related("standard__institution"), pk=pk)
    if not access.can(request.user, "evaluation.view_standard", version.standard.institution):
        raise Http404
    access.require(request.user, "evaluation.comment_standard", version.standard.institution)
    form = StandardCommentForm(request.POST)
    if form.is_valid():
        try:
            standards.comment_on_standard(version=version, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("指导意见已送达学校。"))
    else:
        messages.error(request, _("请填写指导意见。"))
    return redirect("evaluation:standard_detail", pk=version.pk)


@login_required
def standard_edit(request):
    institution = _staff_institution(request.user)
    access.require(request.user, "evaluation.publish_standard", institution)
    current = selectors.current_version(institution.pk)
    form = StandardForm(request.POST or None, base=current.data if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = standards.publish_standard(institution=institution, data=form.standard_data(),
                                                 actor=request.user, note=form.cleaned_data["note"])
        except standards.StandardRefused as exc:
            form.add_violations(exc.violations)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已发布第%(n)d版。之后的资格评价将使用该版本。") % {"n": version.number})
            return redirect("evaluation:standard_detail", pk=version.pk)
    return render(request, "evaluation/standard_edit.html", {"form": form, "current": current,
                                                              "institution": institution},
                  status=400 if form.errors else 200)
