"""The expert panel (评估论证专家组): who may sit (校外专家不少于三分之二; 回避), the experts' own conflict declarations, forming and
changing the panel.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.identifiers import normalize_ric
from portal.models import Role
from portal.notify import notify

from .. import selectors
from ..models import (
    EvaluationReport,
    FilingState,
    PanelConflict,
    PanelMember,
)
from .common import (
    PANEL_MIN_SIZE,
    TrackBError,
    _check_expected,
    _clear_signatures,
    _lock,
    _staff,
    _state_label,
    link,
)


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


def declare_conflict(application, *, user, reason):
    """A panel expert declares their own conflict of interest (回避) for this case: they leave the panel at once
    (every signature is cleared, as for any change of the panel) and the receiving office is told to change it.
    The office sees the declaration on its panel page; it cannot make or undo one for an expert."""
    if not access.can(user, "track_b.declare_conflict", application):
        raise PermissionDenied("track_b.declare_conflict")
    reason = (reason or "").strip()
    if not reason:
        raise TrackBError(_("请写明回避事由。"))
    with transaction.atomic():
        locked = _lock(application)
        if locked.state not in (FilingState.ACCEPTED, FilingState.UNDER_EVALUATION):
            raise WorkflowError(_("当前状态为“%(state)s”，不能声明回避。") % {"state": _state_label(locked.state)})
        member = PanelMember.objects.select_for_update().filter(application=locked, expert=user).first()
        if member is None:
            raise PermissionDenied("track_b.declare_conflict")
        conflict, _created = PanelConflict.objects.get_or_create(
            application=locked, expert=user, defaults={"reason": reason[:200], "recorded_by": user})
        was_leader = member.is_leader
        member.delete()
        report = EvaluationReport.objects.filter(application=locked).first()
        cleared = _clear_signatures(report, reason=_("专家组成员已调整"), keep_user=user) if report else 0
        audit.record(actor=user, action="track_b.declare_conflict", obj=locked, role=Role.EXPERT,
                     changes={"reason": reason[:200], "was_leader": was_leader, "signatures_cleared": cleared})
        notify(selectors.authority_officials(locked),
               title=_("专家%(name)s声明回避并已退出专家组，请调整专家组：%(unit)s")
               % {"name": user.display_name, "unit": locked.unit_name},
               body=reason[:200], link=reverse("track_b:panel", args=[locked.pk]))
    return conflict


def panel_problems(application):
    """Why the sitting panel may not sign (an expert declared 回避 and left): [] when it is complete."""
    members = list(PanelMember.objects.filter(application=application))
    n = len(members)
    external = sum(1 for m in members if m.is_external)
    if n >= PANEL_MIN_SIZE and any(m.is_leader for m in members) and external >= -(-2 * n // 3):
        return []
    return [_("专家组现有%(n)d名成员（有专家声明回避后退出），组成不再符合要求：须待受理部门调整专家组后再签字。") % {"n": n}]


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
            else:  # as classified now (panel_problems reads the stored flag when the panel signs)
                PanelMember.objects.filter(pk=member.pk).update(
                    is_leader=profile.user_id == leader_id, is_external=kind == "external", employer=employer[:100])
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


