"""Track B use cases. Each validates, changes, logs (TransitionLog + audit) and notifies whoever acts next —
the same way whether a person, a task or a command calls it. Transitions only go through
``applications.workflow.run_transition``.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import WorkflowError, run_transition
from evaluation.models import Graduate
from portal import access, audit
from portal.identifiers import normalize_ric
from portal.models import Institution, Role
from portal.notify import notify
from portal.routing import skill_filing_authority

from . import selectors
from .completeness import errors, load_rows, problems_of
from .models import (
    EDITABLE_STATES,
    OPEN_STATES,
    EvaluationReport,
    FiledOccupation,
    FilingApplication,
    FilingState,
    GeneratedDocument,
    ImplementationPlan,
    PanelConflict,
    PanelMember,
    ReportConclusion,
    ReportSignature,
    SkillLevel,
    Submission,
    TrainingTarget,
)
from .snapshots import diff, snapshot

PANEL_MIN_SIZE = 3
DEFAULT_OPINION = gettext_lazy("本表填报信息真实、准确、完整。本单位申请备案为职业技能等级认定机构，开展职业技能等级认定工作。")


class TrackBError(Exception):
    """A request that cannot be carried out as asked; ``messages`` say why, in Chinese."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, list | tuple) else [messages])]
        super().__init__("；".join(self.messages))


class IncompleteApplication(TrackBError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__([str(p) for p in problems])


def link(application):
    return reverse("track_b:detail", args=[application.pk])


def _state_label(value):
    return str(FilingState(value).label)


def _check_expected(locked, expected_state):
    if expected_state and locked.state != expected_state:
        raise WorkflowError(_("该事项已由他人处理，当前状态为“%(state)s”，请刷新页面后再操作。")
                            % {"state": _state_label(locked.state)})


def _lock(application):
    return FilingApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)


def schedule_documents(application_id, *kinds):
    """Renders the PDFs after the transaction commits (a Celery task; in-process without a broker)."""
    from .tasks import render_document

    for kind in kinds:
        transaction.on_commit(lambda kind=kind: render_document.delay(application_id, kind))


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

def _office_role(user, application):
    return application.authority_role if access.can(user, "track_b.review", application) else ""


def _staff(application):
    return selectors.institution_staff(application.institution_id)


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


def _panel_users(application):
    return [m.expert for m in PanelMember.objects.filter(application=application).select_related("expert")]


def classify_expert(profile, application, *, listed_ids=None, staff_ids=None, conflicts=None):
    """(kind, employer) of a pool expert for this case (通知 三(二)2(2): 校外专家不少于三分之二):

    - ``blocked`` — a conflict of interest: declared (``PanelConflict``, 回避), or the person runs the
      applicant's own certification work (its 附件3 工作人员, or its 经办人 in the portal);
    - ``internal`` — 校内专家: employed by the applicant as recorded in the expert pool (the expert role's
      employer), or engaged by it (listed in its 附件3 as expert or examiner). May sit; counts against 2/3;
    - ``external`` — 校外专家.
    ``conflicts``: {expert user id: reason} of the case (read once per page by ``conflicts_of``)."""
    roles = getattr(profile.user, "all_roles", None)
    if roles is None:
        roles = list(profile.user.roles.select_related("institution"))
    employers = [r for r in roles if r.role == Role.EXPERT]
    employer = "、".join(r.employer_name for r in employers if r.employer_name) or "—"
    institution = application.institution
    if conflicts is None:
        conflicts = conflicts_of(application)
    if profile.user_id in conflicts:
        return "blocked", employer
    if any(r.institution_id == institution.pk for r in roles if r.role == Role.UNIVERSITY_STAFF):
        return "blocked", employer
    number = normalize_ric(profile.id_number)
    if number and staff_ids is not None and number in staff_ids:
        return "blocked", employer
    if any(r.institution_id == institution.pk or r.organisation.strip() == institution.name for r in employers):
        return "internal", employer
    if number and listed_ids is not None and number in listed_ids:
        return "internal", employer
    return "external", employer


def conflicts_of(application):
    """{expert user id: 回避事由} declared for this case."""
    return dict(PanelConflict.objects.filter(application=application).values_list("expert_id", "reason"))


def record_conflict(application, *, user, expert_id, reason):
    """The receiving office records an expert's declared conflict (回避) for this case; the expert is taken off
    the panel if on it (signatures are cleared as for any change of the panel)."""
    if not access.can(user, "track_b.review", application):
        raise PermissionDenied("track_b.review")
    reason = (reason or "").strip()
    if not reason:
        raise TrackBError(_("请写明回避事由。"))
    with transaction.atomic():
        locked = _lock(application)
        if locked.state not in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION):
            raise WorkflowError(_("当前状态为“%(state)s”，不能登记回避。") % {"state": _state_label(locked.state)})
        profile = selectors.expert_pool().filter(user_id=expert_id).select_related("user").first()
        if profile is None:
            raise TrackBError(_("所选人员不在专家库中。"))
        conflict, created = PanelConflict.objects.get_or_create(
            application=locked, expert=profile.user, defaults={"reason": reason[:200], "recorded_by": user})
        member = PanelMember.objects.filter(application=locked, expert=profile.user).first()
        if member is not None:
            if member.is_leader:
                raise TrackBError(_("%(name)s 是专家组组长：请先另行指定组长并调整专家组，再登记其回避。")
                                  % {"name": profile.user.display_name})
            member.delete()
            report = EvaluationReport.objects.filter(application=locked).first()
            if report is not None:
                _clear_signatures(report, reason=_("专家组成员已调整"))
        audit.record(actor=user, action="track_b.record_conflict", obj=locked, role=locked.authority_role,
                     changes={"expert": profile.user.get_username(), "reason": reason[:200],
                              "removed_from_panel": member is not None})
    return conflict


def listed_people(application):
    """Normalised ID numbers of the applicant's own staff, and of the experts and examiners it lists."""
    staff = {normalize_ric(n) for n in application.staff.values_list("id_number", flat=True) if n}
    listed = {normalize_ric(n) for n in application.listed_experts.values_list("id_number", flat=True) if n}
    listed |= {normalize_ric(n) for n in application.examiners.values_list("id_number", flat=True) if n}
    return staff, listed


def check_panel(application, chosen, leader_id):
    """Messages saying why a panel may not be formed ([] when it may). ``chosen``: [(profile, kind, employer)]."""
    problems = []
    for profile, kind, _employer in chosen:
        if kind == "blocked":
            problems.append(_("专家“%(name)s”与申报单位“%(unit)s”存在利害关系（已声明回避，或负责该单位的认定工作），"
                              "按回避规定不能选入评估论证专家组。") % {"name": profile.user.display_name,
                                                             "unit": application.institution.name})
    n = len(chosen)
    if n < PANEL_MIN_SIZE:
        problems.append(_("评估论证专家组至少由%(min)d名专家组成，当前选择了%(n)d名。") % {"min": PANEL_MIN_SIZE, "n": n})
    external = sum(1 for _p, kind, _e in chosen if kind == "external")
    needed = -(-2 * n // 3)  # ceil(2n/3)
    if n and external < needed:
        problems.append(_("校外专家不少于三分之二：当前%(n)d名专家中校外专家%(ext)d名，至少需要%(need)d名。"
                          "受聘于申报单位的专家（校内专家），以及列于其附件3专家或考评人员名单中的专家，"
                          "不计为校外专家。")
                        % {"n": n, "ext": external, "need": needed})
    if leader_id not in {p.user_id for p, _k, _e in chosen}:
        problems.append(_("请从所选专家中指定一名组长（负责起草评估论证报告）。"))
    return problems


def assign_panel(application, *, user, expert_ids, leader_id, expected_state=None):
    """Forms (or changes) the expert panel from the pool; forming it starts the evaluation."""
    if not access.can(user, "track_b.review", application):
        raise PermissionDenied("track_b.review")
    expert_ids = [int(i) for i in dict.fromkeys(expert_ids)]
    leader_id = int(leader_id) if leader_id else None
    with transaction.atomic():
        locked = _lock(application)
        _check_expected(locked, expected_state)
        if locked.state not in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION):
            raise WorkflowError(_("当前状态为“%(state)s”，不能组建或调整专家组。") % {"state": _state_label(locked.state)})
        pool = {p.user_id: p for p in selectors.expert_pool().filter(user_id__in=expert_ids)}
        unknown = [i for i in expert_ids if i not in pool]
        if unknown:
            raise TrackBError(_("所选人员不在专家库中。"))
        staff_ids, listed_ids = listed_people(locked)
        conflicts = conflicts_of(locked)
        chosen = [(pool[i], *classify_expert(pool[i], locked, listed_ids=listed_ids, staff_ids=staff_ids,
                                             conflicts=conflicts)) for i in expert_ids]
        problems = check_panel(locked, chosen, leader_id)
        if problems:
            raise TrackBError(problems)
        existing = {m.expert_id: m for m in locked.panel.all()}
        old_leader = next((i for i, m in existing.items() if m.is_leader), None)
        changed = set(existing) != set(expert_ids) or old_leader != leader_id
        PanelMember.objects.filter(application=locked).exclude(expert_id__in=expert_ids).delete()
        PanelMember.objects.filter(application=locked).update(is_leader=False)
        new_members = []
        for profile, kind, employer in chosen:
            member = existing.get(profile.user_id)
            if member is None:
                member = PanelMember.objects.create(
                    application=locked, expert=profile.user, is_leader=profile.user_id == leader_id,
                    is_external=kind == "external", employer=employer[:100], title=profile.title[:100],
                    assigned_by=user)
                new_members.append(member)
            elif profile.user_id == leader_id:
                PanelMember.objects.filter(pk=member.pk).update(is_leader=True)
        report, _created = EvaluationReport.objects.get_or_create(application=locked)
        cleared = _clear_signatures(report, reason=_("专家组成员已调整")) if changed else 0
        panel_data = {"panel": [p.user.get_username() for p, _k, _e in chosen], "leader": leader_id}
        if locked.state == FilingState.ACCEPTED:
            return run_transition(
                locked, "start_evaluation", actor=user, role=locked.authority_role, expected_state=FilingState.ACCEPTED,
                data=panel_data,
                notify_users=lambda a: _panel_users(a) + list(_staff(a)),
                notice_title=_("评估论证专家组已组建：%(unit)s 职业技能等级认定备案") % {"unit": locked.unit_name},
                notice_link=link)
        if changed:
            audit.record(actor=user, action="track_b.change_panel", obj=locked, role=locked.authority_role,
                         changes={**panel_data, "signatures_cleared": cleared})
            notify([m.expert for m in new_members], title=_("您已被选入评估论证专家组：%(unit)s") % {"unit": locked.unit_name},
                   link=link(locked))
        return locked


# --- the panel and 附件5 ---------------------------------------------------------------------------------

def applied_occupations(application):
    """The occupations the university applied for (附件3 二), in code order, each once."""
    seen = {}
    for row in application.majors.select_related("occupation").order_by("occupation__code"):
        if row.occupation_id and row.occupation_id not in seen:
            seen[row.occupation_id] = row.occupation
    return list(seen.values())


def _clear_signatures(report, *, reason, keep_user=None):
    signatures = list(report.signatures.select_related("member__expert"))
    if not signatures:
        return 0
    ReportSignature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    recipients = [s.member.expert for s in signatures if s.member.expert_id != getattr(keep_user, "pk", None)]
    notify(recipients, title=_("评估论证报告的签字已清除，请重新审阅并签字：%(unit)s") % {"unit": report.application.unit_name},
           body=str(reason), link=reverse("track_b:report", args=[report.application_id]))
    return len(signatures)


def save_report(application, *, user, fields, conclusions, expected_version=None):
    """The panel leader drafts 附件5. Changing its content after a signature clears every signature."""
    with transaction.atomic():
        locked = _lock(application)
        if locked.state != FilingState.UNDER_EVALUATION:
            raise WorkflowError(_("当前状态为“%(state)s”，评估论证报告不能再修改。") % {"state": _state_label(locked.state)})
        if not access.can(user, "track_b.edit_report", locked):
            raise PermissionDenied("track_b.edit_report")
        report = EvaluationReport.objects.select_for_update().get(application=locked)
        if expected_version is not None and report.version != int(expected_version):
            raise WorkflowError(_("报告已被修改（当前为第%(v)d版），请刷新页面后再编辑。") % {"v": report.version})
        allowed = {o.pk for o in applied_occupations(locked)}
        new_conclusions = sorted((int(k), int(v)) for k, v in conclusions.items() if int(k) in allowed and v != "")
        before = report.content_hash()
        for name, value in fields.items():
            setattr(report, name, value)
        after = report.content_hash(conclusions=new_conclusions)
        if before == after:
            return report, 0
        report.version += 1
        report.updated_by = user
        report.save()
        ReportConclusion.objects.filter(report=report).exclude(occupation_id__in=[o for o, _t in new_conclusions]) \
            .delete()
        for occupation_id, target in new_conclusions:
            ReportConclusion.objects.update_or_create(report=report, occupation_id=occupation_id,
                                                      defaults={"target": target})
        cleared = _clear_signatures(report, reason=_("组长修改了报告内容（第%(v)d版）") % {"v": report.version},
                                    keep_user=user)
        audit.record(actor=user, action="track_b.edit_report", obj=locked, role=Role.EXPERT,
                     changes={"version": report.version, "signatures_cleared": cleared})
    return report, cleared


def report_problems(report, application):
    """What 附件5 still lacks before the panel may sign it."""
    problems = []
    for name in EvaluationReport.TEXT_FIELDS:
        if not getattr(report, name):
            problems.append(_("“%(label)s”未填写。") % {"label": EvaluationReport._meta.get_field(name).verbose_name})
    have = {c.occupation_id for c in report.conclusions.all()}
    for occupation in applied_occupations(application):
        if occupation.pk not in have:
            problems.append(_("尚未给出“%(occ)s”的评估结论。") % {"occ": occupation})
    return problems


def sign_report(application, *, user, expected_version):
    """A panel member confirms (signs) the version they read; the last signature makes the report final."""
    with transaction.atomic():
        locked = _lock(application)
        if locked.state != FilingState.UNDER_EVALUATION:
            raise WorkflowError(_("当前状态为“%(state)s”，不能签字。") % {"state": _state_label(locked.state)})
        member = PanelMember.objects.filter(application=locked, expert=user).first()
        if member is None:
            raise PermissionDenied("track_b.sign_report")
        report = EvaluationReport.objects.select_for_update().get(application=locked)
        if report.version != int(expected_version):
            raise WorkflowError(_("您阅读后报告已被组长修改（当前为第%(v)d版），请重新阅读后再签字。") % {"v": report.version})
        problems = report_problems(report, locked)
        if problems:
            raise TrackBError(problems)
        _signature, created = ReportSignature.objects.get_or_create(
            report=report, member=member, defaults={"content_sha256": report.content_hash(), "version": report.version})
        if created:
            audit.record(actor=user, action="track_b.sign_report", obj=locked, role=Role.EXPERT,
                         changes={"version": report.version})
        members = PanelMember.objects.filter(application=locked).count()
        if report.signatures.count() < members:
            return locked
        result = run_transition(
            locked, "complete_report", actor=user, role=Role.EXPERT, expected_state=FilingState.UNDER_EVALUATION,
            data={"version": report.version, "sha256": report.content_hash()},
            notify_users=selectors.authority_officials,
            notice_title=_("评估论证报告已由专家组全体签字，请办理备案：%(unit)s") % {"unit": locked.unit_name},
            notice_link=link)
        schedule_documents(result.pk, GeneratedDocument.Kind.ANNEX5)
    return result


def reopen_evaluation(application, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("退回专家组重新论证须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            application, "reopen_evaluation", actor=user, role=_office_role(user, application),
            expected_state=expected_state, comment=reasons, notify_users=_panel_users,
            notice_title=_("评估论证报告被退回专家组重新论证：%(unit)s") % {"unit": application.unit_name},
            notice_link=lambda a: reverse("track_b:report", args=[a.pk]))
        report = EvaluationReport.objects.get(application=result)
        ReportSignature.objects.filter(report=report).delete()
    return result


# --- filing ---------------------------------------------------------------------------------------------

def supported_levels(application):
    """{occupation_id: (occupation, lowest-numbered = highest level the report supports)} — never above 三级."""
    report = EvaluationReport.objects.filter(application=application).first()
    if report is None:
        return {}
    result = {}
    for c in report.conclusions.select_related("occupation"):
        if c.target == TrainingTarget.NONE:
            continue
        result[c.occupation_id] = (c.occupation, max(SkillLevel.SENIOR, c.target, c.occupation.max_level))
    return result


def file_application(application, *, user, levels, opinion, expected_state=None):
    """Files the institution for the chosen occupations at levels the report supports; allocates the code."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        _check_expected(locked, expected_state)
        supported = supported_levels(locked)
        problems = []
        if not levels:
            problems.append(_("至少选择一个备案的职业（工种）。"))
        for occupation_id, level in levels.items():
            if occupation_id not in supported:
                problems.append(_("所选职业未经评估论证支持（或结论为暂不具备条件），不能备案。"))
                continue
            occupation, highest = supported[occupation_id]
            if level not in SkillLevel.values:
                problems.append(_("“%(occ)s”的等级无效：备案等级不得高于三级/高级工。") % {"occ": occupation})
            elif level < highest:
                problems.append(_("“%(occ)s”最高只能备案至%(level)s（评估论证结论所支持的等级）。")
                                % {"occ": occupation, "level": SkillLevel(highest).label})
        if not opinion:
            problems.append(_("请填写人力资源社会保障部门意见。"))
        if problems:
            raise TrackBError(problems)
        result = run_transition(
            locked, "file", actor=user, role=_office_role(user, locked), expected_state=FilingState.REPORT_SIGNED,
            comment=opinion, opinion=opinion, filed_at=timezone.now(),
            data={"occupations": {str(k): v for k, v in levels.items()}},
            notify_users=_staff, notice_title=_("职业技能等级认定机构备案已办结：准予备案，请下载备案回执"),
            notice_link=link)
        FiledOccupation.objects.bulk_create([
            FiledOccupation(application=result, occupation_id=occupation_id, level=level,
                            job_types="、".join(sorted({m.job_type for m in result.majors.all()
                                                      if m.occupation_id == occupation_id and m.job_type
                                                      and m.job_type != "--"}))[:200])
            for occupation_id, level in sorted(levels.items())])
        audit.record(actor=user, action="track_b.filing_code", obj=result, role=result.authority_role,
                     changes={"filing_code": result.filing_code})
        schedule_documents(result.pk, GeneratedDocument.Kind.RECEIPT, GeneratedDocument.Kind.ANNEX3)
    return result


def refuse_filing(application, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("不予备案须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            application, "refuse", actor=user, role=_office_role(user, application), expected_state=expected_state,
            comment=reasons, opinion=reasons, data={"reasons": reasons}, notify_users=_staff,
            notice_title=_("职业技能等级认定机构备案已办结：不予备案"), notice_link=link)
        schedule_documents(result.pk, GeneratedDocument.Kind.ANNEX3)
    return result


def reveal_ids(application, *, user):
    """Showing full ID numbers is logged (DOMAIN §8)."""
    if not access.can(user, "track_b.view_ids", application):
        raise PermissionDenied("track_b.view_ids")
    audit.record(actor=user, action="track_b.view_ids", obj=application, role=access_role(user, application))


def access_role(user, application):
    from .access import acting_role

    return acting_role(user, application)


# --- 委托报备 ---------------------------------------------------------------------------------------------

def _entrustment_link(entrustment):
    return reverse("track_b:entrustment_detail", args=[entrustment.pk])


def create_entrustment(*, user):
    from .models import Entrustment

    ids = sorted(access.institution_ids(user))
    if not ids:
        raise PermissionDenied("track_b.entrustment_create")
    institution = Institution.objects.get(pk=ids[0])
    if selectors.filed_application_of(institution.pk) is not None:
        raise TrackBError(_("本校已备案为职业技能等级认定机构，可自行开展认定，无需委托。"))
    authority = skill_filing_authority(institution)
    with transaction.atomic():
        entrustment = Entrustment.objects.create(institution=institution, authority_role=authority.role,
                                                 authority_city_id=authority.city_code, created_by=user)
        audit.record(actor=user, action="track_b.entrustment_create", obj=entrustment, role=Role.UNIVERSITY_STAFF)
    return entrustment


def save_entrustment(entrustment, *, user, form):
    from .models import ENTRUSTMENT_EDITABLE, Entrustment

    if not access.can(user, "track_b.entrustment_edit", entrustment):
        raise PermissionDenied("track_b.entrustment_edit")
    with transaction.atomic():
        locked = Entrustment.objects.select_for_update().get(pk=entrustment.pk)
        if locked.state not in ENTRUSTMENT_EDITABLE:
            raise WorkflowError(_("已报备的委托材料不能再修改。"))
        obj = form.save(commit=False)
        obj.save()
        form.save_m2m()
        audit.record(actor=user, action="track_b.entrustment_save", obj=obj, role=Role.UNIVERSITY_STAFF)
    return obj


def entrustment_problems(entrustment):
    from .models import Entrustment

    problems = []
    if not (entrustment.plan.strip() or entrustment.plan_file):
        problems.append(_("请填写或上传实施方案。"))
    if not entrustment.evaluation.strip():
        problems.append(_("请说明实施方案的评估论证情况。"))
    if not entrustment.occupations.exists():
        problems.append(_("至少选择一个委托认定的职业（工种）。"))
    if entrustment.level is None:
        problems.append(_("请选择委托认定的最高等级。"))
    if entrustment.entrusted_kind == Entrustment.EntrustedKind.UNIVERSITY:
        target = entrustment.entrusted_filing
        if target is None:
            problems.append(_("请选择受委托的备案高校。"))
        elif target.state != FilingState.FILED:
            problems.append(_("受委托的高校尚未备案。"))
        elif target.institution_id == entrustment.institution_id:
            problems.append(_("不能委托本校。"))
    else:
        if not entrustment.entrusted_name.strip():
            problems.append(_("请填写受委托机构名称。"))
        if not entrustment.entrusted_code:
            problems.append(_("请填写受委托机构的备案编号（评价机构代码）。"))
    if not entrustment.voluntary:
        problems.append(_("须确认按学校自愿、学生自愿原则统一委托。"))
    if selectors.filed_application_of(entrustment.institution_id) is not None:
        problems.append(_("本校已备案为职业技能等级认定机构，可自行开展认定，无需委托。"))
    return problems


def report_entrustment(entrustment, *, user, expected_state=None):
    with transaction.atomic():
        problems = entrustment_problems(entrustment)
        if problems:
            raise TrackBError(problems)
        authority = skill_filing_authority(entrustment.institution)
        type(entrustment).objects.filter(pk=entrustment.pk).update(
            authority_role=authority.role, authority_city_id=authority.city_code, reported_at=timezone.now())
        entrustment.authority_role, entrustment.authority_city_id = authority.role, authority.city_code
        entrustment.reported_at = timezone.now()
        return run_transition(
            entrustment, "report", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
            notify_users=selectors.authority_officials,
            notice_title=_("%(inst)s报备了委托开展职业技能等级认定的实施方案，请确认") % {"inst": entrustment.institution.name},
            notice_link=_entrustment_link)


def acknowledge_entrustment(entrustment, *, user, comment="", expected_state=None):
    with transaction.atomic():
        result = run_transition(
            entrustment, "acknowledge", actor=user, role=entrustment.authority_role, expected_state=expected_state,
            comment=comment, notify_users=lambda e: selectors.institution_staff(e.institution_id),
            notice_title=_("委托开展职业技能等级认定的报备已确认"), notice_link=_entrustment_link)
        type(result).objects.filter(pk=result.pk).update(acknowledged_at=timezone.now(), office_comment=comment)
    return result


def return_entrustment(entrustment, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("退回补充须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            entrustment, "return_report", actor=user, role=entrustment.authority_role, expected_state=expected_state,
            comment=reasons, notify_users=lambda e: selectors.institution_staff(e.institution_id),
            notice_title=_("委托认定报备被退回补充，请按意见修改后重新报备"), notice_link=_entrustment_link)
        type(result).objects.filter(pk=result.pk).update(office_comment=reasons)
    return result


# --- 1+X 免试科目 ------------------------------------------------------------------------------------------

def _exemption_link(request):
    return reverse("track_b:exemption_detail", args=[request.pk])


def exemption_id_problem(user, id_number):
    """The requested ID number must be the student's own (issue #12 item 6, #14 item 12): the 公民身份号码 of the
    student's graduate record. "" when it is."""
    record = Graduate.objects.filter(user=user).only("id_number").first()
    if record is None:
        return _("您的账号尚未关联毕业生记录，不能申请免试（请联系学校核对学籍信息）。")
    if normalize_ric(id_number) != normalize_ric(record.id_number):
        return _("身份证号须为申请学生本人的（与本人毕业生记录中的公民身份号码不一致）。")
    return ""


def create_exemption(*, user, form):
    ids = sorted(access.institution_ids(user, Role.STUDENT))
    if not ids:
        raise PermissionDenied("track_b.exemption_create")
    problem = exemption_id_problem(user, form.cleaned_data.get("id_number", ""))
    if problem:
        raise TrackBError(problem)
    with transaction.atomic():
        request = form.save(commit=False)
        request.student = user
        request.institution_id = ids[0]
        request.save()
        audit.record(actor=user, action="track_b.exemption_submit", obj=request, role=Role.STUDENT)
        notify(selectors.provincial_officials(),
               title=_("%(inst)s学生提交了“1+X”免试科目申请，请审核决定") % {"inst": request.institution.name},
               link=_exemption_link(request))
    return request


EXEMPTION_OUTCOMES = {"grant": gettext_lazy("同意免试"), "grant_partially": gettext_lazy("部分同意免试"),
                      "refuse": gettext_lazy("不予免试")}


def decide_exemption(request, *, user, outcome, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if outcome not in EXEMPTION_OUTCOMES:
        raise TrackBError(_("请选择决定结果。"))
    if not reasons:
        raise TrackBError(_("决定须写明理由。"))
    role = next((r for r in (Role.PROVINCIAL_HRSS, Role.PROVINCIAL_EDUCATION) if access.has_role(user, r)), "")
    with transaction.atomic():
        result = run_transition(
            request, outcome, actor=user, role=role, expected_state=expected_state, comment=reasons,
            data={"outcome": outcome},
            notify_users=lambda r: [r.student, *selectors.provincial_officials().exclude(pk=user.pk),
                                    *selectors.institution_staff(r.institution_id)],
            notice_title=_("“1+X”免试科目申请已决定：%(outcome)s") % {"outcome": EXEMPTION_OUTCOMES[outcome]},
            notice_link=_exemption_link)
        type(result).objects.filter(pk=result.pk).update(decision_reason=reasons, decided_by=user, decided_role=role,
                                                         decided_at=timezone.now())
    return result


def withdraw_exemption(request, *, user, expected_state=None):
    return run_transition(
        request, "withdraw", actor=user, role=Role.STUDENT, expected_state=expected_state,
        notify_users=lambda r: selectors.provincial_officials(),
        notice_title=_("“1+X”免试科目申请已由学生撤回"), notice_link=_exemption_link)
