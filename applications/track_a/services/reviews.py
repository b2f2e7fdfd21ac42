"""The provincial review (通知 三(一)2(3): "省教育厅会同省人社厅组织专家进行论证和实地评估") as the people it names do it.

1. 省教育厅 proposes the expert group from the pool (``propose_group``): at least three experts, none employed by the
   school (回避), one leader;
2. 省人社厅 confirms it, adding experts if it wishes (``confirm_group``) — the review cannot start before;
3. each expert signs in, reads 附件1 and its attachments, and records a score and an opinion (``save_opinion``);
4. the leader drafts the group's report (``save_report``: the document review, later the on-site evaluation — date,
   what was seen, opinion, conclusion); every member signs it (``sign_report``); an edit after a signature clears
   every signature, as Track B's 附件5 does;
5. 省教育厅 acts on the signed report (``document_review``, ``site_evaluation``): the conclusion recorded in
   ``DocumentReview``/``SiteEvaluation`` and the transition taken are the experts', never typed by the office.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_a import selectors
from applications.track_a.models import (
    DocumentReview,
    ExpertGroup,
    ExpertOpinion,
    GroupConflict,
    GroupMember,
    GroupReport,
    GroupSignature,
    GroupState,
    PilotApplication,
    SiteEvaluation,
    State,
)
from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import _transition, officials

MIN_REVIEW_EXPERTS = 3  # 专家论证/实地评估: a group of at least three (the notice is silent; a group needs a majority)


def _group_link(group):
    return reverse("track_a:expert_group", args=[group.application_id])


def _member_users(group):
    return [m.expert.user for m in group.members.select_related("expert__user")]


def current_group(application):
    """The expert group of the application's current submission, or None."""
    return (ExpertGroup.objects.filter(application=application, submission_number=application.submission_count)
            .select_related("application__institution").first())


def member_of(group, user):
    """The ``GroupMember`` of ``user`` in ``group`` (None if they do not sit on it)."""
    profile_id = getattr(getattr(user, "expert_profile", None), "pk", None)
    if group is None or profile_id is None:
        return None
    return group.members.select_related("expert__user").filter(expert_id=profile_id).first()


def _check_experts(application, experts):
    experts = list(experts)
    if len(experts) < MIN_REVIEW_EXPERTS:
        raise ValidationError(_("专家不少于%d人。") % MIN_REVIEW_EXPERTS)
    allowed = set(selectors.expert_pool_for(application).values_list("pk", flat=True))
    conflicted = [str(e) for e in experts if e.pk not in allowed]
    if conflicted:
        raise ValidationError(_("以下专家受聘于申报单位，应当回避：%s") % "、".join(conflicted))
    return experts


def _locked_application(application):
    return PilotApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)


# --- forming the group ----------------------------------------------------------------------------------------

def propose_group(*, application, actor, experts, leader):
    """省教育厅 proposes (or, until confirmed, revises) the expert group for the current submission."""
    if not access.can(actor, "track_a.province_review", application):
        raise PermissionDenied("track_a.province_review")
    experts = _check_experts(application, experts)
    if leader not in experts:
        raise ValidationError(_("请从所选专家中指定一名组长。"))
    with transaction.atomic():
        locked = _locked_application(application)
        group = current_group(locked)
        # A group reopened by a member's 回避 at the on-site stage is adjusted there too.
        if not (locked.state == State.AT_PROVINCE or (locked.state == State.DOCUMENT_REVIEWED and group is not None)):
            raise WorkflowError(_("当前状态为“%s”，不能组建论证专家组。") % locked.get_state_display())
        if group is not None and group.state != GroupState.PROPOSED:
            raise WorkflowError(_("专家组已由省人社厅确认，不能再调整。"))
        if group is None:
            group = ExpertGroup.objects.create(application=locked, submission_number=locked.submission_count,
                                               proposed_by=actor)
        else:
            ExpertGroup.objects.filter(pk=group.pk).update(proposed_by=actor)
        # Members who stay keep their row (their opinion and signatures); the others leave, the new ones join.
        staying = set(group.members.filter(expert__in=experts).values_list("expert_id", flat=True))
        group.members.exclude(expert__in=experts).delete()
        group.members.update(is_leader=False)
        GroupMember.objects.bulk_create([GroupMember(group=group, expert=e, added_by_role=Role.PROVINCIAL_EDUCATION)
                                         for e in experts if e.pk not in staying])
        group.members.filter(expert=leader).update(is_leader=True)
        audit.record(actor=actor, action="track_a.propose_group", obj=locked, role=Role.PROVINCIAL_EDUCATION,
                     changes={"experts": [e.pk for e in experts], "leader": leader.pk})
        notify(officials(Role.PROVINCIAL_HRSS), title=_("请确认论证专家组：%s") % locked.unit_name,
               link=_group_link(group))
    return group


def confirm_group(*, group, actor, add=(), expected_state=GroupState.PROPOSED):
    """省人社厅 confirms the group, adding experts of the pool if it wishes; then the experts are told."""
    add = list(add)
    application = group.application
    existing = {m.expert_id for m in group.members.all()}
    add = [e for e in add if e.pk not in existing]
    if add:
        allowed = set(selectors.expert_pool_for(application).values_list("pk", flat=True))
        conflicted = [str(e) for e in add if e.pk not in allowed]
        if conflicted:
            raise ValidationError(_("以下专家受聘于申报单位，应当回避：%s") % "、".join(conflicted))
    with transaction.atomic():
        # The transition first: it locks the group and checks its state, so a second tab confirming at the same
        # moment waits, then gets the workflow's message — before inserting any member (a duplicate row, a 500).
        group = run_transition(
            group, "confirm", actor=actor, role=Role.PROVINCIAL_HRSS, expected_state=expected_state,
            data={"added": [e.pk for e in add]},
            notify_users=lambda g: _member_users(g) + [e.user for e in add] + officials(Role.PROVINCIAL_EDUCATION),
            notice_title=_("论证专家组已确认，请审阅立项申请并填写论证意见：%s") % application.unit_name,
            notice_link=_group_link)
        if group.proposed_by_id == actor.pk:  # 省教育厅 proposes, 省人社厅 confirms: two offices, two people
            raise ValidationError(_("您已代表省教育厅提出该专家组；确认须由省人社厅的人员作出。"))
        GroupMember.objects.bulk_create([GroupMember(group=group, expert=e, added_by_role=Role.PROVINCIAL_HRSS)
                                         for e in add])
        ExpertGroup.objects.filter(pk=group.pk).update(confirmed_by=actor, confirmed_at=timezone.now())
        group.refresh_from_db()
    return group


# --- the experts' work ------------------------------------------------------------------------------------------------

def _require_member(group, actor):
    member = member_of(group, actor)
    if member is None or not access.has_role(actor, Role.EXPERT):
        raise PermissionDenied("track_a.group_member")
    if group.state != GroupState.CONFIRMED:
        raise WorkflowError(_("专家组尚未经省人社厅确认，论证尚未开始。"))
    return member


def save_opinion(*, group, actor, score, opinion):
    """An expert's own score (0–100) and 论证意见, editable until the group's review report is signed by all."""
    member = _require_member(group, actor)
    if PilotApplication.objects.values_list("state", flat=True).get(pk=group.application_id) != State.AT_PROVINCE:
        raise WorkflowError(_("专家论证已结束，个人论证意见不能再修改。"))
    if not 0 <= int(score) <= 100:
        raise ValidationError(_("评分应为0至100之间的整数。"))
    if not (opinion or "").strip():
        raise ValidationError(_("请填写论证意见。"))
    with transaction.atomic():
        ExpertOpinion.objects.update_or_create(member=member, defaults={"score": int(score), "opinion": opinion})
        audit.record(actor=actor, action="track_a.expert_opinion", obj=group.application, role=Role.EXPERT,
                     changes={"score": int(score)})
    return member


REPORT_STATE = {GroupReport.Kind.REVIEW: State.AT_PROVINCE, GroupReport.Kind.SITE: State.DOCUMENT_REVIEWED}
CONCLUSIONS = {GroupReport.Kind.REVIEW: (GroupReport.Conclusion.PASS, GroupReport.Conclusion.REVISE),
               GroupReport.Kind.SITE: (GroupReport.Conclusion.RECOMMEND, GroupReport.Conclusion.NOT_RECOMMEND)}


def report_of(group, kind):
    return GroupReport.objects.filter(group=group, kind=kind).first() if group else None


def _clear_signatures(report, *, reason, keep_user=None):
    signatures = list(report.signatures.select_related("member__expert__user"))
    if not signatures:
        return 0
    GroupSignature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    recipients = [s.member.expert.user for s in signatures if s.member.expert.user_id != getattr(keep_user, "pk", None)]
    notify(recipients, title=_("%(kind)s的签字已清除，请重新审阅并签字：%(unit)s")
           % {"kind": report.get_kind_display(), "unit": report.group.application.unit_name},
           body=str(reason), link=_group_link(report.group))
    return len(signatures)


def save_report(*, group, actor, kind, fields, expected_version=None):
    """The leader drafts the group's report. Changing its content after a signature clears every signature."""
    member = _require_member(group, actor)
    if not member.is_leader:
        raise PermissionDenied("track_a.group_leader")
    with transaction.atomic():
        locked = _locked_application(group.application)
        if locked.state != REPORT_STATE[kind]:
            raise WorkflowError(_("当前状态为“%s”，该报告不能再修改。") % locked.get_state_display())
        report, _created = GroupReport.objects.select_for_update().get_or_create(group=group, kind=kind)
        if expected_version is not None and report.version != int(expected_version):
            raise WorkflowError(_("报告已被修改（当前为第%d版），请刷新页面后再编辑。") % report.version)
        conclusion = fields.get("conclusion", report.conclusion)
        if conclusion and conclusion not in CONCLUSIONS[kind]:
            raise ValidationError(_("结论不适用于该报告。"))
        before = report.content_hash()
        for name in report.fields:
            if name in fields:
                setattr(report, name, fields[name])
        if report.content_hash() == before:
            return report, 0
        report.version += 1
        report.updated_by = actor
        report.save()
        cleared = _clear_signatures(report, reason=_("组长修改了报告内容（第%d版）") % report.version, keep_user=actor)
        audit.record(actor=actor, action="track_a.edit_group_report", obj=locked, role=Role.EXPERT,
                     changes={"kind": kind, "version": report.version, "signatures_cleared": cleared})
    return report, cleared


def report_problems(report, group):
    """What the report still lacks before the group may sign it."""
    if report is None:
        return [_("组长尚未起草报告。")]
    problems = [_("“%s”未填写。") % report._meta.get_field(name).verbose_name
                for name in report.fields if not getattr(report, name)]
    if report.kind == GroupReport.Kind.REVIEW:
        missing = [m.expert.user.display_name for m in group.members.select_related("expert__user")
                   if not ExpertOpinion.objects.filter(member=m).exists()]
        if missing:
            problems.append(_("以下专家尚未填写个人论证意见：%s") % "、".join(missing))
    return problems


def sign_report(*, group, actor, kind, expected_version):
    """A member confirms (signs) the version they read."""
    member = _require_member(group, actor)
    with transaction.atomic():
        locked = _locked_application(group.application)
        if locked.state != REPORT_STATE[kind]:
            raise WorkflowError(_("当前状态为“%s”，不能签字。") % locked.get_state_display())
        report = GroupReport.objects.select_for_update().filter(group=group, kind=kind).first()
        if report is None or report.version != int(expected_version):
            raise WorkflowError(_("您阅读后报告已被组长修改，请重新阅读后再签字。"))
        problems = report_problems(report, group)
        if problems:
            raise ValidationError(problems)
        _signature, created = GroupSignature.objects.get_or_create(
            report=report, member=member, defaults={"content_sha256": report.content_hash(), "version": report.version})
        if created:
            audit.record(actor=actor, action="track_a.sign_group_report", obj=locked, role=Role.EXPERT,
                         changes={"kind": kind, "version": report.version})
        if is_signed_by_all(report):
            notify(officials(Role.PROVINCIAL_EDUCATION) + officials(Role.PROVINCIAL_HRSS),
                   title=_("%(kind)s已由专家组全体签字：%(unit)s") % {"kind": report.get_kind_display(),
                                                               "unit": locked.unit_name},
                   link=reverse("track_a:detail", args=[locked.pk]))
    return report


def declare_conflict(*, group, actor, reason):
    """An expert declares their own conflict of interest (回避) and leaves the group (``GroupConflict``). Every
    signature on the group's reports is cleared (the group that signs has changed). Without its leader, or with
    fewer than ``MIN_REVIEW_EXPERTS`` left, the group goes back to 省教育厅 to adjust and 省人社厅 to confirm."""
    member = _require_member(group, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明回避事由。"))
    with transaction.atomic():
        locked = _locked_application(group.application)
        if locked.state not in (State.AT_PROVINCE, State.DOCUMENT_REVIEWED):
            raise WorkflowError(_("专家论证已结束，不能再申请回避。"))
        name = actor.display_name
        GroupConflict.objects.create(group=group, expert=member.expert, reason=reason[:200])
        for report in GroupReport.objects.select_for_update().filter(group=group):
            _clear_signatures(report, reason=_("专家%(name)s申请回避，已退出专家组") % {"name": name})
        was_leader = member.is_leader
        remaining = GroupMember.objects.filter(group=group).count() - 1
        offices = officials(Role.PROVINCIAL_EDUCATION) + officials(Role.PROVINCIAL_HRSS)
        title = _("论证专家%(name)s申请回避并已退出专家组：%(unit)s") % {"name": name, "unit": locked.unit_name}
        if was_leader or remaining < MIN_REVIEW_EXPERTS:  # while still a member: the transition is theirs
            group = run_transition(group, "reopen", actor=actor, role=Role.EXPERT, comment=reason[:200],
                                   expected_state=GroupState.CONFIRMED, notify_users=lambda g: offices,
                                   notice_title=title + _("（请调整专家组）"), notice_link=_group_link)
        member.delete()  # their opinion and signatures with them
        audit.record(actor=actor, action="track_a.group_conflict", obj=locked, role=Role.EXPERT,
                     changes={"reason": reason[:200], "leader": was_leader, "remaining": remaining})
        if group.state == GroupState.CONFIRMED:
            notify(offices + _member_users(group), title=title, link=_group_link(group))
    return group


def is_signed_by_all(report):
    if report is None:
        return False
    members = GroupMember.objects.filter(group_id=report.group_id).count()
    return members > 0 and report.signatures.filter(version=report.version).count() == members


# --- the office acts on the signed report -----------------------------------------------------------------------------

def _signed_report(application, kind):
    group = current_group(application)
    report = report_of(group, kind)
    if group is None or group.state != GroupState.CONFIRMED or not is_signed_by_all(report):
        raise ValidationError(_("专家组报告尚未由全体专家签字，不能办理。"))
    return group, report


def document_review(*, application, actor, expected_state=None):
    """专家论证 concluded by the signed group report: passed → on-site evaluation next; otherwise returned."""
    group, report = _signed_report(application, GroupReport.Kind.REVIEW)
    conclusion = report.conclusion
    name = "pass_document_review" if conclusion == GroupReport.Conclusion.PASS else "province_return"
    with transaction.atomic():
        application = _transition(application, name, actor=actor, role=Role.PROVINCIAL_EDUCATION,
                                  comment=report.summary, expected_state=expected_state,
                                  data={"conclusion": conclusion, "report_version": report.version,
                                        "sha256": report.content_hash()})
        review = DocumentReview.objects.create(
            application=application, held_on=report.held_on, conclusion=conclusion, opinion=report.summary,
            decided_by=actor, submission_number=group.submission_number)
        review.experts.set([m.expert for m in group.members.all()])
    return application


def return_from_province(*, application, actor, reasons, expected_state=None):
    if not reasons.strip():
        raise ValidationError(_("退回修改时请写明理由。"))
    return _transition(application, "province_return", actor=actor, role=Role.PROVINCIAL_EDUCATION,
                       comment=reasons, expected_state=expected_state)


def site_evaluation(*, application, actor, expected_state=None):
    """实地评估 as the group's signed on-site report records it (date, what was seen, the four points, opinion)."""
    group, report = _signed_report(application, GroupReport.Kind.SITE)
    with transaction.atomic():
        application = _transition(application, "record_site_evaluation", actor=actor,
                                  role=Role.PROVINCIAL_EDUCATION, expected_state=expected_state,
                                  data={"recommendation": report.conclusion, "report_version": report.version,
                                        "sha256": report.content_hash()})
        evaluation = SiteEvaluation.objects.create(
            application=application, visited_on=report.held_on, training_model=report.training_model,
            foundations=report.foundations, policy_support=report.policy_support, guarantees=report.guarantees,
            recommendation=report.conclusion, decided_by=actor)
        evaluation.experts.set([m.expert for m in group.members.all()])
    return application


def report_rows(report):
    """[(label, value)] of a report, in its order, for display."""
    if report is None:
        return []
    rows = []
    for name in report.fields:
        label = str(report._meta.get_field(name).verbose_name)
        if name == "conclusion":
            value = report.get_conclusion_display()
        elif name == "held_on":
            value = f"{report.held_on:%Y-%m-%d}" if report.held_on else ""
        else:
            value = getattr(report, name)
        rows.append((label, value))
    return rows


def group_view(group, user):
    """What the group page shows: members with their opinions and each report with its signatures."""
    members = list(group.members.select_related("expert__user", "opinion"))
    reports = {r.kind: r for r in group.reports.prefetch_related("signatures")}
    out = []
    for kind, label in GroupReport.Kind.choices:
        report = reports.get(kind)
        signed = {s.member_id: s for s in report.signatures.all()} if report else {}
        out.append({"kind": kind, "label": label, "report": report, "signed": signed, "rows": report_rows(report),
                    "complete": is_signed_by_all(report), "problems": report_problems(report, group)})
    return {"members": members, "reports": out, "me": member_of(group, user),
            "conflicts": list(group.conflicts.select_related("expert__user").order_by("declared_at"))}
