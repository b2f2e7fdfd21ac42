"""附件1 and its workflow through the city and provincial offices (通知 三(一)2), one function per use case."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.track_a import rules, sections
from applications.track_a.models import (
    CityReview,
    CoConstructionAgreement,
    CooperationDocument,
    Decision,
    FullTimeTeacher,
    GrantedAuthority,
    Office,
    PartnerEnterprise,
    PilotApplication,
    PilotMajor,
    Recognition,
    State,
    Submission,
)
from applications.workflow import WorkflowError
from portal import access, audit, queue
from portal.models import Role

from .common import _transition

# --- who may apply, starting, filling -------------------------------------------------------------------------------

def eligibility_of(institution):
    return rules.eligibility(
        has_industry_college=institution.has_industry_college,
        industry_college_level=institution.industry_college_level,
        applied_engineering=institution.applied_engineering,
        is_technician_college=institution.kind == "technician",
    )


def open_application_for(institution):
    return PilotApplication.objects.filter(institution=institution).exclude(state=State.NOT_RECOGNISED).first()


def start_application(*, institution, actor):
    access.require(actor, "track_a.start", institution)
    verdict = eligibility_of(institution)
    if not verdict.ok:
        raise ValidationError(list(verdict.reasons))
    with transaction.atomic():
        if open_application_for(institution) is not None:
            raise ValidationError(_("本校已有一份试点立项申请，不能重复申请。"))
        application = PilotApplication.objects.create(institution=institution, unit_name=institution.name,
                                                      created_by=actor)
        audit.record(actor=actor, action="track_a.start", obj=application, role=Role.UNIVERSITY_STAFF)
    return application


def rows_of(application):
    return {
        "majors": list(application.majors.all()),
        "partners": list(application.partners.all()),
        "teachers": list(application.teachers.all()),
        "documents": list(application.cooperation_documents.all()),
    }


def _locked_editable(application, actor):
    locked = PilotApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)
    if not access.can(actor, "track_a.edit", locked):
        if locked.is_editable:
            raise PermissionDenied("track_a.edit")
        raise WorkflowError(_("申请已提交（%s），当前不能修改。") % locked.get_state_display())
    return locked


def update_section(*, application, actor, section, values=None, rows=None):
    """Saves one section of 附件1 as a draft: ``values`` for its fields, ``rows`` (list of dicts) for its table.

    Counts that do not add up, a practice share outside 0–100%, or a sixth partner are refused here, whatever
    the form did; missing items are allowed (the checklist lists them) so that a draft can be saved in parts.
    """
    if section not in sections.SECTION_KEYS:
        raise ValueError(section)
    values = values or {}
    allowed = set(sections.SECTION_FIELDS[section])
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"fields not in section {section}: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked_editable(application, actor)
        changed = {}
        for name, value in values.items():
            if getattr(locked, name) != value:
                changed[name] = str(value)[:80]
            setattr(locked, name, value)
        if section == "people":
            problems = locked.count_problems()
            if problems:
                raise ValidationError({f: m for f, m in problems})
        if rows is not None:
            _replace_rows(locked, section, rows)
            changed[section] = len(rows)
        locked.save()
        audit.record(actor=actor, action="track_a.update_section", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"section": section, "fields": changed})
    return locked


ROW_MODELS = {"majors": PilotMajor, "partners": PartnerEnterprise, "teachers": FullTimeTeacher}


def _replace_rows(application, section, rows):
    model = ROW_MODELS[section]
    if section == "partners" and len(rows) > rules.MAX_PARTNERS:
        raise ValidationError(_("合作企业(单位)限填5个，当前%d个。") % len(rows))
    if section == "majors":
        names = [r["name"] for r in rows]
        if len(set(names)) != len(names):
            raise ValidationError(_("试点专业名称不能重复。"))
        for r in rows:
            if r["practice_hours"] > r["total_hours"]:
                raise ValidationError(_("%s的实践教学学时不能超过总学时。") % r["name"])
    model.objects.filter(application=application).delete()
    model.objects.bulk_create([model(application=application, position=i, **r) for i, r in enumerate(rows, 1)])


def add_cooperation_document(*, application, actor, title, file):
    with transaction.atomic():
        locked = _locked_editable(application, actor)
        doc = CooperationDocument(application=locked, title=title, file=file, uploaded_by=actor)
        doc.full_clean()
        doc.save()
        locked.save(update_fields=["updated_at"])
        audit.record(actor=actor, action="track_a.add_document", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"title": title})
    return doc


def remove_cooperation_document(*, application, actor, document_id):
    with transaction.atomic():
        locked = _locked_editable(application, actor)
        doc = CooperationDocument.objects.filter(application=locked, pk=document_id).first()
        if doc is None:
            raise ValidationError(_("该附件不存在或已删除。"))
        audit.record(actor=actor, action="track_a.remove_document", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"title": doc.title})
        doc.file.delete(save=False)
        doc.delete()
        locked.save(update_fields=["updated_at"])


def checklist_for(application):
    return sections.checklist(application, **rows_of(application))


# --- the workflow ------------------------------------------------------------------------------------------------------

def submit(*, application, actor, expected_state=None):
    """The school submits (or resubmits) 附件1: complete, or refused with the checklist's problems."""
    problems = [f"{c.title}：{p}" for c in checklist_for(application) for p in c.problems]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        application = _transition(application, "submit", actor=actor, role=Role.UNIVERSITY_STAFF,
                                  expected_state=expected_state)
        Submission.objects.create(application=application, number=application.submission_count,
                                  snapshot=sections.snapshot(application, **rows_of(application)),
                                  submitted_by=actor)
        queue.send_on_commit("applications.track_a.tasks.render_application_pdf", application.pk)
    return application


def submissions_with_changes(application):
    """[(Submission, [(where, old, new)])], newest first: what each resubmission changed."""
    subs = list(application.submissions.all())
    out, previous = [], None
    for sub in subs:
        out.append((sub, sections.diff(previous.snapshot, sub.snapshot) if previous else []))
        previous = sub
    return list(reversed(out))


CITY_TRANSITIONS = {
    (Office.CITY_HRSS, Decision.APPROVE): "city_hrss_approve",
    (Office.CITY_HRSS, Decision.RETURN): "city_hrss_return",
    (Office.CITY_EDUCATION, Decision.APPROVE): "city_edu_approve",
    (Office.CITY_EDUCATION, Decision.RETURN): "city_edu_return",
}


def city_review(*, application, actor, office, decision, reasons="", expected_state=None):
    """One city office's 审定: approve, or return for revision with reasons. Both offices must approve."""
    name = CITY_TRANSITIONS.get((office, decision))
    if name is None:
        raise ValueError((office, decision))
    if decision == Decision.RETURN and not reasons.strip():
        raise ValidationError(_("退回修改时请写明理由。"))
    with transaction.atomic():
        _refuse_second_office(CityReview.objects.filter(application=application,
                                                        submission_number=application.submission_count), office, actor)
        application = _transition(application, name, actor=actor, role=office, comment=reasons,
                                   expected_state=expected_state, data={"office": office, "decision": decision})
        CityReview.objects.create(application=application, office=office, decision=decision, reasons=reasons,
                                  decided_by=actor, submission_number=application.submission_count)
    return application


def _refuse_second_office(decisions, office, actor):
    """The notice names two offices for each decision (三(一)2(2) 人社、教育部门审定; 2(3) 省人社厅、省教育厅认定):
    one person holding both roles decides for one of them only, as for a Track B exemption."""
    if decisions.exclude(office=office).filter(decided_by=actor).exists():
        raise ValidationError(_("您已代表另一部门作出决定；两个部门的决定须由各自部门的人员分别作出。"))


def _city_role_of(actor, application):
    for role in (Role.CITY_HRSS, Role.CITY_EDUCATION):
        if application.institution.city_id in access.city_codes(actor, role):
            return role
    return ""


def record_agreement(*, application, actor, school_duties, city_hrss_duties, city_education_duties,
                     enterprise_duties="", signed_on, signed_copy, expected_state=None):
    """共建协议: each party's duties and the signed copy, recorded by either city office."""
    with transaction.atomic():
        application = _transition(application, "record_agreement", actor=actor,
                                  role=_city_role_of(actor, application), expected_state=expected_state)
        agreement = CoConstructionAgreement(
            application=application, school_duties=school_duties, city_hrss_duties=city_hrss_duties,
            city_education_duties=city_education_duties, enterprise_duties=enterprise_duties, signed_on=signed_on,
            signed_copy=signed_copy, decided_by=actor)
        agreement.full_clean(exclude=["application"])
        CoConstructionAgreement.objects.filter(application=application).delete()
        agreement.save()
    return application


def forward_to_province(*, application, actor, comment="", expected_state=None):
    return _transition(application, "forward_to_province", actor=actor, role=_city_role_of(actor, application),
                       comment=comment, expected_state=expected_state)


RECOGNITION_TRANSITIONS = {
    (Office.PROVINCIAL_EDUCATION, Decision.RECOGNISE): "prov_edu_recognise",
    (Office.PROVINCIAL_EDUCATION, Decision.REFUSE): "prov_edu_refuse",
    (Office.PROVINCIAL_HRSS, Decision.RECOGNISE): "prov_hrss_recognise",
    (Office.PROVINCIAL_HRSS, Decision.REFUSE): "prov_hrss_refuse",
}


def recognise(*, application, actor, office, decision, reasons="", expected_state=None):
    """认定试点单位: provincial education and provincial HRSS each decide; both must recognise."""
    name = RECOGNITION_TRANSITIONS.get((office, decision))
    if name is None:
        raise ValueError((office, decision))
    if decision == Decision.REFUSE and not reasons.strip():
        raise ValidationError(_("不予认定时请写明理由。"))
    with transaction.atomic():
        _refuse_second_office(Recognition.objects.filter(application=application), office, actor)
        application = _transition(application, name, actor=actor, role=office, comment=reasons,
                                  expected_state=expected_state, data={"office": office, "decision": decision})
        Recognition.objects.create(application=application, office=office, decision=decision, reasons=reasons,
                                   decided_by=actor)
    return application


def grant_authority(*, application, actor, majors, levels, from_year, expected_state=None):
    """属地市人社局授予中初级职称自主评审权: the pilot majors, the levels and the first year it applies to."""
    known = list(application.majors.values_list("name", flat=True))
    majors = [m for m in known if m in set(majors)]
    levels = [code for code, _label in rules.TITLE_LEVELS if code in set(levels)]
    if not majors:
        raise ValidationError(_("请选择授权的试点专业。"))
    if not levels:
        raise ValidationError(_("请选择授权的评审级别。"))
    if not 2023 <= int(from_year) <= date.today().year + 5:
        raise ValidationError(_("起始年度应在2023年（通知发布）至今后5年之间。"))
    with transaction.atomic():
        application = _transition(application, "grant_authority", actor=actor, role=Role.CITY_HRSS,
                                  expected_state=expected_state,
                                  data={"majors": majors, "levels": levels, "from_year": int(from_year)})
        city = application.institution.city_id
        year = date.today().year
        seq = GrantedAuthority.objects.filter(institution__city_id=city, number__startswith=f"ZP{city}{year}").count()
        authority = GrantedAuthority.objects.create(
            application=application, institution=application.institution, number=f"ZP{city}{year}{seq + 1:03d}",
            majors=majors, levels=levels, from_year=int(from_year), decided_by=actor)
        queue.send_on_commit("applications.track_a.tasks.render_authority_letter", authority.pk)
    return application


