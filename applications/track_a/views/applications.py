"""HTTP only: parse, ask access/selectors, call a service, render. An application the user may not see is a 404;
one they see but may not act on is a 403."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.track_a import forms, rules, sections, selectors, services, tasks
from applications.track_a.models import ApplicationPdf, CooperationDocument, Office, State
from applications.workflow import WorkflowError
from portal import access, signing
from portal.forms import posted_id, whole_number
from portal.models import Institution
from portal.pagecache import cached_page

from .common import _application, _can, _detail, _error_list, _form_action, _history, _pending, _serve

# --- lists ------------------------------------------------------------------------------------------------------

@login_required
@cached_page
def index(request):
    user = request.user
    own = []
    for institution in Institution.objects.filter(pk__in=access.institution_ids(user)).select_related("city"):
        own.append({"institution": institution, "eligibility": services.eligibility_of(institution),
                    "application": services.open_application_for(institution),
                    "authority": selectors.granted_authority_for(institution)})
    apps = selectors.applications_visible_to(user).order_by("-submitted_at", "-id")
    state = request.GET.get("state", "")
    if state in State.values:
        apps = apps.filter(state=state)
    page = Paginator(apps, 30).get_page(request.GET.get("page"))
    committees = selectors.committees_visible_to(user).order_by("-updated_at")[:30]
    return render(request, "track_a/index.html", {
        "own": own, "page": page, "state": state, "states": State.choices, "committees": committees,
        "query": f"state={state}" if state else "",
    })


@login_required
@require_POST
def start(request):
    institution = get_object_or_404(Institution, pk=posted_id(request.POST, "institution")) \
        if request.POST.get("institution") else None
    if institution is None:
        ids = access.institution_ids(request.user)
        institution = Institution.objects.filter(pk__in=ids).first()
    access.require(request.user, "track_a.start", institution)
    try:
        app = services.start_application(institution=institution, actor=request.user)
    except ValidationError as exc:
        for message in _error_list(exc):
            messages.error(request, message)
        return redirect("track_a:index")
    messages.success(request, _("已创建立项申请表草稿，请逐项填写。"))
    return redirect("track_a:edit_section", pk=app.pk, section="basic")


# --- the application --------------------------------------------------------------------------------------------

def _actions(user, app):
    """What this user can do now, for the detail page."""
    can = {name: _can(user, app, name) for name in (
        "submit", "city_hrss_approve", "city_hrss_return", "city_edu_approve", "city_edu_return",
        "record_agreement", "forward_to_province", "pass_document_review", "record_site_evaluation",
        "prov_edu_recognise", "prov_edu_refuse", "prov_hrss_recognise", "prov_hrss_refuse", "grant_authority")}
    offices = []
    if can["city_hrss_approve"] or can["city_hrss_return"]:
        offices.append((Office.CITY_HRSS, Office.CITY_HRSS.label))
    if can["city_edu_approve"] or can["city_edu_return"]:
        offices.append((Office.CITY_EDUCATION, Office.CITY_EDUCATION.label))
    recognisers = []
    if can["prov_edu_recognise"] or can["prov_edu_refuse"]:
        recognisers.append((Office.PROVINCIAL_EDUCATION, Office.PROVINCIAL_EDUCATION.label))
    if can["prov_hrss_recognise"] or can["prov_hrss_refuse"]:
        recognisers.append((Office.PROVINCIAL_HRSS, Office.PROVINCIAL_HRSS.label))
    group = services.current_group(app) if app.state in (State.AT_PROVINCE, State.DOCUMENT_REVIEWED) else None
    see_group = app.state in (State.AT_PROVINCE, State.DOCUMENT_REVIEWED) and access.can(user, "track_a.view_group",
                                                                                             group)
    return {"can": can, "city_offices": offices, "recognisers": recognisers, "group": group, "see_group": see_group,
            "edit": access.can(user, "track_a.edit", app)}


@login_required
def detail(request, pk):
    app = _application(request, pk)
    rows = services.rows_of(app)
    actions = _actions(request.user, app)
    context = {
        "app": app, **rows, "actions": actions, "history": _history(app), "group": actions["group"],
        "submissions": services.submissions_with_changes(app),
        "city_reviews": app.city_reviews.select_related("decided_by"),
        "agreement": getattr(app, "agreement", None) if hasattr(app, "agreement") else None,
        "document_reviews": app.document_reviews.prefetch_related("experts__user").select_related("decided_by"),
        "site_evaluations": app.site_evaluations.prefetch_related("experts__user").select_related("decided_by"),
        "recognitions": app.recognitions.select_related("decided_by"),
        "authority": getattr(app, "authority", None) if app.state == State.AUTHORISED else None,
        "current": sections.snapshot(app, **rows),
        "expected_state": app.state,
        "city_review_form": forms.CityReviewForm(initial={"expected_state": app.state}),
        "recognition_form": forms.RecognitionForm(initial={"expected_state": app.state}),
        "forward_form": forms.ForwardForm(initial={"expected_state": app.state}),
    }
    if actions["edit"] or app.state == State.DRAFT:
        context["checklist"] = sections.checklist(app, **rows)
    if app.state == State.AUTHORISED:  # links only to what this user may open (an expert reads the application)
        context["committees"] = [c for c in app.institution.pilot_committees.all()
                                 if access.can(request.user, "track_a.view_committee", c)]
        context["can_start_committee"] = access.can(request.user, "track_a.start_committee", app.institution)
        context["can_view_standards"] = access.can(request.user, "evaluation.view_standard", None)
    return render(request, "track_a/detail.html", context)


SECTION_TEMPLATES = {"majors": "rows", "partners": "rows", "teachers": "rows"}


@login_required
def edit_section(request, pk, section):
    app = _application(request, pk)
    if section not in sections.SECTION_KEYS:
        raise Http404
    access.require(request.user, "track_a.edit", app)
    form = formset = upload_form = None
    errors = []
    is_rows = section in forms.ROW_FORMS
    if request.method == "POST":
        try:
            if is_rows:
                formset = forms.row_formset(section, app, data=request.POST)
                if formset.is_valid():
                    services.update_section(application=app, actor=request.user, section=section,
                                            rows=formset.rows())
                    return _saved(request, app, section)
            elif section == "cooperation" and request.POST.get("action") == "upload":
                upload_form = forms.DocumentUploadForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    services.add_cooperation_document(application=app, actor=request.user,
                                                      title=upload_form.cleaned_data["title"],
                                                      file=upload_form.cleaned_data["file"])
                    messages.success(request, _("附件已上传。"))
                    return redirect("track_a:edit_section", pk=app.pk, section=section)
            elif section == "cooperation" and request.POST.get("action", "").startswith("delete:"):
                doc_id = whole_number(request.POST["action"].split(":", 1)[1])
                services.remove_cooperation_document(application=app, actor=request.user, document_id=doc_id)
                messages.success(request, _("附件已删除。"))
                return redirect("track_a:edit_section", pk=app.pk, section=section)
            else:
                form = forms.section_form_class(section)(request.POST, request.FILES, instance=app)
                if form.is_valid():
                    values = {f: form.cleaned_data[f] for f in sections.SECTION_FIELDS[section]}
                    if "plan_file" in values:
                        upload = values["plan_file"]
                        if upload is False or upload is None:  # cleared
                            values["plan_file"] = ""
                        elif hasattr(upload, "instance"):  # unchanged: the stored file
                            values["plan_file"] = upload.name or ""
                    services.update_section(application=app, actor=request.user, section=section, values=values)
                    return _saved(request, app, section)
        except ValidationError as exc:
            errors = _error_list(exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return _detail(app)
        app.refresh_from_db()
    if is_rows and formset is None:
        formset = forms.row_formset(section, app)
    if not is_rows and form is None:
        form = forms.section_form_class(section)(instance=app)
    if section == "cooperation" and upload_form is None:
        upload_form = forms.DocumentUploadForm()
    index = sections.SECTION_KEYS.index(section)
    return render(request, "track_a/section.html", {
        "app": app, "section": section, "title": sections.SECTION_TITLES[section], "form": form,
        "formset": formset, "upload_form": upload_form, "errors": errors, "rows": services.rows_of(app),
        "row_fields": forms.ROW_FIELDS.get(section, []), "max_rows": rules.MAX_PARTNERS if section == "partners"
        else "", "sections": sections.SECTIONS,
        "previous": sections.SECTION_KEYS[index - 1] if index else None,
        "next": sections.SECTION_KEYS[index + 1] if index + 1 < len(sections.SECTION_KEYS) else None,
    })


def _saved(request, app, section):
    messages.success(request, _("“%s”已保存（草稿）。") % sections.SECTION_TITLES[section])
    index = sections.SECTION_KEYS.index(section)
    if request.POST.get("then") == "next" and index + 1 < len(sections.SECTION_KEYS):
        return redirect("track_a:edit_section", pk=app.pk, section=sections.SECTION_KEYS[index + 1])
    if request.POST.get("then") == "overview":
        return _detail(app)
    return redirect("track_a:edit_section", pk=app.pk, section=section)


@login_required
@require_POST
def submit(request, pk):
    app = _application(request, pk)
    access.require(request.user, "track_a.submit", app)
    try:
        services.submit(application=app, actor=request.user, expected_state=request.POST.get("expected_state"))
    except ValidationError as exc:
        messages.error(request, _("尚不能提交，请先完善：") + "；".join(exc.messages))
        return _detail(app)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return _detail(app)
    messages.success(request, _("已提交。附件1的PDF（一式2份）可在本页下载打印。"))
    return _detail(app)


def _decision_view(request, app, *, rule, form, service, template_title, extra=None):
    """Shared shape of the offices' action pages: GET shows the form, POST calls the service."""
    access.require(request.user, rule, app)
    if request.method == "POST" and form.is_valid():
        done = _form_action(request, form, lambda: service(form.cleaned_data), success=_("已办理。"), back=_detail(app))
        if done is not None:
            return done
    return render(request, "track_a/action.html", {"app": app, "form": form, "title": template_title,
                                                   **(extra or {})})


@login_required
def city_review(request, pk, office):
    app = _application(request, pk)
    rule = {Office.CITY_HRSS: "track_a.city_hrss_review", Office.CITY_EDUCATION: "track_a.city_edu_review"}.get(office)
    if rule is None:
        raise Http404
    form = forms.CityReviewForm(request.POST or None, initial={"expected_state": app.state})
    return _decision_view(
        request, app, rule=rule, form=form, template_title=_("%s审核") % Office(office).label,
        service=lambda d: services.city_review(application=app, actor=request.user, office=office,
                                               decision=d["decision"], reasons=d["reasons"],
                                               expected_state=d["expected_state"]))


@login_required
def agreement(request, pk):
    app = _application(request, pk)
    form = forms.AgreementForm(request.POST or None, request.FILES or None, initial={"expected_state": app.state})
    return _decision_view(
        request, app, rule="track_a.city_act", form=form, template_title=_("拟定共建协议"),
        service=lambda d: services.record_agreement(
            application=app, actor=request.user, school_duties=d["school_duties"],
            city_hrss_duties=d["city_hrss_duties"], city_education_duties=d["city_education_duties"],
            enterprise_duties=d["enterprise_duties"], signed_on=d["signed_on"], signed_copy=d["signed_copy"],
            expected_state=d["expected_state"]))


@login_required
def forward(request, pk):
    app = _application(request, pk)
    form = forms.ForwardForm(request.POST or None, initial={"expected_state": app.state})
    return _decision_view(
        request, app, rule="track_a.city_act", form=form, template_title=_("报省教育厅"),
        service=lambda d: services.forward_to_province(application=app, actor=request.user, comment=d["comment"],
                                                       expected_state=d["expected_state"]))


@login_required
def recognition(request, pk, office):
    app = _application(request, pk)
    rule = {Office.PROVINCIAL_EDUCATION: "track_a.prov_edu_recognise",
            Office.PROVINCIAL_HRSS: "track_a.prov_hrss_recognise"}.get(office)
    if rule is None:
        raise Http404
    form = forms.RecognitionForm(request.POST or None, initial={"expected_state": app.state})
    return _decision_view(
        request, app, rule=rule, form=form, template_title=_("%s认定试点单位") % Office(office).label,
        service=lambda d: services.recognise(application=app, actor=request.user, office=office,
                                             decision=d["decision"], reasons=d["reasons"],
                                             expected_state=d["expected_state"]))


@login_required
def grant(request, pk):
    app = _application(request, pk)
    form = forms.GrantForm(request.POST or None, application=app, initial={"expected_state": app.state})
    return _decision_view(
        request, app, rule="track_a.grant", form=form, template_title=_("授予中初级职称自主评审权"),
        service=lambda d: services.grant_authority(application=app, actor=request.user, majors=d["majors"],
                                                   levels=d["levels"], from_year=d["from_year"],
                                                   expected_state=d["expected_state"]))


# --- documents ----------------------------------------------------------------------------------------------------

@login_required
def file(request, pk, kind, item):
    app = _application(request, pk)
    if kind == "plan":
        return _serve(app.plan_file, app.plan_file.name.rsplit("/", 1)[-1] if app.plan_file else "")
    if kind == "document":
        doc = get_object_or_404(CooperationDocument, application=app, pk=item)
        return _serve(doc.file, doc.file.name.rsplit("/", 1)[-1])
    if kind == "agreement" and hasattr(app, "agreement"):
        return _serve(app.agreement.signed_copy, app.agreement.signed_copy.name.rsplit("/", 1)[-1])
    raise Http404


@login_required
def application_pdf(request, pk):
    """附件1 (一式2份). Rendered by a Celery task; served when it is there, otherwise "being prepared"."""
    app = _application(request, pk)
    doc = ApplicationPdf.objects.filter(application=app, source_stamp=app.updated_at).exclude(sha256="").first()
    if doc is None:
        signing.require([tasks.application_seal(app)])  # no credential: say so now (503), not "being prepared"
        result = tasks.render_application_pdf.delay(app.pk)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return _pending(request, app, _("附件1 PDF"))
        doc = ApplicationPdf.objects.get(pk=result.get())
    return _serve(doc.file, f"附件1-立项申请表-{app.unit_name}.pdf")


@login_required
def authority_pdf(request, pk):
    app = _application(request, pk)
    authority = getattr(app, "authority", None) if hasattr(app, "authority") else None
    if authority is None:
        raise Http404
    if not authority.letter_sha256:
        signing.require([tasks.office_seal(authority)])
        tasks.render_authority_letter.delay(authority.pk)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return _pending(request, app, _("授权决定书"))
        authority.refresh_from_db()
    return _serve(authority.letter, f"职称自主评审权授权决定书-{authority.number}.pdf")


