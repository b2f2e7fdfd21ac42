"""Applications: a graduate applies (or the school enrols them) at one level, attests 附件2 一(四) with
evidence files, submits; the school reviews eligibility (pass / return with reasons / refuse with reasons).

The level is never above the one the engine grants under the round's standard (通知 四(四) 不得擅自降低评价标准;
附件2 一(二) 对照条件直接申请相应级别职称): checked when the application is made, changed, submitted and passed.
A graduate whose records are wrong has them corrected by the school and is evaluated again — no justification
lifts the level."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluation.rounds import clock
from evaluation.rounds.models import (
    REQUIRED_EVIDENCE,
    ApplicationEvidence,
    EmployerKind,
    EvaluationRound,
    EvidenceKind,
    RoundState,
    TitleApplication,
    WorkplaceChoice,
)
from evaluation.rounds.models.applications import EVIDENCE_KINDS
from evaluation.rounds.rules import LEVEL_NAMES, above
from evaluation.rounds.selectors import active_application
from portal import access, audit
from portal.models import Role
from portal.notify import notify
from portal.uploads import check_upload

from .common import application_link, graduate_user, school_staff, transition, verdict_snapshot

STAFF = Role.UNIVERSITY_STAFF


def _refuse(message, code="invalid"):
    raise ValidationError(message, code=code)


def _is_applicant(actor, graduate):
    return graduate.user_id is not None and graduate.user_id == actor.pk


def role_of(actor, application):
    return Role.STUDENT if _is_applicant(actor, application.graduate) else STAFF


def _check_open(rnd, today):
    if rnd.state != RoundState.OPEN:
        _refuse(_("本轮评审的申报和资格审查已结束。"), "closed")
    if today > rnd.year_end:
        _refuse(_("已过%(year)d年12月31日，本轮评审不再受理（附件2 一(五)）。") % {"year": rnd.graduation_year},
                "after_year_end")
    if rnd.application_deadline and today > rnd.application_deadline:
        _refuse(_("申报已于%(date)s截止。") % {"date": rnd.application_deadline}, "deadline")


def _lock_open_round(rnd):
    """Locks the round's row (publishing the candidates locks it too) and refuses unless it is still open: an
    application submitted, withdrawn or reviewed while the school publishes the 公示 would otherwise be left in a
    state nobody can act on any more."""
    if EvaluationRound.objects.select_for_update().get(pk=rnd.pk).state != RoundState.OPEN:
        _refuse(_("本轮评审的申报和资格审查已结束。"), "closed")


def _check_scope(rnd, graduate, level):
    """附件2 一(三)、(四): a graduate of the round's school, graduation year and pilot majors; a level in scope."""
    if graduate.institution_id != rnd.institution_id or graduate.graduation_year != rnd.graduation_year:
        _refuse(_("本轮评审只受理%(school)s%(year)d届毕业生的申报。")
                % {"school": rnd.institution.name, "year": rnd.graduation_year}, "cohort")
    if not graduate.pilot_major or graduate.major not in rnd.majors:
        _refuse(_("“%(major)s”不在本轮评审的试点专业范围内（%(majors)s）。")
                % {"major": graduate.major, "majors": "、".join(rnd.majors)}, "major")
    if level not in rnd.levels:
        _refuse(_("本轮评审不评审该级别；可申报：%(levels)s。") % {"levels": "、".join(rnd.level_labels)}, "level")


def _check_level(level, verdict):
    """通知 四(四): at or below the engine's level under the round's standard, never above."""
    if above(level, verdict.level):
        _refuse(_("申报级别（%(level)s）高于资格评价结果（%(verdict)s）。只能按资格评价结果及以下级别申报"
                  "（通知 四(四)：不得擅自降低评价标准）；记录有误的，请学校更正记录后重新评价。")
                % {"level": LEVEL_NAMES[level], "verdict": LEVEL_NAMES.get(verdict.level, _("未达到技术员条件"))},
                "above_verdict")


def _check_employer_kind(kind, graduate):
    """The stated kind is one of the choices and, when the school's record (transcript column 单位性质) has one,
    agrees with it (附件2 一(四): 在省内企业就业)."""
    if kind and kind not in EmployerKind.values:
        _refuse(_("请选择就业单位性质。"), "employer_kind")
    recorded = graduate.employer_kind
    if kind and recorded and kind != recorded:
        _refuse(_("学校记录的就业单位性质为“%(recorded)s”，与申报的“%(kind)s”不一致；如记录有误，请学校更正后再申报。")
                % {"recorded": EmployerKind(recorded).label, "kind": EmployerKind(kind).label}, "employer_kind")


def _check_not_at_workplace(graduate):
    """正文 四(二): a graduate who chose the place of work for the title is not in the school's round."""
    choice = WorkplaceChoice.objects.filter(graduate=graduate, for_title=True).first()
    if choice is not None:
        _refuse(_("该毕业生已选择在工作地（%(employer)s）申报工程系列职称（通知 四(二)），不在学校评审中申报。")
                % {"employer": choice.employer}, "at_workplace")


def create_application(*, round, graduate, actor, level, employer_kind="", today=None):
    """A draft application: by the graduate themself (``rounds.apply``) or enrolled by the school (``rounds.enrol``)."""
    rnd = round
    own = _is_applicant(actor, graduate)
    access.require(actor, "rounds.apply" if own else "rounds.enrol", rnd)
    today = today or clock.today()
    _check_open(rnd, today)
    _check_scope(rnd, graduate, level)
    employer_kind = employer_kind or graduate.employer_kind  # the school's record, when the applicant states none
    _check_employer_kind(employer_kind, graduate)
    _check_not_at_workplace(graduate)
    if active_application(rnd, graduate) is not None:
        _refuse(_("该毕业生在本轮评审中已有申报。"), "duplicate")
    verdict, snapshot = verdict_snapshot(graduate, rnd)
    _check_level(level, verdict)
    application = TitleApplication(
        round=rnd, graduate=graduate, level=level, major=graduate.major, employer_kind=employer_kind,
        created_by=actor, enrolled_by_school=not own, **snapshot)
    try:
        with transaction.atomic():
            application.save()
            audit.record(actor=actor, action="rounds.create_application", obj=application,
                         role=Role.STUDENT if own else STAFF,
                         changes={"round": rnd.pk, "graduate": graduate.pk, "level": level,
                                  "employer_kind": employer_kind})
    except IntegrityError:
        _refuse(_("该毕业生在本轮评审中已有申报。"), "duplicate")
    return application


def update_application(*, application, actor, level, employer_kind="", today=None):
    access.require(actor, "rounds.edit_application", application)
    today = today or clock.today()
    rnd = application.round
    _check_open(rnd, today)
    _check_scope(rnd, application.graduate, level)
    _check_employer_kind(employer_kind, application.graduate)
    verdict, snapshot = verdict_snapshot(application.graduate, rnd)
    _check_level(level, verdict)
    values = {"level": level, "employer_kind": employer_kind, **snapshot}
    with transaction.atomic():
        # Only the editable fields, and only while the state is still the one we checked.
        updated = TitleApplication.objects.filter(pk=application.pk, state=application.state).update(**values)
        if not updated:
            _refuse(_("该申报已由他人处理，请刷新页面后再操作。"), "stale")
        audit.record(actor=actor, action="rounds.update_application", obj=application,
                     role=role_of(actor, application), changes={"level": level, "employer_kind": employer_kind})
    return TitleApplication.objects.select_related("round__institution", "graduate").get(pk=application.pk)


def add_evidence(*, application, actor, kind, upload):
    access.require(actor, "rounds.edit_application", application)
    if kind not in EvidenceKind.values:
        _refuse(_("请选择材料类别。"), "kind")
    check_upload(upload, kinds=EVIDENCE_KINDS, max_mb=10)
    with transaction.atomic():
        evidence = ApplicationEvidence(application=application, kind=kind, original_name=upload.name[:200],
                                       uploaded_by=actor)
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
        audit.record(actor=actor, action="rounds.add_evidence", obj=application, role=role_of(actor, application),
                     changes={"kind": kind, "file": evidence.original_name})
    return evidence


def remove_evidence(*, evidence, actor):
    application = evidence.application
    access.require(actor, "rounds.edit_application", application)
    with transaction.atomic():
        audit.record(actor=actor, action="rounds.remove_evidence", obj=application,
                     role=role_of(actor, application), changes={"kind": evidence.kind, "file": evidence.original_name})
        stored = evidence.file
        evidence.delete()
        if stored:
            transaction.on_commit(lambda: stored.storage.delete(stored.name))


def missing_evidence(application):
    present = set(application.evidence.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_EVIDENCE if kind not in present]


def submit_application(*, application, actor, expected_state=None, today=None):
    """提交: the three facts of 附件2 一(四) evidenced, the level at or below the engine's verdict."""
    access.require(actor, "rounds.edit_application", application)
    today = today or clock.today()
    rnd = application.round
    _check_open(rnd, today)
    _check_scope(rnd, application.graduate, application.level)
    _check_not_at_workplace(application.graduate)
    missing = missing_evidence(application)
    if missing:
        _refuse(_("请上传以下证明材料后再提交：%(kinds)s。")
                % {"kinds": "、".join(str(EvidenceKind(k).label) for k in missing)}, "evidence")
    _check_employer_kind(application.employer_kind, application.graduate)
    if application.employer_kind != EmployerKind.ENTERPRISE:
        _refuse(_("附件2 一(四)：须在省内企业就业。请选择就业单位性质；在机关、事业单位就业的不能通过试点申报职称。")
                if application.employer_kind else _("请选择就业单位性质（附件2 一(四)：须在省内企业就业）。"),
                "employer_kind")
    verdict, snapshot = verdict_snapshot(application.graduate, rnd)
    _check_level(application.level, verdict)
    own = _is_applicant(actor, application.graduate)
    name = application.graduate.name
    with transaction.atomic():
        _lock_open_round(rnd)
        application = transition(
            application, "submit", actor=actor, role=role_of(actor, application), expected_state=expected_state,
            snapshot=snapshot, tell=school_staff(rnd.institution_id), link=application_link,
            title=_("新的职称申报待资格审查：%(name)s（%(level)s）") % {"name": name,
                                                                "level": application.get_level_display()})
    if not own:
        notify(graduate_user(application), title=_("学校已为您提交%(round)s的申报（%(level)s）")
               % {"round": rnd.name, "level": application.get_level_display()}, link=application_link(application))
    return application


def withdraw_application(*, application, actor, reason="", expected_state=None, today=None):
    today = today or clock.today()
    if application.round.state != RoundState.OPEN:
        _refuse(_("本轮评审的申报和资格审查已结束，不能撤回。"), "closed")
    rnd = application.round
    own = _is_applicant(actor, application.graduate)
    tell = school_staff(rnd.institution_id) if own else graduate_user(application)
    with transaction.atomic():
        _lock_open_round(rnd)
        return transition(application, "withdraw", actor=actor, role=role_of(actor, application), comment=reason,
                          expected_state=expected_state, tell=tell, link=application_link,
                          title=_("职称申报已撤回：%(app)s") % {"app": application})


def _number(value):
    """3.0 → '3', 53.60 → '53.6'."""
    from decimal import Decimal

    return f"{Decimal(str(value)).normalize():f}"


def public_summary(graduate, verdict):
    """The evidence summary a public notice shows: degree, practice, rank, achievements, employment evidence."""
    from evaluation.models import DegreeLevel

    parts = [str(DegreeLevel(graduate.degree_level).label)
             + ("（毕业证、学位证）" if graduate.has_degree else "（毕业证）" if graduate.has_diploma else "")]
    parts.append(_("企业实习实践%(m)s个月") % {"m": _number(graduate.practice_months)})
    if graduate.major_rank_percent is not None:
        parts.append(_("专业排名前%(r)s%%") % {"r": _number(graduate.major_rank_percent)})
    items = [a.describe() for a in graduate.achievements.all()]
    if items:
        parts.append(_("成果：") + "；".join(items))
    parts.append(_("就业证明、三方就业协议、到岗证明已提交"))
    text = "；".join(parts)
    return text if len(text) <= 400 else text[:399] + "…"


def review_application(*, application, actor, decision, reasons="", expected_state=None, today=None):
    """资格审查: ``decision`` is pass / return / refuse; return and refuse need written reasons."""
    access.require(actor, "rounds.review_application", application)
    today = today or clock.today()
    rnd = application.round
    if rnd.state != RoundState.OPEN:
        _refuse(_("本轮评审的资格审查已结束。"), "closed")
    if today > rnd.year_end:
        _refuse(_("已过%(year)d年12月31日（附件2 一(五)）。") % {"year": rnd.graduation_year}, "after_year_end")
    reasons = (reasons or "").strip()
    with transaction.atomic():
        _lock_open_round(rnd)
        return _decide(application, actor, decision, reasons, expected_state)


def _decide(application, actor, decision, reasons, expected_state):
    rnd = application.round
    link = application_link
    tell = graduate_user(application)
    label = application.get_level_display()
    if decision == "pass":
        verdict, snapshot = verdict_snapshot(application.graduate, rnd)
        if not verdict.may_apply:
            _refuse(_("资格评价结果为“暂不能参评”：%(reasons)s。请核实毕业生记录；不符合条件的，请退回修改或不予通过。")
                    % {"reasons": "；".join(verdict.blocking)}, "may_not_apply")
        _check_level(application.level, verdict)
        snapshot["public_summary"] = public_summary(application.graduate, verdict)
        return transition(application, "pass_review", actor=actor, role=STAFF, comment=reasons,
                          expected_state=expected_state, snapshot=snapshot, reasons=reasons, tell=tell, link=link,
                          title=_("您的职称申报（%(level)s）已通过资格审查") % {"level": label})
    if not reasons:
        _refuse(_("退回修改或不予通过时，请写明理由。"), "reasons")
    if decision == "return":
        return transition(application, "return_for_correction", actor=actor, role=STAFF, comment=reasons,
                          expected_state=expected_state, reasons=reasons, tell=tell, link=link,
                          title=_("您的职称申报（%(level)s）被退回修改") % {"level": label})
    if decision == "refuse":
        return transition(application, "refuse", actor=actor, role=STAFF, comment=reasons,
                          expected_state=expected_state, reasons=reasons, tell=tell, link=link,
                          title=_("您的职称申报（%(level)s）未通过资格审查") % {"level": label})
    _refuse(_("请选择审查结论。"), "decision")
