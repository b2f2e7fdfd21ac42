"""The university's pages (附件3/4, submit, withdraw) and the office's first steps (accept, return)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.workflow import WorkflowError, history
from portal import access, audit
from portal.models import Role
from portal.pagecache import cached_page

from .. import documents as annex_documents
from .. import selectors, services
from ..access import acting_role, is_authority_official, membership, staff_of
from ..completeness import checklist, errors, load_rows, problems_of
from ..documents import FILENAMES, is_available, render_and_store
from ..forms import CommentForm, ReasonForm, build_section_forms
from ..models import (
    EvaluationReport,
    FilingState,
    GeneratedDocument,
    ImplementationPlan,
    Submission,
)
from ..sections import BY_KEY, SECTIONS, next_key
from .common import back_to_detail, can, expected_state, get_application, run_action, serve_file

PAGE_SIZE = 20


@login_required
@cached_page
def index(request):
    """Each role's list: the university's own cases, the office's queue, the expert's panels."""
    user = request.user
    access.require(user, "track_b.list")
    blocks = []
    if access.institution_ids(user):
        blocks.append(("own", _("本校的备案申请"), selectors.own_cases(user).order_by("-updated_at")[:PAGE_SIZE]))
    if access.has_role(user, Role.CITY_HRSS, Role.PROVINCIAL_HRSS):
        state = request.GET.get("state", "")
        cases = selectors.office_cases(user)
        if state in FilingState.values:
            cases = cases.filter(state=state)
        page = Paginator(cases.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
        blocks.append(("office", _("本部门受理的备案申请"), page))
    if access.has_role(user, Role.EXPERT):
        blocks.append(("panel", _("我参加的评估论证"), selectors.panel_cases(user).order_by("-updated_at")[:PAGE_SIZE]))
    if access.is_site_admin(user) and not blocks:
        page = Paginator(selectors.applications_visible_to(user).order_by("-updated_at"), PAGE_SIZE) \
            .get_page(request.GET.get("page"))
        blocks.append(("all", _("全部备案申请"), page))
    return render(request, "track_b/index.html", {
        "blocks": blocks, "states": FilingState.choices, "state": request.GET.get("state", ""),
        "query": f"state={request.GET['state']}" if request.GET.get("state") in FilingState.values else "",
        "may_create": access.can(user, "track_b.create"),
    })


@login_required
def create(request):
    access.require(request.user, "track_b.create")
    if request.method == "POST":
        application, created = services.create_application(user=request.user)
        if created:
            messages.success(request, _("已新建备案申请，基本信息已按院校登记信息预填，可随时保存草稿。"))
            return redirect("track_b:edit", pk=application.pk, section="basic")
        messages.info(request, _("本校已有一份办理中的备案申请。"))
        return back_to_detail(application)
    open_case = selectors.own_cases(request.user).filter(state__in=[s for s in FilingState.values if s not in (
        FilingState.FILED, FilingState.NOT_FILED, FilingState.WITHDRAWN)]).first()
    return render(request, "track_b/create.html", {"open_case": open_case})


def registry(request):
    """备案机构名录: filed evaluation institutions with code, occupations and levels — public, no login
    (employers and students check an institution before trusting its certificates; issue 15 §19)."""
    page = Paginator(selectors.filed_institutions(), 50).get_page(request.GET.get("page"))
    return render(request, "track_b/registry.html", {"page": page})


def _actions(user, app):
    """What the user may do now, as names the template checks."""
    actions = set()
    if access.can(user, "track_b.edit", app):
        actions.add("edit")
    if access.can(user, "track_b.submit", app):
        if can(app, "submit"):
            actions.add("submit")
        if can(app, "withdraw"):
            actions.add("withdraw")
    if access.can(user, "track_b.review", app):
        for name in ("accept", "return_for_revision", "reopen_evaluation", "file", "refuse"):
            if can(app, name):
                actions.add(name)
        if app.state in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION):
            actions.add("panel")
    if access.can(user, "track_b.view_report", app) and app.state in (
            FilingState.UNDER_EVALUATION, FilingState.REPORT_SIGNED, FilingState.FILED, FilingState.NOT_FILED):
        actions.add("report")
    return actions


@login_required
def detail(request, pk):
    app = get_application(request, pk)
    user = request.user
    show_ids = request.GET.get("ids") == "full" and access.can(user, "track_b.view_ids", app)
    if show_ids:
        services.reveal_ids(app, user=user)
    rows = load_rows(app)
    plan = ImplementationPlan.objects.filter(application=app).first()
    own = staff_of(user, app.institution_id)
    problems = problems_of(app, plan=plan, rows=rows) if own and app.is_editable else []
    submissions = list(Submission.objects.filter(application=app).select_related("submitted_by").order_by("-number"))
    report = EvaluationReport.objects.filter(application=app).prefetch_related("signatures").first()
    signed = {s.member_id for s in report.signatures.all()} if report else set()
    documents = {d.kind: d for d in GeneratedDocument.objects.filter(application=app)}
    doc_list = [(kind, label, documents.get(kind)) for kind, label in GeneratedDocument.Kind.choices
                if is_available(app, kind)]
    return render(request, "track_b/detail.html", {
        "app": app, "rows": rows, "plan": plan, "sections": SECTIONS, "show_ids": show_ids,
        "may_view_ids": access.can(user, "track_b.view_ids", app),
        "own": own, "official": is_authority_official(user, app), "member": membership(user, app),
        "actions": _actions(user, app), "problems": problems,
        "checklist": [(section, [p for p in items if p.level == "error"], [p for p in items if p.level != "error"])
                      for section, items in checklist(problems)] if own and app.is_editable else [],
        "blocking": errors(problems), "submissions": submissions,
        "latest_changes": submissions[0].changes if submissions and submissions[0].number > 1 else [],
        "history": history(app), "report": report, "signed": signed, "panel": list(app.panel.all()),
        "documents": doc_list, "filed": list(app.filed_occupations.all()),
        "reason_form": ReasonForm(), "comment_form": CommentForm(),
        "authority": _authority(app), "full_annex3": access.can(user, "track_b.review", app),
    })


def _authority(app):
    return annex_documents.authority_label(app)


@login_required
def edit(request, pk, section):
    app = get_application(request, pk)
    if section not in BY_KEY:
        raise Http404
    access.require(request.user, "track_b.edit", app)
    plan, _created = ImplementationPlan.objects.get_or_create(application=app)
    choices = selectors.occupation_choices() if section in ("majors", "standards") else None
    if request.method == "POST":
        form, formsets = build_section_forms(section, app, plan, request.POST, request.FILES, choices)
        valid = (form is None or form.is_valid()) and all(fs.is_valid() for fs in formsets)
        if valid:
            try:
                services.save_section(app, user=request.user, section=section, form=form, formsets=formsets)
            except WorkflowError as exc:
                messages.error(request, str(exc))
                return back_to_detail(app)
            app.refresh_from_db()
            found = errors([p for p in problems_of(app) if p.section == section])
            invalid = [p for p in found if p.field and str(getattr(app, p.field, "") or "").strip()]
            if invalid:  # saved, but a value typed is wrong: say so here and now, not only at submission (§16)
                messages.warning(request, _("已保存草稿；本部分有 %(n)d 处需要修改，见下方标注。") % {"n": len(found)})
                return redirect("track_b:edit", pk=app.pk, section=section)
            if found:
                messages.info(request, _("已保存草稿；本部分尚有 %(n)d 项未完成，提交前需补全。") % {"n": len(found)})
            else:
                messages.success(request, _("已保存草稿。"))
            target = next_key(section) if "save_next" in request.POST else section
            if target is None:
                return redirect("track_b:submit", pk=app.pk)
            return redirect("track_b:edit", pk=app.pk, section=target)
        messages.error(request, _("有内容无法保存，请按提示修改。"))
    else:
        form, formsets = build_section_forms(section, app, plan, occupation_choices=choices)
    all_problems = problems_of(app, plan=plan)
    section_problems = [p for p in all_problems if p.section == section]
    field_problems = {}
    for p in section_problems:
        if p.field and form is not None and p.field in form.fields:
            field_problems.setdefault(p.field, []).append(p)
    failing = {p.section for p in errors(all_problems)}
    return render(request, "track_b/edit.html", {
        "app": app, "section": BY_KEY[section], "sections": SECTIONS, "form": form, "formsets": formsets,
        "problems": [p for p in section_problems if p.field not in field_problems],
        "field_problems": field_problems, "next_section": next_key(section),
        "section_status": {s.key: s.key not in failing for s in SECTIONS},
    })


@login_required
def submit(request, pk):
    """GET: the completeness checklist; POST: submit (refused, with the checklist, while anything is missing)."""
    app = get_application(request, pk)
    access.require(request.user, "track_b.submit", app)
    if request.method == "POST":
        try:
            services.submit(app, user=request.user, expected_state=expected_state(request))
        except services.IncompleteApplication as exc:
            messages.error(request, _("申报材料尚不完整，不能提交：共%(n)d项需要修改。") % {"n": len(exc.problems)})
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return back_to_detail(app)
        else:
            messages.success(request, _("已提交，受理部门将收到通知。"))
            return back_to_detail(app)
        app = get_application(request, pk)
    problems = problems_of(app) if app.is_editable else []
    return render(request, "track_b/submit.html", {
        "app": app, "checklist": checklist(problems), "blocking": errors(problems),
        "may_submit": app.is_editable and not errors(problems), "authority": _authority(app),
    })


@login_required
@require_POST
def withdraw(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.submit", app)
    form = CommentForm(request.POST)
    reason = form.cleaned_data["comment"] if form.is_valid() else ""
    run_action(request, services.withdraw, app, user=request.user, expected_state=expected_state(request),
               reason=reason, success=_("已撤回备案申请。"))
    return back_to_detail(app)


@login_required
@require_POST
def accept(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    run_action(request, services.accept, app, user=request.user, expected_state=expected_state(request),
               comment=comment, success=_("已受理。下一步：从专家库选取专家，组建评估论证专家组。"))
    return back_to_detail(app)


@login_required
@require_POST
def return_for_revision(request, pk):
    app = get_application(request, pk)
    access.require(request.user, "track_b.review", app)
    run_action(request, services.return_for_revision, app, user=request.user,
               reasons=request.POST.get("reasons", ""), expected_state=expected_state(request),
               success=_("已退回修改，申报单位将收到退回理由。"))
    return back_to_detail(app)


@login_required
def document(request, pk, kind):
    """A generated PDF. Rendered on demand when the task has not stored it yet."""
    app = get_application(request, pk)
    if kind not in GeneratedDocument.Kind.values:
        raise Http404
    if kind == GeneratedDocument.Kind.ANNEX5 and not access.can(request.user, "track_b.view_report", app):
        raise PermissionDenied(kind)
    if not is_available(app, kind):
        raise Http404
    if kind == GeneratedDocument.Kind.ANNEX3 and request.GET.get("ids") == "full":
        return _annex3_with_full_ids(request, app)
    stored = GeneratedDocument.objects.filter(application=app, kind=kind).first()
    if stored is None or not stored.file or (app.is_editable and kind in ("annex3", "annex4")):
        stored = render_and_store(app.pk, kind)  # drafts: always the current content
    name = f"{FILENAMES[kind]}-{app.filing_code or app.institution.name}.pdf"
    return serve_file(request, stored.file, filename=name, obj=app, action="track_b.download",
                      role=acting_role(request.user, app))


def _annex3_with_full_ids(request, app):
    """附件3 with full ID numbers: only for the filing office (the HRSS the case is routed to), rendered on demand,
    never stored, and logged (DOMAIN §8); everyone else reads the masked copy."""
    access.require(request.user, "track_b.review", app)
    data = annex_documents.render(app, GeneratedDocument.Kind.ANNEX3, full_ids=True)
    audit.record(actor=request.user, action="track_b.reveal_annex3_ids", obj=app,
                 role=acting_role(request.user, app), changes={"document": "annex3", "ids": "full"})
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{FILENAMES['annex3']}-{app.filing_code or app.institution.name}-完整证件号.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def row_file(request, pk, kind, row):
    """A file attached to 附件3 (规章制度文件, 相关材料)."""
    app = get_application(request, pk)
    model = {"regulation": app.regulations, "attachment": app.attachments}.get(kind)
    if model is None:
        raise Http404
    item = model.filter(pk=row).first()
    if item is None:
        raise Http404
    return serve_file(request, item.file, filename=item.original_name or item.title or "file", obj=app,
                      action="track_b.download_attachment", role=acting_role(request.user, app))

