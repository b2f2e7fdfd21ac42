"""Track A use cases, one function each, with keyword-only arguments. Every state change goes through
``applications.workflow.run_transition`` (lock, permission, log, audit, notify) — whether a person, a task or a
command calls it. The offices' decisions are recorded as their own rows in the same transaction."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.track_a import rules, sections, selectors
from applications.track_a.models import (
    CityReview,
    CoConstructionAgreement,
    CommitteeFiling,
    CommitteeMember,
    CommitteeState,
    CooperationDocument,
    Decision,
    DocumentReview,
    EvaluationCommittee,
    FullTimeTeacher,
    GrantedAuthority,
    Office,
    PartnerEnterprise,
    PilotApplication,
    PilotMajor,
    Recognition,
    SiteEvaluation,
    State,
    Submission,
)
from applications.track_a.routing import committee_filing_office
from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.models import Role
from portal.notify import notify

MIN_REVIEW_EXPERTS = 3  # 专家论证/实地评估: a panel of at least three (the notice is silent; a panel needs a majority)

# Re-exported for other apps: the evaluation round asks these.
granted_authority_for = selectors.granted_authority_for
filed_committee_for = selectors.filed_committee_for


# --- who is told ---------------------------------------------------------------------------------------------------

def officials(role, city_code=None):
    qs = get_user_model().objects.filter(is_active=True, roles__role=role)
    if city_code:
        qs = qs.filter(roles__city_id=city_code)
    return list(qs.distinct())


def school_staff(institution_id):
    return list(get_user_model().objects.filter(is_active=True, roles__role=Role.UNIVERSITY_STAFF,
                                                roles__institution_id=institution_id).distinct())


def _link(application):
    return reverse("track_a:detail", args=[application.pk])


def _committee_link(committee):
    return reverse("track_a:committee_detail", args=[committee.pk])


NEXT = {
    # state reached → (who acts next, what they are told)
    State.SUBMITTED: ([Role.CITY_HRSS, Role.CITY_EDUCATION], "请审核试点立项申请：%s"),
    State.CITY_HRSS_APPROVED: ([Role.CITY_EDUCATION], "市人社局已同意，请市教育局审核：%s"),
    State.CITY_EDU_APPROVED: ([Role.CITY_HRSS], "市教育局已同意，请市人社局审核：%s"),
    State.RETURNED_CITY: (["staff"], "试点立项申请被市级退回修改：%s"),
    State.CITY_APPROVED: ([Role.CITY_HRSS, Role.CITY_EDUCATION, "staff"], "市级审定通过，请拟定共建协议：%s"),
    State.AGREEMENT_SIGNED: ([Role.CITY_HRSS, Role.CITY_EDUCATION], "共建协议已拟定，请报省教育厅：%s"),
    State.AT_PROVINCE: ([Role.PROVINCIAL_EDUCATION, "staff"], "请组织专家论证：%s"),
    State.RETURNED_PROVINCE: (["staff"], "试点立项申请被省教育厅退回修改：%s"),
    State.DOCUMENT_REVIEWED: ([Role.PROVINCIAL_EDUCATION, "staff"], "专家论证通过，请组织实地评估：%s"),
    State.SITE_EVALUATED: ([Role.PROVINCIAL_EDUCATION, Role.PROVINCIAL_HRSS], "实地评估完成，请认定试点单位：%s"),
    State.PROV_EDU_RECOGNISED: ([Role.PROVINCIAL_HRSS], "省教育厅已认定，请省人社厅认定：%s"),
    State.PROV_HRSS_RECOGNISED: ([Role.PROVINCIAL_EDUCATION], "省人社厅已认定，请省教育厅认定：%s"),
    State.RECOGNISED: ([Role.CITY_HRSS, "staff"], "已认定为试点单位，请市人社局授予自主评审权：%s"),
    State.NOT_RECOGNISED: (["staff", Role.CITY_HRSS, Role.CITY_EDUCATION], "试点立项申请未予认定：%s"),
    State.AUTHORISED: (["staff"], "已授予产业工程师中初级职称自主评审权，请制定评审标准、组建评委会：%s"),
}


def next_recipients(application):
    roles, _title = NEXT.get(application.state, ([], ""))
    users = []
    for role in roles:
        if role == "staff":
            users += school_staff(application.institution_id)
        elif role in (Role.CITY_HRSS, Role.CITY_EDUCATION):
            users += officials(role, application.institution.city_id)
        else:
            users += officials(role)
    return users


def _notice_title(application):
    _roles, title = NEXT.get(application.state, ([], "%s"))
    return _(title) % application.unit_name


def _transition(application, name, *, actor, role, comment="", expected_state=None, data=None):
    """``run_transition`` (lock, check, log, audit), then tell whoever acts in the state actually reached.

    The notice depends on the target, which only the locked row knows (a transition written with two sources has
    two targets), so the notification is sent here, in the same transaction, rather than by ``run_transition``.
    """
    with transaction.atomic():
        application = run_transition(application, name, actor=actor, role=role, comment=comment, data=data,
                                     expected_state=expected_state)
        notify(next_recipients(application), title=_notice_title(application), body=comment,
               link=_link(application))
    return application


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
        doc = CooperationDocument.objects.get(application=locked, pk=document_id)
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
    from applications.track_a import tasks

    problems = [f"{c.title}：{p}" for c in checklist_for(application) for p in c.problems]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        application = _transition(application, "submit", actor=actor, role=Role.UNIVERSITY_STAFF,
                                  expected_state=expected_state)
        Submission.objects.create(application=application, number=application.submission_count,
                                  snapshot=sections.snapshot(application, **rows_of(application)),
                                  submitted_by=actor)
        pk = application.pk
        transaction.on_commit(lambda: tasks.render_application_pdf.delay(pk))
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
        application = _transition(application, name, actor=actor, role=office, comment=reasons,
                                   expected_state=expected_state, data={"office": office, "decision": decision})
        CityReview.objects.create(application=application, office=office, decision=decision, reasons=reasons,
                                  decided_by=actor, submission_number=application.submission_count)
    return application


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


def _check_experts(application, experts):
    experts = list(experts)
    if len(experts) < MIN_REVIEW_EXPERTS:
        raise ValidationError(_("专家不少于%d人。") % MIN_REVIEW_EXPERTS)
    allowed = set(selectors.expert_pool_for(application).values_list("pk", flat=True))
    conflicted = [str(e) for e in experts if e.pk not in allowed]
    if conflicted:
        raise ValidationError(_("以下专家受聘于申报单位，应当回避：%s") % "、".join(conflicted))
    return experts


def document_review(*, application, actor, held_on, experts, conclusion, opinion, expected_state=None):
    """专家论证 (provincial education): passed → on-site evaluation next; otherwise returned to the school."""
    experts = _check_experts(application, experts)
    if not opinion.strip():
        raise ValidationError(_("请填写专家论证意见。"))
    name = "pass_document_review" if conclusion == DocumentReview.Conclusion.PASS else "province_return"
    with transaction.atomic():
        application = _transition(application, name, actor=actor, role=Role.PROVINCIAL_EDUCATION, comment=opinion,
                                  expected_state=expected_state, data={"conclusion": conclusion})
        review = DocumentReview.objects.create(application=application, held_on=held_on, conclusion=conclusion,
                                               opinion=opinion, decided_by=actor,
                                               submission_number=application.submission_count)
        review.experts.set(experts)
    return application


def return_from_province(*, application, actor, reasons, expected_state=None):
    if not reasons.strip():
        raise ValidationError(_("退回修改时请写明理由。"))
    return _transition(application, "province_return", actor=actor, role=Role.PROVINCIAL_EDUCATION,
                       comment=reasons, expected_state=expected_state)


def site_evaluation(*, application, actor, visited_on, experts, training_model, foundations, policy_support,
                    guarantees, recommendation, expected_state=None):
    """实地评估: date, experts from the pool, findings on the four points of 通知 三(一)2(3)."""
    experts = _check_experts(application, experts)
    with transaction.atomic():
        application = _transition(application, "record_site_evaluation", actor=actor,
                                  role=Role.PROVINCIAL_EDUCATION, expected_state=expected_state,
                                  data={"recommendation": recommendation})
        evaluation = SiteEvaluation.objects.create(
            application=application, visited_on=visited_on, training_model=training_model, foundations=foundations,
            policy_support=policy_support, guarantees=guarantees, recommendation=recommendation, decided_by=actor)
        evaluation.experts.set(experts)
    return application


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
        application = _transition(application, name, actor=actor, role=office, comment=reasons,
                                  expected_state=expected_state, data={"office": office, "decision": decision})
        Recognition.objects.create(application=application, office=office, decision=decision, reasons=reasons,
                                   decided_by=actor)
    return application


def grant_authority(*, application, actor, majors, levels, from_year, expected_state=None):
    """属地市人社局授予中初级职称自主评审权: the pilot majors, the levels and the first year it applies to."""
    from applications.track_a import tasks

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
        pk = authority.pk
        transaction.on_commit(lambda: tasks.render_authority_letter.delay(pk))
    return application


# --- the evaluation committee -----------------------------------------------------------------------------------------

COMMITTEE_FIELDS = ["name", "level", "by_provincial_department", "talent_pool", "method", "standard", "rules_file"]


def create_committee(*, institution, actor, values):
    access.require(actor, "track_a.start_committee", institution)
    authority = granted_authority_for(institution)
    if authority is None:
        raise ValidationError(_("授予职称自主评审权后才能组建评委会。"))
    with transaction.atomic():
        if EvaluationCommittee.objects.filter(institution=institution, level=values.get("level")).exists():
            raise ValidationError(_("本校已有该级别的评委会。"))
        committee = EvaluationCommittee(institution=institution, authority=authority, created_by=actor,
                                        **{k: v for k, v in values.items() if k in COMMITTEE_FIELDS})
        committee.full_clean(exclude=["state"])
        committee.save()
        audit.record(actor=actor, action="track_a.create_committee", obj=committee, role=Role.UNIVERSITY_STAFF)
    return committee


def _locked_committee(committee, actor):
    locked = EvaluationCommittee.objects.select_for_update().select_related("institution").get(pk=committee.pk)
    if not access.can(actor, "track_a.edit_committee", locked):
        if locked.is_editable:
            raise PermissionDenied("track_a.edit_committee")
        raise WorkflowError(_("评委会已报送（%s），当前不能修改。") % locked.get_state_display())
    return locked


def update_committee(*, committee, actor, values):
    with transaction.atomic():
        locked = _locked_committee(committee, actor)
        for name, value in values.items():
            if name in COMMITTEE_FIELDS:
                setattr(locked, name, value)
        locked.save()
        audit.record(actor=actor, action="track_a.update_committee", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"fields": sorted(values)})
    return locked


def set_members(*, committee, actor, members):
    """Replaces the members: ``members`` = [{"expert": ExpertProfile, "is_chair", "term_start", "term_end"}]."""
    experts = [m["expert"].pk for m in members]
    if len(set(experts)) != len(experts):
        raise ValidationError(_("同一专家不能重复列为委员。"))
    if sum(1 for m in members if m["is_chair"]) > 1:
        raise ValidationError(_("评委会只能有一名主任委员。"))
    with transaction.atomic():
        locked = _locked_committee(committee, actor)
        CommitteeMember.objects.filter(committee=locked).delete()
        CommitteeMember.objects.bulk_create([CommitteeMember(committee=locked, **m) for m in members])
        locked.save(update_fields=["updated_at"])
        audit.record(actor=actor, action="track_a.set_members", obj=locked, role=Role.UNIVERSITY_STAFF,
                     changes={"members": len(members)})
    return locked


def committee_members(committee):
    return list(committee.members.select_related("expert__user"))


def committee_problems(committee, members=None):
    members = committee_members(committee) if members is None else members
    return rules.committee_problems(
        level=committee.level, authority_levels=committee.authority.levels,
        members=[rules.Member(name=m.expert.user.display_name, title_level=m.expert.title_level, is_chair=m.is_chair,
                              term_start=m.term_start, term_end=m.term_end) for m in members])


def committee_snapshot(committee, members):
    fields = [[str(EvaluationCommittee._meta.get_field(f).verbose_name), str(getattr(committee, f))]
              for f in ("name", "talent_pool", "method", "standard")]
    fields.append([str(_("评委会级别")), committee.get_level_display()])
    rows = [[m.expert.user.display_name,
             "，".join([m.expert.get_title_level_display(), m.expert.title,
                       str(_("主任委员")) if m.is_chair else str(_("委员")), f"{m.term_start}—{m.term_end}"])]
            for m in members]
    return {"sections": [{"key": "committee", "title": str(_("评委会")), "items": fields},
                         {"key": "members", "title": str(_("委员")), "items": rows}]}


def committee_recipients(committee):
    office = committee_filing_office(committee)
    if committee.state == CommitteeState.FILED:
        return officials(office.role, office.city_code)
    return school_staff(committee.institution_id)


def file_committee(*, committee, actor, expected_state=None):
    """报送核准备案 to the office ``routing.committee_filing_office`` names; refused while the rules are not met."""
    members = committee_members(committee)
    problems = committee_problems(committee, members)
    if problems:
        raise ValidationError(problems)
    office = committee_filing_office(committee)
    with transaction.atomic():
        committee = run_transition(
            committee, "file_for_approval", actor=actor, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
            notify_users=committee_recipients, notice_title=_("请审核评委会核准备案：%s") % committee.name,
            notice_link=_committee_link)
        CommitteeFiling.objects.create(committee=committee, number=committee.filing_count, office_role=office.role,
                                       office_city_id=office.city_code, filed_by=actor,
                                       snapshot=committee_snapshot(committee, members))
    return committee


def review_committee(*, committee, actor, decision, reasons="", expected_state=None):
    """The filing office approves (核准备案) or returns the committee with reasons."""
    from django.utils import timezone

    if decision == CommitteeFiling.Decision.RETURN and not reasons.strip():
        raise ValidationError(_("退回修改时请写明理由。"))
    name = {CommitteeFiling.Decision.APPROVE: "approve_filing", CommitteeFiling.Decision.RETURN: "return_filing"}
    office = committee_filing_office(committee)
    title = _("评委会已核准备案：%s") if decision == CommitteeFiling.Decision.APPROVE else _("评委会被退回修改：%s")
    with transaction.atomic():
        committee = run_transition(committee, name[decision], actor=actor, role=office.role, comment=reasons,
                                   expected_state=expected_state, notify_users=committee_recipients,
                                   notice_title=title % committee.name, notice_link=_committee_link)
        CommitteeFiling.objects.filter(committee=committee, number=committee.filing_count).update(
            decision=decision, reasons=reasons, decided_by=actor, decided_at=timezone.now())
    return committee


def filings_with_changes(committee):
    filings = list(committee.filings.all())
    out, previous = [], None
    for filing in filings:
        out.append((filing, sections.diff(previous.snapshot, filing.snapshot) if previous else []))
        previous = filing
    return list(reversed(out))
