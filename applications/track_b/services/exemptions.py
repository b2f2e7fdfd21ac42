"""1+X 免试科目 (通知 三(二)1: "相关高校可组织其向省人社厅、省教育厅申请…具体细则另行发布").

Provisional until the detailed rules are published (the deciding offices are ``settings.EXEMPTION_DECIDERS``):
the student fills in a request with their own ID number; the school submits its students' requests in a batch;
each deciding office decides in the portal itself, with a reason. The exemption takes effect only when every
office has agreed; any office refusing refuses it (不予免试). Every step is a transition (``run_transition``).
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
from portal.models import Role
from portal.notify import notify

from .. import selectors
from ..access import exemption_deciders, exemption_deciding_role
from ..models import ExemptionBatch, ExemptionDecision, ExemptionRequest, ExemptionState
from .common import TrackBError

EXEMPTION_OUTCOMES = {"agree": gettext_lazy("同意免试"), "refuse": gettext_lazy("不予免试")}


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
    """The student fills in a request; it waits for the school to submit it (相关高校可组织其…申请)."""
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
        audit.record(actor=user, action="track_b.exemption_request", obj=request, role=Role.STUDENT)
        notify(selectors.institution_staff(request.institution_id),
               title=_("学生填报了“1+X”免试科目申请，请汇总后报送省人社厅、省教育厅"),
               link=reverse("track_b:exemption_batch"))
    return request


def submit_batch(*, user, request_ids):
    """The school submits the chosen requests of its students, one batch per school, to the deciding offices."""
    ids = sorted({int(i) for i in request_ids})
    if not ids:
        raise TrackBError(_("请至少选择一份待报送的申请。"))
    schools = access.institution_ids(user, Role.UNIVERSITY_STAFF)
    if not schools:
        raise PermissionDenied("track_b.exemption_batch")
    with transaction.atomic():
        rows = list(ExemptionRequest.objects.select_for_update().filter(pk__in=ids, institution_id__in=schools)
                    .select_related("institution").order_by("id"))
        if len(rows) != len(ids):
            raise TrackBError(_("所选申请中有不属于本校的，未报送任何申请。"))
        done = [r for r in rows if r.state != ExemptionState.PREPARED]
        if done:
            raise TrackBError(_("以下申请已报送或已撤回，未报送任何申请：%(names)s")
                              % {"names": "、".join(r.name for r in done)})
        batches = []
        for institution_id in sorted({r.institution_id for r in rows}):
            batch = ExemptionBatch.objects.create(institution_id=institution_id, submitted_by=user)
            mine = [r for r in rows if r.institution_id == institution_id]
            ExemptionRequest.objects.filter(pk__in=[r.pk for r in mine]).update(batch=batch)
            for row in mine:
                run_transition(row, "school_submit", actor=user, role=Role.UNIVERSITY_STAFF,
                               expected_state=ExemptionState.PREPARED, data={"batch": batch.pk},
                               notify_users=lambda r: [r.student],
                               notice_title=_("学校已将您的“1+X”免试科目申请报送省人社厅、省教育厅"),
                               notice_link=_exemption_link)
            audit.record(actor=user, action="track_b.exemption_submit", obj=batch, role=Role.UNIVERSITY_STAFF,
                         changes={"requests": [r.pk for r in mine]})
            notify(selectors.exemption_officials(),
                   title=_("%(inst)s报送了%(n)d份“1+X”免试科目申请，请审核决定")
                   % {"inst": mine[0].institution.name, "n": len(mine)},
                   link=reverse("track_b:exemption_list") + "?state=submitted")
            batches.append(batch)
    return batches


def decide_exemption(request, *, user, outcome, reasons, expected_state=None):
    """One deciding office's decision. Agreeing grants only when every office has agreed; refusing refuses."""
    reasons = (reasons or "").strip()
    if outcome not in EXEMPTION_OUTCOMES:
        raise TrackBError(_("请选择决定结果。"))
    if not reasons:
        raise TrackBError(_("决定须写明理由。"))
    with transaction.atomic():
        locked = ExemptionRequest.objects.select_for_update().get(pk=request.pk)
        if expected_state and locked.state != expected_state:
            raise WorkflowError(_("该事项已由他人处理，当前状态为“%(state)s”，请刷新页面后再操作。")
                                % {"state": locked.get_state_display()})
        role = exemption_deciding_role(user, locked)
        if not role:
            if locked.state not in (ExemptionState.SUBMITTED, ExemptionState.ONE_AGREED):
                raise WorkflowError(_("当前状态“%(state)s”下不能作出决定。") % {"state": locked.get_state_display()})
            raise PermissionDenied("track_b.exemption_decide")
        decided = set(locked.decisions.values_list("role", flat=True)) | {role}
        waiting = [r for r in exemption_deciders() if r not in decided]
        name = "decline" if outcome == "refuse" else ("agree" if waiting else "grant")
        final = name != "agree"
        result = run_transition(
            locked, name, actor=user, role=role, comment=reasons, data={"outcome": outcome, "office": role},
            notify_users=lambda r: ([r.student, *selectors.institution_staff(r.institution_id)] if final
                                    else list(selectors.exemption_officials(waiting))),
            notice_title=(_("“1+X”免试科目申请已决定：%(outcome)s") % {"outcome": EXEMPTION_OUTCOMES[outcome]}
                          if final else _("%(office)s已同意“1+X”免试科目申请，请作出决定")
                          % {"office": Role(role).label}),
            notice_link=_exemption_link)
        ExemptionDecision.objects.create(request=result, role=role, agreed=outcome == "agree", reason=reasons,
                                         decided_by=user)
        ExemptionRequest.objects.filter(pk=result.pk).update(
            decision_reason=reasons if final else "", decided_by=user, decided_role=role, decided_at=timezone.now())
    result.refresh_from_db()
    return result


def withdraw_exemption(request, *, user, expected_state=None):
    notify_offices = request.batch_id is not None
    return run_transition(
        request, "withdraw", actor=user, role=Role.STUDENT, expected_state=expected_state,
        notify_users=lambda r: (list(selectors.exemption_officials()) if notify_offices else [])
        + list(selectors.institution_staff(r.institution_id)),
        notice_title=_("“1+X”免试科目申请已由学生撤回"), notice_link=_exemption_link)
