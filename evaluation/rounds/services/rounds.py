"""Opening a round and moving it on: the candidates' notice, the end of that notice, the results notice and
the final decisions. Every step checks its dates against 31 December of the graduation year first."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.track_a import selectors as track_a
from applications.workflow import WorkflowError
from evaluation.rounds import clock, deadlines
from evaluation.rounds.models import (
    ApplicationState,
    Decision,
    EvaluationRound,
    Meeting,
    MeetingState,
    NoticeEntry,
    Outcome,
    PublicNotice,
    RoundState,
    Stage,
    TitleApplication,
)
from evaluation.rounds.rules import LEVEL_NAMES
from evaluation.rounds.workdays import WorkCalendar
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link as _application_link
from .common import city_hrss, graduate_user, round_link, school_staff, transition

STAFF = Role.UNIVERSITY_STAFF
#: 中级评委会 covers 工程师 and the 初级 levels; a 初级评委会 only 技术员 and 助理工程师 (附件2 二).
JUNIOR_COMMITTEE_LEVELS = ("technician", "assistant_engineer")


def committee_covers(committee, level):
    return committee.level == "intermediate" or level in JUNIOR_COMMITTEE_LEVELS


def _refuse(message, code="invalid"):
    raise ValidationError(message, code=code)


def require_state(rnd, state):
    """Before any other check: a step offered for another state is refused the way ``run_transition`` would."""
    if rnd.state != state:
        raise WorkflowError(_("当前状态“%(state)s”下不能执行该操作，请刷新页面。") % {"state": rnd.get_state_display()})


def _open_objections(rnd, stage):
    from evaluation.rounds.selectors import open_objections

    return open_objections(rnd, stage).count()


def _notice(rnd, stage):
    return PublicNotice.objects.filter(round=rnd, stage=stage).first()


def _officials_and_staff(rnd):
    return school_staff(rnd.institution_id) + city_hrss(rnd.institution.city_id)


# --- opening -----------------------------------------------------------------------------------------------------

def open_round(*, institution, actor, graduation_year, majors=None, levels=None, application_deadline=None,
               today=None):
    """Opens the round of ``graduation_year`` within the school's authority, standard and committee."""
    access.require(actor, "rounds.open_round", institution)
    today = today or clock.today()
    authority = track_a.granted_authority_for(institution)
    if authority is None:
        _refuse(_("本校尚未取得产业工程师职称自主评审权，不能发起评审。"), "no_authority")
    if graduation_year < authority.from_year:
        _refuse(_("职称自主评审权自%(year)d年度起生效。") % {"year": authority.from_year}, "before_authority")
    committee = track_a.filed_committee_for(institution)
    if committee is None:
        _refuse(_("本校职称评审委员会尚未核准备案（或已撤销、核准备案已过有效期），不能发起评审。"), "no_committee")
    # Only the version of the school's standard carried by the committee's current 核准备案 (附件2 二(三): the
    # filing materials include 评审办法、评审标准; 正文 三(一)2(4)): a newer version is filed as an adjustment first.
    version = track_a.committee_standard_version(committee)
    if version is None:
        _refuse(_("本校评委会的核准备案未载明自主评审标准条件，不能发起评审。"), "no_standard")
    majors = list(majors) if majors else list(authority.majors)
    outside = [m for m in majors if m not in authority.majors]
    if outside:
        _refuse(_("以下专业不在本校职称自主评审权范围内：%(majors)s。") % {"majors": "、".join(outside)}, "major")
    wanted = list(levels) if levels else [lv for lv in authority.levels if committee_covers(committee, lv)]
    bad = [lv for lv in wanted if lv not in authority.levels]
    if bad:
        _refuse(_("以下级别不在本校职称自主评审权范围内：%(levels)s。")
                % {"levels": "、".join(LEVEL_NAMES.get(lv, lv) for lv in bad)}, "level")
    uncovered = [lv for lv in wanted if not committee_covers(committee, lv)]
    if uncovered:
        _refuse(_("本校评委会为初级职称评审委员会，不能评审%(levels)s。")
                % {"levels": "、".join(LEVEL_NAMES[lv] for lv in uncovered)}, "level")
    if not majors or not wanted:
        _refuse(_("请至少选择一个专业和一个级别。"), "empty")
    order = ("technician", "assistant_engineer", "engineer")
    levels = [lv for lv in order if lv in wanted]
    rnd = EvaluationRound(institution=institution, graduation_year=graduation_year, authority=authority,
                          committee=committee, standard_version=version, majors=majors, levels=levels,
                          application_deadline=application_deadline, opened_by=actor,
                          name=_("%(school)s%(year)d届毕业生产业工程师职称评审")
                          % {"school": institution.name, "year": graduation_year})
    if today > rnd.year_end:
        _refuse(_("%(year)d年已过，不能再发起该年度毕业生的评审（附件2 一(五)）。") % {"year": graduation_year},
                "after_year_end")
    if application_deadline is not None and not (today <= application_deadline <= rnd.year_end):
        _refuse(_("申报截止日期应在今天至%(year)d年12月31日之间。") % {"year": graduation_year}, "deadline")
    deadlines.refuse_if_late(rnd, deadlines.finish_from_candidates_notice(today, limit=rnd.year_end))
    if EvaluationRound.objects.filter(institution=institution, graduation_year=graduation_year).exists():
        _refuse(_("该校本年度的职称评审工作已经发起。"), "duplicate")
    try:
        with transaction.atomic():
            rnd.save()
            audit.record(actor=actor, action="rounds.open_round", obj=rnd, role=STAFF,
                         changes={"graduation_year": graduation_year, "majors": majors, "levels": levels,
                                  "committee": committee.pk, "standard_version": version.pk})
            notify([u for u in _officials_and_staff(rnd) if u.pk != actor.pk],
                   title=_("%(school)s发起了%(year)d届毕业生职称评审") % {"school": institution.name,
                                                                      "year": graduation_year},
                   link=round_link(rnd))
    except IntegrityError:
        _refuse(_("该校本年度的职称评审工作已经发起。"), "duplicate")
    return rnd


# --- the candidates' notice ---------------------------------------------------------------------------------------

def publish_candidates(*, round, actor, starts_on=None, contact="", expected_state=None, today=None):
    """公示评审对象 for at least 5 working days from ``starts_on`` (today by default)."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.OPEN)
    today = today or clock.today()
    starts_on = starts_on or today
    if starts_on < today:
        _refuse(_("公示开始日期不能早于今天。"), "past")
    calendar = WorkCalendar()
    ends_on = deadlines.notice_end(starts_on, limit=rnd.year_end, calendar=calendar)
    deadlines.refuse_if_late(rnd, deadlines.finish_from_candidates_notice(starts_on, limit=rnd.year_end,
                                                                          calendar=calendar))
    with transaction.atomic():
        # The transition locks the round first: an application submitted, withdrawn or reviewed meanwhile either
        # finished before (and is counted below) or waits and then finds the round closed.
        rnd = transition(rnd, "publish_candidates", actor=actor, role=STAFF, expected_state=expected_state,
                         data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
                         comment=_("公示期：%(start)s至%(end)s") % {"start": starts_on, "end": ends_on})
        pending = TitleApplication.objects.filter(round=rnd, state=ApplicationState.SUBMITTED).count()
        if pending:
            _refuse(_("尚有%(n)d份申报待资格审查，审查完毕后才能公示评审对象。") % {"n": pending}, "pending")
        candidates = list(TitleApplication.objects.filter(round=rnd, state=ApplicationState.ELIGIBLE)
                          .select_related("graduate").order_by("major", "level", "graduate__student_number"))
        if not candidates:
            _refuse(_("尚无资格审查通过的评审对象。"), "empty")
        notice = PublicNotice.objects.create(
            round=rnd, stage=Stage.CANDIDATES, starts_on=starts_on, ends_on=ends_on, contact=contact,
            published_by=actor, title=_("%(round)s：评审对象公示") % {"round": rnd.name})
        NoticeEntry.objects.bulk_create([
            NoticeEntry(notice=notice, application=a, position=i, masked_name=a.graduate.masked_name,
                        major=a.major, level=a.level, summary=a.public_summary)
            for i, a in enumerate(candidates, 1)])
        link = _public_link(notice)
        for a in candidates:
            notify(graduate_user(a), title=_("您已列入评审对象公示（%(start)s至%(end)s）：%(round)s")
                   % {"round": rnd.name, "start": starts_on, "end": ends_on}, link=_application_link(a))
        notify(_officials_and_staff(rnd), title=_("评审对象公示已发布：%(round)s（%(start)s至%(end)s）")
               % {"round": rnd.name, "start": starts_on, "end": ends_on}, link=link)
    return rnd


def _public_link(notice):
    from django.urls import reverse

    return reverse("rounds:public_notice", args=[notice.pk])


def close_candidates_notice(*, round, actor, expected_state=None, today=None):
    """After the notice has run its full term and every objection has its written answer."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.CANDIDATES_NOTICE)
    today = today or clock.today()
    notice = _notice(rnd, Stage.CANDIDATES)
    if notice is None or not notice.has_ended(today):
        _refuse(_("评审对象公示期至%(end)s，期满后才能提交评委会评审。") % {"end": notice.ends_on if notice else "—"},
                "notice_running")
    unanswered = _open_objections(rnd, Stage.CANDIDATES)
    if unanswered:
        _refuse(_("尚有%(n)d条公示异议未书面答复，答复后才能继续。") % {"n": unanswered}, "objections_open")
    deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(today, limit=rnd.year_end))
    candidates = list(TitleApplication.objects.filter(round=rnd, state=ApplicationState.ELIGIBLE)
                      .select_related("graduate__user"))
    with transaction.atomic():
        rnd = transition(rnd, "close_candidates_notice", actor=actor, role=STAFF, expected_state=expected_state)
        for a in candidates:
            notify(graduate_user(a), title=_("评审对象公示期满，您的申报已提交评委会评审"),
                   link=_application_link(a))
    return rnd


# --- the results notice --------------------------------------------------------------------------------------------

def publish_results(*, round, actor, starts_on=None, contact="", expected_state=None, today=None):
    """公示评审结果 (the candidates the committee passed) for at least 5 working days."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.VOTED)
    if Meeting.objects.filter(round=rnd).exclude(state=MeetingState.SIGNED).exists():
        _refuse(_("评审会议纪要尚未由主任委员签署，不能公示评审结果。"), "unsigned")
    today = today or clock.today()
    starts_on = starts_on or today
    if starts_on < today:
        _refuse(_("公示开始日期不能早于今天。"), "past")
    calendar = WorkCalendar()
    ends_on = deadlines.notice_end(starts_on, limit=rnd.year_end, calendar=calendar)
    deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(starts_on, limit=rnd.year_end,
                                                                       calendar=calendar))
    voted = list(TitleApplication.objects.filter(round=rnd, state__in=[ApplicationState.PASSED,
                                                                       ApplicationState.FAILED])
                 .select_related("graduate__user").order_by("major", "level", "graduate__student_number"))
    passed = [a for a in voted if a.state == ApplicationState.PASSED]
    with transaction.atomic():
        rnd = transition(rnd, "publish_results", actor=actor, role=STAFF, expected_state=expected_state,
                         data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
                         comment=_("公示期：%(start)s至%(end)s") % {"start": starts_on, "end": ends_on})
        notice = PublicNotice.objects.create(
            round=rnd, stage=Stage.RESULTS, starts_on=starts_on, ends_on=ends_on, contact=contact,
            published_by=actor, title=_("%(round)s：评审结果公示") % {"round": rnd.name})
        NoticeEntry.objects.bulk_create([
            NoticeEntry(notice=notice, application=a, position=i, masked_name=a.graduate.masked_name,
                        major=a.major, level=a.level, summary=a.public_summary)
            for i, a in enumerate(passed, 1)])
        for a in voted:
            if a.state == ApplicationState.PASSED:
                title = _("您申报的%(level)s已通过评委会评审，评审结果公示至%(end)s")
            else:
                title = _("您申报的%(level)s未通过评委会评审")
            notify(graduate_user(a), title=title % {"level": a.get_level_display(), "end": ends_on},
                   link=_application_link(a))
        notify(_officials_and_staff(rnd), title=_("评审结果公示已发布：%(round)s（%(start)s至%(end)s）")
               % {"round": rnd.name, "start": starts_on, "end": ends_on}, link=_public_link(notice))
    return rnd


# --- final decisions -----------------------------------------------------------------------------------------------

def finalise(*, round, actor, document_number, expected_state=None, today=None):
    """The results notice is over and answered: one immutable ``Decision`` per candidate voted on."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.RESULTS_NOTICE)
    today = today or clock.today()
    document_number = (document_number or "").strip()
    if not document_number:
        _refuse(_("请填写批准文号。"), "number")
    notice = _notice(rnd, Stage.RESULTS)
    if notice is None or not notice.has_ended(today):
        _refuse(_("评审结果公示期至%(end)s，期满后才能确定评审结果。") % {"end": notice.ends_on if notice else "—"},
                "notice_running")
    if today > rnd.year_end:
        _refuse(_("已过%(year)d年12月31日，不能再确定该年度的评审结果（附件2 一(五)）。")
                % {"year": rnd.graduation_year}, "after_year_end")
    unanswered = _open_objections(rnd, Stage.RESULTS)
    if unanswered:
        _refuse(_("尚有%(n)d条公示异议未书面答复，答复后才能确定评审结果。") % {"n": unanswered}, "objections_open")
    voted = list(TitleApplication.objects.filter(round=rnd, tallies__outcome__in=[Outcome.PASSED, Outcome.FAILED])
                 .distinct().select_related("graduate__user").order_by("graduate__student_number"))
    with transaction.atomic():
        rnd = transition(rnd, "finalise", actor=actor, role=STAFF, expected_state=expected_state,
                         comment=_("批准文号：%(number)s") % {"number": document_number},
                         document_number=document_number, on=today)
        Decision.objects.bulk_create([
            Decision(round=rnd, application=a, graduate=a.graduate, committee_id=rnd.committee_id, level=a.level,
                     major=a.major, passed=a.state == ApplicationState.PASSED, decided_on=today,
                     approval_number=document_number, created_by=actor)
            for a in voted])
        audit.record(actor=actor, action="rounds.decisions", obj=rnd, role=STAFF,
                     changes={"decisions": len(voted), "passed": sum(a.state == ApplicationState.PASSED
                                                                    for a in voted),
                              "approval_number": document_number})
        for a in voted:
            if a.state == ApplicationState.PASSED:
                title = _("评审结果已确定：您已取得%(level)s职称（批准文号：%(number)s）")
            else:
                title = _("评审结果已确定：您申报的%(level)s未获通过")
            notify(graduate_user(a), title=title % {"level": a.get_level_display(), "number": document_number},
                   link=_application_link(a))
        notify(_officials_and_staff(rnd), title=_("评审结果已确定：%(round)s（%(number)s）")
               % {"round": rnd.name, "number": document_number}, link=round_link(rnd))
    return rnd
