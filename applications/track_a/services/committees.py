"""The evaluation committee's life (附件2 二): formed, filed (核准备案) with the office the portal derives, approved
or returned; then adjusted, renewed or revoked — each with that office's consent, recorded.

What the evaluation round asks: ``filed_committee_for`` (the school's committee in force), ``committee_in_force``
(a lapsed or revoked committee holds no meeting), ``active_members`` (an expired or removed member is never called
or counted) and ``committee_standard_version`` (the version of the school's standard its current filing carries —
the only one a round may use, 附件2 二(三), 正文 三(一)2(4)).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_a import rules, selectors
from applications.track_a.models import (
    CommitteeFiling,
    CommitteeKind,
    CommitteeMember,
    CommitteeState,
    EvaluationCommittee,
)
from applications.track_a.routing import UNKNOWN_OFFICE, committee_filing_office
from applications.workflow import WorkflowError, run_transition
from evaluation import selectors as evaluation_selectors
from portal import access, audit
from portal.models import Role

from .common import officials, school_staff

granted_authority_for = selectors.granted_authority_for

#: The national rule: a committee's 核准备案 is valid for at most 3 years (职称评审管理暂行规定); members' terms too.
MAX_FILING_YEARS = 3


def filing_period_years():
    """``COMMITTEE_FILING_VALID_YEARS`` (default 3): how long an approval lasts before it must be renewed."""
    years = int(getattr(settings, "COMMITTEE_FILING_VALID_YEARS", MAX_FILING_YEARS))
    if not 1 <= years <= MAX_FILING_YEARS:
        raise ImproperlyConfigured("COMMITTEE_FILING_VALID_YEARS must be between 1 and 3 (national rule).")
    return years


_today = selectors.today_or


def committee_link(committee):
    return reverse("track_a:committee_detail", args=[committee.pk])


# --- what the evaluation round asks (reads, in selectors; re-exported here) -----------------------------------------

committee_in_force = selectors.committee_in_force
active_members = selectors.active_members
filed_committee_for = selectors.filed_committee_for
committee_standard_version = selectors.committee_standard_version


# --- forming and the first filing ----------------------------------------------------------------------------------

COMMITTEE_FIELDS = ["name", "level", "kind", "temporary_reason", "temporary_until", "talent_pool", "method",
                    "standard", "rules_file"]


def _check_kind(values):
    if values.get("kind") == CommitteeKind.TEMPORARY and not (values.get("temporary_reason") or "").strip():
        raise ValidationError(_("临时组建评委会须说明特殊情况（附件2 二(二)）。"))


def create_committee(*, institution, actor, values):
    access.require(actor, "track_a.start_committee", institution)
    authority = granted_authority_for(institution)
    if authority is None:
        raise ValidationError(_("授予职称自主评审权后才能组建评委会。"))
    _check_kind(values)
    with transaction.atomic():
        if EvaluationCommittee.objects.filter(institution=institution, level=values.get("level")) \
                .exclude(state=CommitteeState.REVOKED).exists():
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
    merged = {f: getattr(committee, f) for f in ("kind", "temporary_reason")}
    merged.update(values)
    _check_kind(merged)
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
    """Replaces the members of a committee being formed: ``members`` = [{"expert", "is_chair", "term_start",
    "term_end"}]. After approval members change only by an adjustment (``file_adjustment``)."""
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
    """Everyone who was ever a member (removed ones carry ``left_on``), chair first."""
    return list(committee.members.select_related("expert__user"))


def _rule_members(members):
    return [rules.Member(name=m.expert.user.display_name, title_level=m.expert.title_level, is_chair=m.is_chair,
                         term_start=m.term_start, term_end=m.term_end) for m in members]


def committee_problems(committee, members=None, *, on=None):
    """Why the committee (or the ``members`` proposed for it) cannot be filed; [] when it can."""
    if members is None:
        members = [m for m in committee_members(committee) if m.left_on is None]
    problems = rules.committee_problems(level=committee.level, authority_levels=committee.authority.levels,
                                        members=_rule_members(members), on=on)
    if committee_filing_office(committee) is None:
        problems.append(str(UNKNOWN_OFFICE))
    if committee.kind == CommitteeKind.TEMPORARY and not committee.temporary_reason.strip():
        problems.append(_("临时组建评委会须说明特殊情况（附件2 二(二)）。"))
    return problems


def standard_problems(committee):
    version = evaluation_selectors.current_version(committee.institution_id)
    if version is None:
        return [_("本校尚未发布自主评审标准条件：评审标准是核准备案材料之一（附件2 二(三)），请先发布。")]
    return []


def committee_snapshot(committee, members, *, standard_version=None, extra=None):
    fields = [[str(EvaluationCommittee._meta.get_field(f).verbose_name), str(getattr(committee, f))]
              for f in ("name", "talent_pool", "method", "standard")]
    fields.append([str(_("评委会级别")), committee.get_level_display()])
    fields.append([str(_("组建方式")), committee.get_kind_display()])
    if standard_version is not None:
        fields.append([str(_("评审标准条件版本")), str(standard_version)])
    rows = [[m.expert.user.display_name,
             "，".join([m.expert.get_title_level_display(), m.expert.title,
                       str(_("主任委员")) if m.is_chair else str(_("委员")), f"{m.term_start}—{m.term_end}"])]
            for m in members]
    out = {"sections": [{"key": "committee", "title": str(_("评委会")), "items": fields},
                        {"key": "members", "title": str(_("委员")), "items": rows}]}
    if extra:
        out["sections"].append(extra)
    return out


def _office_officials(committee):
    office = committee_filing_office(committee)
    return officials(office.role, office.city_code) if office else []


def committee_recipients(committee):
    if committee.state in (CommitteeState.FILED, CommitteeState.CHANGE_FILED, CommitteeState.REVOCATION_FILED):
        return _office_officials(committee)
    return school_staff(committee.institution_id)


def create_filing(committee, *, actor, kind, snapshot, standard_version=None, reason="", changes=None):
    office = committee_filing_office(committee)
    return CommitteeFiling.objects.create(
        committee=committee, number=committee.filing_count, kind=kind, office_role=office.role,
        office_city_id=office.city_code, filed_by=actor, snapshot=snapshot, reason=reason, changes=changes or {},
        standard_version=standard_version)


def file_committee(*, committee, actor, expected_state=None, today=None):
    """报送核准备案 to the office ``routing.committee_filing_office`` derives, with the school's standard in force
    (its latest published version); refused while the rules are not met."""
    members = [m for m in committee_members(committee) if m.left_on is None]
    problems = committee_problems(committee, members, on=_today(today)) + standard_problems(committee)
    if problems:
        raise ValidationError(problems)
    version = evaluation_selectors.current_version(committee.institution_id)
    with transaction.atomic():
        committee = run_transition(
            committee, "file_for_approval", actor=actor, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
            data={"standard_version": version.pk}, notify_users=committee_recipients,
            notice_title=_("请审核评委会核准备案：%s") % committee.name, notice_link=committee_link)
        create_filing(committee, actor=actor, kind=CommitteeFiling.Kind.INITIAL, standard_version=version,
                       snapshot=committee_snapshot(committee, members, standard_version=version))
    return committee


def _current_filing(committee):
    return CommitteeFiling.objects.select_for_update().get(committee=committee, number=committee.filing_count)


def _validity(committee, today):
    until = rules.add_years(today, filing_period_years()) - timedelta(days=1)
    if committee.kind == CommitteeKind.TEMPORARY and committee.temporary_until:
        until = min(until, committee.temporary_until)
    return today, until


def _office_role(committee):
    office = committee_filing_office(committee)
    return office.role if office else ""


def _require_office(actor, committee):
    if not access.can(actor, "track_a.review_committee", committee):
        raise PermissionDenied("track_a.review_committee")


def review_committee(*, committee, actor, decision, reasons="", expected_state=None, today=None):
    """The filing office decides on what is pending: the first filing (核准备案 or 退回修改), an adjustment or
    renewal (同意 applies it; 不同意 leaves the approved composition in force), or a revocation."""
    _require_office(actor, committee)
    today = _today(today)
    if decision != CommitteeFiling.Decision.APPROVE and not reasons.strip():
        raise ValidationError(_("退回修改或不同意时请写明理由。"))
    state = committee.state
    names = {
        (CommitteeState.FILED, CommitteeFiling.Decision.APPROVE): "approve_filing",
        (CommitteeState.FILED, CommitteeFiling.Decision.RETURN): "return_filing",
        (CommitteeState.CHANGE_FILED, CommitteeFiling.Decision.APPROVE): "approve_change",
        (CommitteeState.CHANGE_FILED, CommitteeFiling.Decision.REFUSE): "refuse_change",
        (CommitteeState.REVOCATION_FILED, CommitteeFiling.Decision.APPROVE): "approve_revocation",
        (CommitteeState.REVOCATION_FILED, CommitteeFiling.Decision.REFUSE): "refuse_revocation",
    }
    name = names.get((state, decision))
    if name is None:
        raise WorkflowError(_("当前状态“%(state)s”下不能作出该审核结论，请刷新页面。")
                            % {"state": committee.get_state_display()})
    approve = decision == CommitteeFiling.Decision.APPROVE
    titles = {"approve_filing": _("评委会已核准备案：%s"), "return_filing": _("评委会被退回修改：%s"),
              "approve_change": _("评委会调整（续期）已获同意：%s"), "refuse_change": _("评委会调整（续期）未获同意：%s"),
              "approve_revocation": _("评委会已撤销：%s"), "refuse_revocation": _("撤销评委会未获同意：%s")}
    with transaction.atomic():
        committee = run_transition(committee, name, actor=actor, role=_office_role(committee), comment=reasons,
                                   expected_state=expected_state or state, notify_users=committee_recipients,
                                   notice_title=titles[name] % committee.name, notice_link=committee_link)
        filing = _current_filing(committee)
        if approve and filing.kind != CommitteeFiling.Kind.REVOCATION:
            _apply_filing(committee, filing, today)
        filing.decision, filing.reasons, filing.decided_by, filing.decided_at = decision, reasons, actor, \
            timezone.now()
        filing.save(update_fields=["decision", "reasons", "decided_by", "decided_at", "valid_from", "valid_until"])
        audit.record(actor=actor, action="track_a.review_committee", obj=committee, role=_office_role(committee),
                     changes={"filing": filing.number, "kind": filing.kind, "decision": decision,
                              "valid_until": str(committee.valid_until or "")})
    return committee


def _apply_filing(committee, filing, today):
    """The office consented: the filed standard version, members and (for a first filing or a renewal) the
    validity take effect from ``today``."""
    update = ["standard_version", "updated_at"]
    committee.standard_version_id = filing.standard_version_id
    if filing.kind in (CommitteeFiling.Kind.INITIAL, CommitteeFiling.Kind.RENEWAL) or filing.changes.get("renew"):
        committee.valid_from, committee.valid_until = _validity(committee, today)
        update += ["valid_from", "valid_until"]
    filing.valid_from, filing.valid_until = committee.valid_from, committee.valid_until
    changes = filing.changes or {}
    removed = [int(i) for i in changes.get("remove", [])]
    if removed:
        CommitteeMember.objects.filter(committee=committee, pk__in=removed).update(left_on=today, is_chair=False)
    chair = changes.get("chair")
    if chair:
        CommitteeMember.objects.filter(committee=committee, is_chair=True).update(is_chair=False)
    for row in changes.get("add", []):
        member, _created = CommitteeMember.objects.update_or_create(
            committee=committee, expert_id=row["expert"],
            defaults={"term_start": date.fromisoformat(row["term_start"]),
                      "term_end": date.fromisoformat(row["term_end"]), "left_on": None, "is_chair": False})
    if chair:
        CommitteeMember.objects.filter(committee=committee, expert_id=int(chair)).update(is_chair=True)
    committee.save(update_fields=update)
