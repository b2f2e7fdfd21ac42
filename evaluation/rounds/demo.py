"""Demo data of the evaluation round (``manage.py load_demo`` calls ``load_demo(stdout)``), made through the
services so that the log, notifications, notices, minutes and decisions are what real use leaves behind.

安徽工业大学 (staff ``univ``) ran its 2025 round on the dates of 2025 — it can no longer run today, 31 December
2025 having passed — from applications to final decisions (批准文号 安工大职评〔2025〕1号):

- 张明 (his own account ``2021010101``, activated in ``evaluation.demo``) applied himself at 技术员, was returned
  once for an unreadable agreement, resubmitted, passed the review, both notices and the committee: his final decision is on his page;
- the school enrolled the other candidates of its pilot majors at the level their records reach (never above it:
  通知 四(四)), one of whom did not reach two thirds of the vote; one not yet on duty was refused;
- an objection to the candidates' notice was answered (dismissed); the committee met with 6 of its 7 members,
  who checked in and voted themselves (secret ballot); members employed by a candidate's employer withdrew from
  that vote (回避, detected from employer data); the chair (``pool_1``) closed the vote and signed the minutes;
- the results were filed (评审结果备案) with the office that filed the committee, which recorded them — only then may
  title certificates issue.

And, for trying the meeting now, its round of the portal's current year waits at 待评委会评审 (``load_voting_round``):
a small cohort of this year enrolled and reviewed, the candidates' notice published on dates that have already
elapsed (through the same services, with past dates), and a meeting convened for today — the members (``pool_1``,
the chair, to ``pool_7``) sign in, check in and vote right away; ``pool_1`` closes the vote and signs the minutes.

Runs after ``evaluation.demo`` (graduates, standard) and ``applications.track_a.demo`` (authority, committee).
Idempotent: a school that already has its round of a year is skipped.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from applications.track_a.routing import committee_filing_office
from evaluation import demo as evaluation_demo
from evaluation.models import Graduate
from portal.models import Institution

from . import clock, deadlines, rules, selectors, services
from .models import EvaluationRound, PublicNotice, Stage
from .workdays import CalendarMissing, WorkCalendar

INSTITUTION = "安徽工业大学"
YEAR = 2025
OPENED = date(2025, 9, 15)
CANDIDATES_FROM = date(2025, 9, 22)  # ends Friday 26 September
SESSION = date(2025, 9, 29)  # results notice 29 September – 11 October (国庆; 11 October a 调休 working day)
FINALISED = date(2025, 10, 13)
DOCUMENT = "安工大职评〔2025〕1号"
STUDENT_NUMBER = "2021010101"  # 张明 (evaluation.demo)
ENROLLED = 22
_PDF = b"%PDF-1.4\n%demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def _evidence(app, actor):
    for kind, title in (("employment", "劳动合同"), ("tripartite", "三方就业协议"), ("on_duty", "到岗证明")):
        services.add_evidence(application=app, actor=actor, kind=kind, upload=_pdf(f"{title}.pdf"))


def _pick(rnd, year=YEAR):
    """Graduates of the round's majors, with the engine's verdict under the round's standard."""
    out = []
    for g in (Graduate.objects.filter(institution_id=rnd.institution_id, graduation_year=year, pilot_major=True,
                                      major__in=rnd.majors).prefetch_related("achievements")
              .order_by("student_number")):
        out.append((g, services.common.verdict_for(g, rnd)))
    return out


def _meeting(rnd, staff, *, held_on, place, absent=0, vote=True):
    """A meeting as its members run it: the secretary convenes it; all but ``absent`` members check in; each
    present, non-recused member votes 同意, except on the second candidate, where enough vote 不同意 to leave 同意
    one short of two thirds; the chair closes the vote and signs the minutes."""
    meeting = services.convene_meeting(round=rnd, actor=staff, held_on=held_on, place=place, today=held_on)
    seats = list(meeting.members.select_related("user").order_by("-is_chair", "id"))
    present = seats[:len(seats) - absent]
    for seat in present:
        services.check_in(meeting=meeting, actor=seat.user, today=held_on)
    if not vote:
        return meeting
    recused = {(c.application_id, c.member_id) for c in meeting.conflicts.all()}
    for i, app in enumerate(services.meetings.candidates_of(rnd)):
        voters = [s for s in present if (app.pk, s.pk) not in recused]
        against = len(voters) - rules.min_yes(len(voters)) + 1 if i == 1 else 0
        for i, seat in enumerate(voters):
            services.cast_vote(meeting=meeting, application=app, actor=seat.user,
                               choice="no" if i < against else "yes")
    chair = seats[0].user
    meeting = services.close_vote(meeting=meeting, actor=chair, today=held_on)
    services.sign_minutes(meeting=meeting, actor=chair)
    return EvaluationRound.objects.get(pk=rnd.pk)


def current_cohort(institution, staff, year, n=12):
    """``n`` graduates of ``year`` at the school, imported by its staff ``staff`` the way ``evaluation.demo`` imports
    its cohort (the transcript through the import pipeline, achievements through ``records.add_achievement``;
    importing the same file again changes nothing). Each school its own people: the draw is seeded by the year
    and, for any school but this one, the school's name — never its primary key, which differs from one database
    to another."""
    rng = random.Random(year if institution.name == INSTITUTION else f"{year}:{institution.name}")
    people = []
    for i in range(n):
        fields = evaluation_demo._record(rng, i)
        employed = bool(fields["employer"])
        fields.update(duty_start_date=date(year, 7, 1) if employed else None,
                      diploma_number=f"{10360 + institution.pk:05d}1{year}{i:06d}")
        people.append((f"{year - 4}09{i + 1:04d}", fields, evaluation_demo.achievement_specs(rng)))
    graduates, _changed = evaluation_demo.import_cohort(staff, people, year)
    return [graduates[number] for number, _f, _a in people]


def load_voting_round(stdout, *, institution, staff, today=None):
    """The school's round of the current year brought to 待评委会评审 with a meeting convened for today."""
    today = today or clock.today()
    if EvaluationRound.objects.filter(institution=institution, graduation_year=today.year).exists():
        return None
    rnd = reviewed_candidates(institution, staff, today)
    try:
        meeting = services.convene_meeting(round=rnd, actor=staff, held_on=today, place="安徽工业大学行政楼第二会议室",
                                           today=today)
    except ValidationError as exc:  # e.g. too close to 31 December for a results notice to follow
        stdout.write(f"  职称评审：{rnd.name} 待评委会评审（未能召集会议：{exc.messages[0]}）")
        return rnd
    stdout.write(f"  职称评审：{rnd.name} 待评委会评审，评审会议已召集（{meeting.size}名委员 pool_1…pool_7 "
                 f"可签到投票，pool_1 为主任委员）")
    return rnd


def elapsed_notice_start(today):
    """A start for a candidates' notice whose 5 working days have ended before ``today``."""
    calendar = WorkCalendar()
    starts = today - timedelta(days=10)
    while deadlines.notice_end(starts, limit=date(today.year, 12, 31), calendar=calendar) >= today:
        starts -= timedelta(days=1)
    return starts


def applied(rnd, staff, opened, *, n=6, reviewed=None):
    """Up to ``n`` graduates enrolled by the school at the level their record reaches (never above it), their
    evidence attached and submitted on ``opened``; the first ``reviewed`` (all by default) pass 资格审查."""
    picked = [(g, v) for g, v in _pick(rnd, rnd.graduation_year) if v.may_apply and v.level != "none"][:n]
    apps = []
    for g, v in picked:
        app = services.create_application(round=rnd, graduate=g, actor=staff, level=v.level, employer_kind="enterprise",
                                          today=opened)
        _evidence(app, staff)
        apps.append(services.submit_application(application=app, actor=staff, today=opened))
    for app in apps[:reviewed]:
        services.review_application(application=app, actor=staff, decision="pass", today=opened)
    return apps


def reviewed_candidates(institution, staff, today):
    """This year's round of the school at 待评委会评审: a cohort enrolled and reviewed, the candidates' notice
    published on dates that have already elapsed (the same services, with past dates) and closed today."""
    starts = elapsed_notice_start(today)
    current_cohort(institution, staff, today.year)
    rnd = services.open_round(institution=institution, actor=staff, graduation_year=today.year,
                              today=starts - timedelta(days=3))
    applied(rnd, staff, starts - timedelta(days=3))
    rnd = services.publish_candidates(round=rnd, actor=staff, starts_on=starts, today=starts,
                                      contact=f"{institution.name}人事处")
    return services.close_candidates_notice(round=rnd, actor=staff, today=today)


def _spread(pool, n):
    """Everyone above 技术员 (they are few), then 技术员 taken in turn from each major, up to ``n``."""
    higher = [(g, v) for g, v in pool if v.level != "technician"]
    by_major = {}
    for g, v in pool:
        if v.level == "technician":
            by_major.setdefault(g.major, []).append((g, v))
    picked, queues = list(higher), list(by_major.values())
    while len(picked) < n and any(queues):
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return sorted(picked, key=lambda gv: gv[0].student_number)


@transaction.atomic
def load_demo(stdout):
    User = get_user_model()
    institution = Institution.objects.get(name=INSTITUTION)
    staff = User.objects.get(username="univ")
    rnd = load_finalised_round(stdout, institution=institution, staff=staff)
    if clock.today().year != YEAR:
        try:
            with transaction.atomic():
                load_voting_round(stdout, institution=institution, staff=staff)
        except (ValidationError, CalendarMissing) as exc:  # e.g. a year the holiday calendar does not know yet
            stdout.write(f"  职称评审：未能建立本年度待评审的评审工作（{exc.messages[0]}）")
    return rnd


def load_finalised_round(stdout, *, institution, staff):
    """The 2025 round, from applications to final decisions, on the dates of 2025."""
    User = get_user_model()
    if EvaluationRound.objects.filter(institution=institution, graduation_year=YEAR).exists():
        return None
    rnd = services.open_round(institution=institution, actor=staff, graduation_year=YEAR, today=OPENED)
    pool = _pick(rnd)
    by_number = {g.student_number: (g, v) for g, v in pool}

    # 张明 applies himself; returned once, then resubmitted.
    zhang, _verdict = by_number.pop(STUDENT_NUMBER)
    actor = zhang.user if zhang.user is not None and zhang.user.is_active else staff  # his own account
    app = services.create_application(round=rnd, graduate=zhang, actor=actor, level="technician", employer_kind="enterprise",
                                      today=OPENED)
    _evidence(app, actor)
    app = services.submit_application(application=app, actor=actor, today=OPENED)
    app = services.review_application(application=app, actor=staff, decision="return", today=date(2025, 9, 16),
                                      reasons="三方就业协议扫描件不清晰，请重新上传清晰的扫描件。")
    services.add_evidence(application=app, actor=actor, kind="tripartite", upload=_pdf("三方就业协议（重新扫描）.pdf"))
    app = services.submit_application(application=app, actor=actor, today=date(2025, 9, 16))
    services.review_application(application=app, actor=staff, decision="pass", today=date(2025, 9, 17))

    eligible = _spread([(g, v) for g, v in by_number.values() if v.may_apply and v.level != "none"], ENROLLED)
    blocked = [(g, v) for g, v in by_number.values() if not v.may_apply and g.employer and v.level != "none"]
    for g, v in eligible:
        app = services.create_application(round=rnd, graduate=g, actor=staff, level=v.level,
                                          employer_kind="enterprise", today=OPENED)
        _evidence(app, staff)
        app = services.submit_application(application=app, actor=staff, today=OPENED)
        services.review_application(application=app, actor=staff, decision="pass", today=date(2025, 9, 17))
    for g, v in blocked[:1]:
        app = services.create_application(round=rnd, graduate=g, actor=staff, level=v.level,
                                          employer_kind="enterprise", today=OPENED)
        _evidence(app, staff)
        app = services.submit_application(application=app, actor=staff, today=OPENED)
        services.review_application(application=app, actor=staff, decision="refuse", today=date(2025, 9, 17),
                                    reasons="经核实，该生毕业当年尚未在省内企业到岗工作，不符合附件2 一(四)的条件。")

    rnd = services.publish_candidates(round=rnd, actor=staff, starts_on=CANDIDATES_FROM, today=date(2025, 9, 19),
                                      contact="安徽工业大学人事处 0555-2311000")
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.CANDIDATES)
    entry = notice.entries.order_by("position")[1]
    objection = services.lodge_objection(notice=notice, entry=entry, today=date(2025, 9, 24),
                                         content="该同学的竞赛获奖是团队项目，排名是否属实？请核实。")
    services.answer_objection(objection=objection, actor=staff, outcome="dismissed",
                              answer="经核查获奖证书原件和竞赛组委会公布的名单，该生排名属实，异议不成立。")
    rnd = services.close_candidates_notice(round=rnd, actor=staff, today=SESSION)

    rnd = _meeting(rnd, staff, held_on=SESSION, place="安徽工业大学行政楼第一会议室", absent=1)
    rnd = services.publish_results(round=rnd, actor=staff, starts_on=SESSION, today=SESSION,
                                   contact="安徽工业大学人事处 0555-2311000")
    rnd = services.finalise(round=rnd, actor=staff, document_number=DOCUMENT, today=FINALISED)
    # 评审结果备案 with the office that filed the committee (附件2 二(三)); titles may issue only after it records them.
    office = committee_filing_office(rnd.committee)
    officer = None if office is None else User.objects.filter(
        roles__role=office.role, **({} if office.is_provincial else {"roles__city_id": office.city_code})).first()
    filing = services.submit_results(round=rnd, actor=staff)
    if officer is not None:
        services.record_results(filing=filing, actor=officer, comment="经审核，予以备案。")
    passed = selectors.final_passed_decisions(rnd).count()
    stdout.write(f"  职称评审：{rnd.name} 已确定评审结果（{DOCUMENT}），通过 {passed} 人（univ、{actor.username} 可查看）")
    return rnd
