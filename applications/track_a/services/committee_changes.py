"""A filed committee changes only with the filing office's consent (附件2 二(二)): members adjusted, the filing
renewed, or the committee revoked — each filed as a ``CommitteeFiling`` that the office reviews
(``committees.review_committee``), with what changed recorded."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.track_a import sections, selectors
from applications.track_a.models import (
    CommitteeFiling,
    CommitteeState,
    EvaluationCommittee,
)
from applications.workflow import WorkflowError, run_transition
from evaluation import selectors as evaluation_selectors
from portal import access
from portal.models import ExpertProfile, Role

from .committees import (
    active_members,
    committee_link,
    committee_problems,
    committee_recipients,
    committee_snapshot,
    create_filing,
    filing_period_years,
    standard_problems,
)

_today = selectors.today_or


def _locked_approved(committee, actor):
    locked = EvaluationCommittee.objects.select_for_update().select_related("institution", "authority") \
        .get(pk=committee.pk)
    if not access.can(actor, "track_a.file_committee", locked):
        raise PermissionDenied("track_a.file_committee")
    if locked.state != CommitteeState.APPROVED:
        raise WorkflowError(_("评委会当前状态为“%s”，不能报送调整或撤销。") % locked.get_state_display())
    return locked


class _Proposed:
    """A member as the adjustment would leave them (duck-types ``CommitteeMember`` for the rules)."""

    def __init__(self, expert, is_chair, term_start, term_end):
        self.expert, self.is_chair, self.term_start, self.term_end = expert, is_chair, term_start, term_end


def proposed_members(committee, *, remove=(), add=(), chair=None, on=None):
    """The membership an adjustment would give on ``on``: serving members, less ``remove`` (member ids), plus
    ``add`` ([{expert: ExpertProfile, term_start, term_end}] — an existing member re-added serves a new term)."""
    on = _today(on)
    current = {m.expert_id: m for m in active_members(committee, on) if m.pk not in set(remove)}
    chair_id = chair or next((m.expert_id for m in current.values() if m.is_chair), None)
    out = {eid: _Proposed(m.expert, False, m.term_start, m.term_end) for eid, m in current.items()}
    for row in add:
        out[row["expert"].pk] = _Proposed(row["expert"], False, row["term_start"], row["term_end"])
    if chair_id in out:
        out[chair_id].is_chair = True
    return list(out.values())


def file_adjustment(*, committee, actor, reason, remove=(), add=(), chair=None, renew=False, expected_state=None,
                    today=None):
    """报送调整（增减委员、更换主任委员、新版评审标准条件）and/or 续期. Takes effect when the office consents.

    ``remove``: ids of serving members; ``add``: [{expert, term_start, term_end}]; ``chair``: an ExpertProfile id
    among the resulting members; ``renew``: ask for a new validity period. The school's latest published standard
    travels with every adjustment: publishing a new version and filing it is how the standard changes (our
    decision, issue #12 item 7).
    """
    today = _today(today)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明调整（续期）的理由。"))
    add = list(add)
    serving = {m.pk: m for m in active_members(committee, today)}
    unknown = [i for i in remove if int(i) not in serving]
    if unknown:
        raise ValidationError(_("只能调整出现任委员。"))
    proposed = proposed_members(committee, remove=[int(i) for i in remove], add=add, chair=chair, on=today)
    problems = committee_problems(committee, proposed, on=today) + standard_problems(committee)
    if chair and chair not in {p.expert.pk for p in proposed}:
        problems.append(_("主任委员应为调整后的委员之一。"))
    version = evaluation_selectors.current_version(committee.institution_id)
    if not add and not remove and not chair and not renew and version is not None \
            and version.pk == committee.standard_version_id:
        problems.append(_("没有需要报送的调整：请增减委员、更换主任委员、申请续期或发布新版评审标准条件。"))
    if problems:
        raise ValidationError(problems)
    changes = {"remove": [int(i) for i in remove], "chair": chair, "renew": bool(renew),
               "add": [{"expert": r["expert"].pk, "name": r["expert"].user.display_name,
                        "term_start": r["term_start"].isoformat(), "term_end": r["term_end"].isoformat()}
                       for r in add]}
    only_renewal = renew and not add and not remove and not chair and version.pk == committee.standard_version_id
    kind = CommitteeFiling.Kind.RENEWAL if only_renewal else CommitteeFiling.Kind.ADJUSTMENT
    change_list = {"key": "change", "title": str(_("申请调整事项")), "items": _change_items(serving, changes,
                                                                                          committee, version)}
    with transaction.atomic():
        locked = _locked_approved(committee, actor)
        locked = run_transition(
            locked, "file_change", actor=actor, role=Role.UNIVERSITY_STAFF, comment=reason,
            expected_state=expected_state or CommitteeState.APPROVED, data={"kind": kind, **changes},
            notify_users=committee_recipients, notice_title=_("请审核评委会调整（续期）：%s") % locked.name,
            notice_link=committee_link)
        create_filing(locked, actor=actor, kind=kind, reason=reason, changes=changes, standard_version=version,
                       snapshot=committee_snapshot(locked, proposed, standard_version=version, extra=change_list))
    return locked


def _change_items(serving, changes, committee, version):
    items = []
    for pk in changes["remove"]:
        items.append([str(_("调出委员")), serving[pk].expert.user.display_name])
    for row in changes["add"]:
        items.append([str(_("增补（连任）委员")), f"{row['name']}（{row['term_start']}—{row['term_end']}）"])
    if changes["chair"]:
        name = ExpertProfile.objects.select_related("user").get(pk=changes["chair"]).user.display_name
        items.append([str(_("主任委员")), name])
    if changes["renew"]:
        items.append([str(_("续期")), str(_("申请核准备案续期%d年") % filing_period_years())])
    if version is not None and version.pk != committee.standard_version_id:
        items.append([str(_("评审标准条件")), str(_("报送新版本：%s") % version)])
    return items


def file_revocation(*, committee, actor, reason, expected_state=None):
    """报送撤销评委会: takes effect when the office consents; until then the committee stays in force."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明撤销评委会的理由。"))
    with transaction.atomic():
        locked = _locked_approved(committee, actor)
        locked = run_transition(
            locked, "file_revocation", actor=actor, role=Role.UNIVERSITY_STAFF, comment=reason,
            expected_state=expected_state or CommitteeState.APPROVED, notify_users=committee_recipients,
            notice_title=_("请审核撤销评委会：%s") % locked.name, notice_link=committee_link)
        create_filing(locked, actor=actor, kind=CommitteeFiling.Kind.REVOCATION, reason=reason,
                       standard_version=locked.standard_version,
                       snapshot={"sections": [{"key": "revocation", "title": str(_("撤销")),
                                               "items": [[str(_("理由")), reason]]}]})
    return locked


def filings_with_changes(committee):
    filings = list(committee.filings.select_related("standard_version", "decided_by", "filed_by"))
    out, previous = [], None
    for filing in filings:
        out.append((filing, sections.diff(previous.snapshot, filing.snapshot) if previous else []))
        previous = filing
    return list(reversed(out))
