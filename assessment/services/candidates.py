"""Candidates (通知 正文 一, 三(二)1; DOMAIN §4.2): the school's 应届 graduates in related majors; entrusted schools'
students who opted in themselves; 1+X exemptions applied only where granted; one sitting per level per session."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_b.models import Entrustment, EntrustmentState, ExemptionRequest, ExemptionState
from applications.workflow import run_transition
from evaluation.models import Graduate
from evaluation.rounds.models import WorkplaceChoice
from portal import access, audit
from portal.models import Role

from ..models import (
    Attendance,
    Candidate,
    DeclarationState,
    EntrustedOptIn,
    ExaminerConflict,
    MajorMapping,
    Session,
    SessionState,
    UnemployedDeclaration,
)
from ..models.sessions import PLANNING_STATES
from .common import AssessmentError, require


def entrustment_for(graduate, session):
    """The acknowledged entrustment by which the graduate's school entrusted this session's institution for its
    occupation (委托, 通知 三(二)2(4)), or None."""
    return (Entrustment.objects.filter(institution_id=graduate.institution_id, state=EntrustmentState.ACKNOWLEDGED,
                                       entrusted_filing__institution_id=session.institution_id,
                                       occupations=session.occupation_id)
            .order_by("-acknowledged_at").first())


def fresh_graduate_problem(graduate, year):
    """应届 (正文 一): leaving in ``year``, or left within 2 years and not employed — declared by the graduate and
    confirmed by the school. "" when the graduate is 应届."""
    if graduate.graduation_year == year:
        return ""
    if graduate.graduation_year > year:
        return _("%(name)s %(y)d年毕业，不是%(year)d年的应届毕业生。") % {
            "name": graduate.name, "y": graduate.graduation_year, "year": year}
    if year - graduate.graduation_year > settings.ASSESSMENT_UNEMPLOYED_YEARS:
        return _("%(name)s %(y)d年离校，已超过2年，不属于应届毕业生（视同应届仅限离校2年内未就业）。") % {
            "name": graduate.name, "y": graduate.graduation_year}
    if graduate.employed:
        return _("%(name)s %(y)d年离校且学校记录显示已就业，不属于视同应届的离校未就业毕业生。") % {
            "name": graduate.name, "y": graduate.graduation_year}
    confirmed = UnemployedDeclaration.objects.filter(graduate=graduate, state=DeclarationState.CONFIRMED).exists()
    if not confirmed:
        return _("%(name)s %(y)d年离校：须本人申报离校后未就业并经学校确认，方可视同应届毕业生。") % {
            "name": graduate.name, "y": graduate.graduation_year}
    return ""


def granted_exemption(graduate, session):
    """The granted 1+X request for this student, occupation and level (issue #12 item 6), or None."""
    return (ExemptionRequest.objects.filter(id_number=graduate.id_number, occupation_id=session.occupation_id,
                                            level=session.level, state=ExemptionState.GRANTED)
            .order_by("-decided_at").first())


def workplace_problem(graduate):
    """工作地 (通知 四(二)): a graduate who chose to apply for skill certification at the place of work is not
    certified through the school ("" when they did not choose so)."""
    choice = WorkplaceChoice.objects.filter(graduate=graduate, for_skill=True).first()
    if choice is None:
        return ""
    return _("%(name)s 已选择在工作地（%(employer)s）申报职业技能等级认定（通知 四(二)），不在学校组织的认定中登记。") % {
        "name": graduate.name, "employer": choice.employer}


def candidate_problem(session, graduate, *, examiner_user_ids=None):
    """Why this graduate may not be registered for the session ("" when they may)."""
    problem = workplace_problem(graduate)
    if problem:
        return problem
    entrustment = None
    if graduate.institution_id != session.institution_id:
        entrustment = entrustment_for(graduate, session)
        if entrustment is None:
            return _("%(name)s 不是本校毕业生，其学校也未就该职业委托本机构认定。") % {"name": graduate.name}
        if not EntrustedOptIn.objects.filter(session=session, graduate=graduate).exists():
            return _("%(name)s 是委托学校的学生，须本人自愿报名（学生自愿原则）后方可登记。") % {"name": graduate.name}
    problem = fresh_graduate_problem(graduate, session.start_date.year)
    if problem:
        return problem
    if not MajorMapping.objects.filter(institution_id=graduate.institution_id, occupation_id=session.occupation_id,
                                       major=graduate.major).exists():
        return _("%(name)s 的专业“%(major)s”与“%(occ)s”不相关（学校维护的专业与职业对应关系中没有该专业）。") % {
            "name": graduate.name, "major": graduate.major, "occ": session.occupation.name}
    if Candidate.objects.filter(session=session, graduate=graduate).exists():
        return _("%(name)s 已报名本场次（同一等级每场只能报名一次）。") % {"name": graduate.name}
    if examiner_user_ids is None:
        examiner_user_ids = list(session.examiners.values_list("user_id", flat=True))
    conflict = ExaminerConflict.objects.filter(user_id__in=examiner_user_ids, graduate=graduate).first()
    if conflict is not None:
        return _("本场考评人员 %(e)s 已申报与 %(name)s 存在回避关系，请调整考评人员或改报其他场次。") % {
            "e": conflict.user.display_name, "name": graduate.name}
    return ""


def eligible_graduates(session):
    """Graduates the school could register: its own (and opted-in entrusted students), not yet registered."""
    own = Graduate.objects.filter(institution_id=session.institution_id)
    opted = Graduate.objects.filter(pk__in=EntrustedOptIn.objects.filter(session=session).values("graduate_id"))
    registered = session.candidates.values("graduate_id")
    majors = MajorMapping.objects.filter(occupation_id=session.occupation_id).values("major")
    year = session.start_date.year
    at_workplace = WorkplaceChoice.objects.filter(for_skill=True).values("graduate_id")
    return ((own | opted).exclude(pk__in=registered).exclude(pk__in=at_workplace).filter(major__in=majors,
                                                            graduation_year__gte=year - 2,
                                                            graduation_year__lte=year)
            .order_by("-graduation_year", "student_number"))


def register(session, *, user, graduates):
    """Registers the graduates, all or none: any refusal lists every reason and registers nobody."""
    require(user, "assessment.session_edit", session)
    if session.state not in PLANNING_STATES or session.start_date <= timezone.localdate():
        raise AssessmentError(_("报名须在考核开始前、考务计划未取消时进行。"))
    if not graduates:
        raise AssessmentError(_("请选择要报名的毕业生。"))
    examiner_ids = list(session.examiners.values_list("user_id", flat=True))
    problems = [p for p in (candidate_problem(session, g, examiner_user_ids=examiner_ids) for g in graduates) if p]
    if problems:
        raise AssessmentError(problems)
    created = []
    with transaction.atomic():
        for graduate in graduates:
            exemption = granted_exemption(graduate, session)
            subjects = exemption.subjects if exemption else ""
            created.append(Candidate.objects.create(
                session=session, graduate=graduate, registered_by=user,
                entrustment=entrustment_for(graduate, session) if graduate.institution_id != session.institution_id
                else None, exemption=exemption,
                exempt_theory=subjects in ("theory", "both") and session.theory_pass_mark is not None,
                exempt_practical=subjects in ("practice", "both") and session.practical_pass_mark is not None))
        audit.record(actor=user, action="assessment.register", obj=session, role=Role.UNIVERSITY_STAFF,
                     changes={"graduates": [g.pk for g in graduates]})
    return created


def withdraw(candidate, *, user):
    session = candidate.session
    require(user, "assessment.session_edit", session)
    if session.state not in PLANNING_STATES or session.start_date <= timezone.localdate():
        raise AssessmentError(_("考核开始后不能撤销报名。"))
    with transaction.atomic():
        audit.record(actor=user, action="assessment.withdraw", obj=session, role=Role.UNIVERSITY_STAFF,
                     changes={"graduate": candidate.graduate_id})
        candidate.delete()


def record_attendance(session, *, user, marks):
    """``marks``: {candidate id: "present"|"absent"}; by the institution's 考务 staff on or after the first day."""
    require(user, "assessment.session_edit", session)
    if session.state != SessionState.REPORTED or session.start_date > timezone.localdate():
        raise AssessmentError(_("考核开始后、成绩公布前方可登记考试情况。"))
    with transaction.atomic():
        for candidate in session.candidates.select_for_update():
            value = marks.get(candidate.pk)
            if value in (Attendance.PRESENT, Attendance.ABSENT) and value != candidate.attendance:
                if candidate.confirmed_at is not None:
                    raise AssessmentError(_("%(name)s 的成绩已复核，考试情况不能再改。") % {"name": candidate.graduate.name})
                Candidate.objects.filter(pk=candidate.pk).update(attendance=value)
        audit.record(actor=user, action="assessment.attendance", obj=session, role=Role.UNIVERSITY_STAFF,
                     changes={"marked": len(marks)})


def save_mapping(*, user, institution, occupation, majors):
    """The school's majors related to an occupation it is filed for or entrusts (replaces the list)."""
    require(user, "assessment.manage", institution)
    majors = sorted({m.strip() for m in majors if m.strip()})
    limit = MajorMapping._meta.get_field("major").max_length
    wrong = [m for m in majors if len(m) > limit or "\x00" in m]
    if wrong:
        raise AssessmentError([_("专业名称“%(m)s…”无效：每个专业一行，不超过%(n)d个字，不含控制字符。")
                               % {"m": m.replace("\x00", "")[:20], "n": limit} for m in wrong])
    with transaction.atomic():
        MajorMapping.objects.filter(institution=institution, occupation=occupation).exclude(major__in=majors).delete()
        for major in majors:
            MajorMapping.objects.get_or_create(institution=institution, occupation=occupation, major=major)
        audit.record(actor=user, action="assessment.major_mapping", obj=institution, role=Role.UNIVERSITY_STAFF,
                     changes={"occupation": occupation.code, "majors": majors})


def declare_unemployed(*, user, statement):
    """The graduate's own declaration (视同应届): only a signed-in student about their own record."""
    graduate = Graduate.objects.filter(user=user).first()
    if graduate is None or not access.has_role(user, Role.STUDENT):
        raise AssessmentError(_("只有毕业生本人可以申报。"))
    statement = (statement or "").strip()
    if not statement:
        raise AssessmentError(_("请填写声明内容。"))
    if UnemployedDeclaration.objects.filter(graduate=graduate, state=DeclarationState.DECLARED).exists():
        raise AssessmentError(_("已有待学校确认的申报。"))
    with transaction.atomic():
        declaration = UnemployedDeclaration.objects.create(graduate=graduate, statement=statement, declared_by=user)
        audit.record(actor=user, action="assessment.declare_unemployed", obj=declaration, role=Role.STUDENT)
    return declaration


def decide_declaration(declaration, *, user, confirm, note="", expected_state=None):
    """The school confirms a graduate's 未就业 statement or, saying why, does not (``confirm`` / ``reject``)."""
    require(user, "assessment.manage", declaration.graduate.institution)
    note = (note or "").strip()
    if not confirm and not note:
        raise AssessmentError(_("不予确认须写明理由。"))
    return run_transition(declaration, "confirm" if confirm else "reject", actor=user, role=Role.UNIVERSITY_STAFF,
                          expected_state=expected_state, comment=note, by=user, at=timezone.now(), note=note)


def opt_in(session, *, user):
    """An entrusting school's student asks to sit the entrusted institution's session (学生自愿)."""
    graduate = Graduate.objects.filter(user=user).first()
    if graduate is None:
        raise AssessmentError(_("只有毕业生本人可以自愿报名。"))
    if session.state not in PLANNING_STATES or session.start_date <= timezone.localdate():
        raise AssessmentError(_("该场次已不能报名。"))
    entrustment = entrustment_for(graduate, session)
    if entrustment is None:
        raise AssessmentError(_("您的学校未就该职业委托本机构认定。"))
    problem = workplace_problem(graduate)
    if problem:
        raise AssessmentError(problem)
    with transaction.atomic():
        item, _created = EntrustedOptIn.objects.get_or_create(session=session, graduate=graduate,
                                                              defaults={"entrustment": entrustment, "user": user})
        audit.record(actor=user, action="assessment.opt_in", obj=session, role=Role.STUDENT)
    return item


def open_sessions_for_student(user):
    """Sessions of institutions the student's school entrusted, still open for opt-in."""
    graduate = Graduate.objects.filter(user=user).first()
    if graduate is None:
        return [], None
    entrustments = Entrustment.objects.filter(institution_id=graduate.institution_id,
                                              state=EntrustmentState.ACKNOWLEDGED, entrusted_filing__isnull=False)
    sessions = (Session.objects.filter(state__in=PLANNING_STATES, start_date__gt=timezone.localdate(),
                                       institution_id__in=entrustments.values("entrusted_filing__institution_id"),
                                       occupation_id__in=entrustments.values("occupations"))
                .exclude(state=SessionState.CANCELLED).select_related("institution", "occupation"))
    return list(sessions), graduate


def declare_conflict(session, *, user, graduate, kind, note=""):
    """An examiner declares a conflict (回避) with a candidate: they never examine that graduate.

    Declared after scoring, the examiner's entries for that graduate that are not yet published are void (DOMAIN
    §7: the conflicts of committee members apply to examiners; a member's ballot is withdrawn the same way): their
    first entry, and a confirmation they made or one of their first entry. Two other examiners enter again."""
    require(user, "assessment.session_view", session)
    if not session.examiners.filter(user=user).exists():
        raise AssessmentError(_("只有本场考评人员可以申报回避。"))
    with transaction.atomic():
        conflict, _created = ExaminerConflict.objects.get_or_create(user=user, graduate=graduate,
                                                                    defaults={"kind": kind, "note": note})
        open_entries = Candidate.objects.select_for_update().filter(graduate=graduate,
                                                                    session__state=SessionState.REPORTED)
        voided = list(open_entries.filter(Q(first_by=user) | Q(confirmed_by=user)).values_list("pk", flat=True))
        Candidate.objects.filter(pk__in=voided).update(
            first_theory=None, first_practical=None, first_by=None, theory_score=None, practical_score=None,
            confirmed_by=None, confirmed_at=None)
        audit.record(actor=user, action="assessment.declare_conflict", obj=session, role=Role.EXPERT,
                     changes={"graduate": graduate.pk, "kind": kind, "voided_entries": voided})
    return conflict
