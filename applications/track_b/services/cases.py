"""The university's 附件3/附件4 case (create, save a section, submit, withdraw) and the receiving office's first answer
(accept, return for revision).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.models import Institution, Role
from portal.routing import skill_filing_authority

from .. import selectors
from ..completeness import errors, load_rows, problems_of
from ..models import (
    EDITABLE_STATES,
    OPEN_STATES,
    FilingApplication,
    GeneratedDocument,
    ImplementationPlan,
    Submission,
)
from ..snapshots import diff, snapshot
from .common import (
    DEFAULT_OPINION,
    IncompleteApplication,
    TrackBError,
    _check_expected,
    _lock,
    _office_role,
    _staff,
    _state_label,
    link,
    schedule_documents,
)

# --- the university ----------------------------------------------------------------------------------

def prefill(institution):
    """附件3 一、基本信息 as far as the institution's record knows it."""
    nature = _("民办非企业单位") if institution.uscc.startswith("52") else _("事业单位")
    return {
        "unit_name": institution.name,
        "unit_address": institution.address,
        "unit_nature": f"{nature}（{institution.get_affiliation_display()}{institution.get_kind_display()}）",
        "uscc": institution.uscc,
        "website": institution.website,
        "contact_email": institution.contact_email,
        "org_contact_name": institution.contact_name,
        "org_contact_phone": institution.contact_phone,
        "applicant_opinion": str(DEFAULT_OPINION),
    }


def create_application(*, user, institution=None):
    """Starts (or returns the open) filing case of the user's institution. Returns (application, created)."""
    ids = sorted(access.institution_ids(user))
    if institution is None:
        if not ids:
            raise PermissionDenied("track_b.create")
        institution = Institution.objects.get(pk=ids[0])
    if institution.pk not in ids:
        raise PermissionDenied("track_b.create")
    with transaction.atomic():
        Institution.objects.select_for_update().get(pk=institution.pk)  # one open case per institution
        existing = FilingApplication.objects.filter(institution=institution, state__in=OPEN_STATES).first()
        if existing is not None:
            return existing, False
        authority = skill_filing_authority(institution)
        application = FilingApplication.objects.create(
            institution=institution, authority_role=authority.role, authority_city_id=authority.city_code,
            created_by=user, **prefill(institution))
        ImplementationPlan.objects.create(application=application)
        audit.record(actor=user, action="track_b.create", obj=application, role=Role.UNIVERSITY_STAFF)
    return application, True


def _ensure_editable(locked):
    if locked.state not in EDITABLE_STATES:
        raise WorkflowError(_("当前状态为“%(state)s”，不能修改申报材料。") % {"state": _state_label(locked.state)})


def save_section(application, *, user, section, form=None, formsets=()):
    """Saves one section of the draft (forms already valid): a draft may be saved at any time."""
    if not access.can(user, "track_b.edit", application):
        raise PermissionDenied("track_b.edit")
    with transaction.atomic():
        locked = _lock(application)
        _ensure_editable(locked)
        if form is not None:
            instance = form.save(commit=False)
            if isinstance(instance, FilingApplication):
                instance.save(update_fields=[*form.cleaned_data.keys(), "updated_at"])
            else:
                instance.save()
        for formset in formsets:
            formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            position = 0
            for row_form in formset.forms:
                if row_form in formset.deleted_forms or (row_form.instance.pk is None and not row_form.has_changed()):
                    continue
                position += 1
                row = row_form.instance
                row.application = locked
                row.position = position
                upload = row_form.files.get(row_form.add_prefix("file")) if "file" in row_form.fields else None
                if upload is not None:
                    row.original_name = upload.name[:200]
                row.save()
        FilingApplication.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        audit.record(actor=user, action="track_b.save_section", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"section": section})
    return locked


def submit(application, *, user, expected_state=None):
    """Submits 附件3/4 after the completeness check; keeps a snapshot and what changed since last time."""
    with transaction.atomic():
        locked = _lock(application)
        _check_expected(locked, expected_state)
        rows = load_rows(locked)
        plan = ImplementationPlan.objects.filter(application=locked).first()
        if locked.state in EDITABLE_STATES:
            blocking = errors(problems_of(locked, plan=plan, rows=rows))
            if blocking:
                raise IncompleteApplication(blocking)
        authority = skill_filing_authority(locked.institution)
        previous = Submission.objects.filter(application=locked).order_by("-number").first()
        data = snapshot(locked, plan=plan, rows=rows)
        changes = diff(previous.data if previous else None, data)
        resubmission = previous is not None
        result = run_transition(
            locked, "submit", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
            comment=(_("修改后重新提交，共修改%(n)d处。") % {"n": len(changes)}) if resubmission else "",
            data={"changes": len(changes)} if resubmission else {},
            authority_role=authority.role, authority_city_id=authority.city_code, submitted_at=timezone.now(),
            notify_users=selectors.authority_officials,
            notice_title=(_("%(unit)s重新提交了职业技能等级认定备案申请，请受理") if resubmission
                          else _("%(unit)s提交了职业技能等级认定备案申请，请受理")) % {"unit": locked.unit_name},
            notice_link=link)
        Submission.objects.create(application=result, number=result.revision, submitted_by=user, data=data,
                                  changes=changes)
        schedule_documents(result.pk, GeneratedDocument.Kind.ANNEX3, GeneratedDocument.Kind.ANNEX4)
    return result


def withdraw(application, *, user, expected_state=None, reason=""):
    """The university withdraws before the office accepts."""
    notify_office = application.revision > 0
    return run_transition(
        application, "withdraw", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
        comment=reason, notify_users=selectors.authority_officials if notify_office else (),
        notice_title=_("%(unit)s撤回了职业技能等级认定备案申请") % {"unit": application.unit_name},
        notice_link=link)


# --- the receiving office ------------------------------------------------------------------------------

def accept(application, *, user, expected_state=None, comment=""):
    return run_transition(
        application, "accept", actor=user, role=_office_role(user, application), expected_state=expected_state,
        comment=comment, notify_users=_staff,
        notice_title=_("职业技能等级认定备案申请已受理，将组织专家评估论证"), notice_link=link)


def return_for_revision(application, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("退回修改须写明理由。"))
    return run_transition(
        application, "return_for_revision", actor=user, role=_office_role(user, application),
        expected_state=expected_state, comment=reasons, data={"reasons": reasons}, notify_users=_staff,
        notice_title=_("职业技能等级认定备案申请被退回修改，请按意见修改后重新提交"), notice_link=link)


