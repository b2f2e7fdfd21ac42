"""Evaluation-round test data on top of the shared ``world`` (tests/conftest.py) and the Track A factories
(authority, approved committee of five from the expert pool): graduates who reach a chosen level, and helpers
that drive a round through the services, as the school would, on fixed dates of 2025.

Dates (2025; 国庆 1–8 October off, Sunday 28 September and Saturday 11 October make-up working days):
opened and candidates' notice from Monday 22 September (ends Friday 26th); session Monday 29 September; results
notice from the 29th (ends Saturday 11 October — a 调休 working day); finalised Monday 13 October.
"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.track_a.routing import committee_filing_office
from evaluation.models import Achievement
from evaluation.rounds import services
from evaluation.rounds.models import (
    ApplicationState,
    EvaluationRound,
    Meeting,
    MeetingMember,
    RoundState,
    TitleApplication,
)
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from tests.evaluation.factories import GraduateFactory
from tests.track_a import factories as ta

YEAR = 2025
OPENED = date(2025, 9, 22)
CANDIDATES_FROM = date(2025, 9, 22)
CANDIDATES_END = date(2025, 9, 26)
SESSION = date(2025, 9, 29)
RESULTS_FROM = date(2025, 9, 29)
RESULTS_END = date(2025, 10, 11)
FINALISED = date(2025, 10, 13)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAJOR = "车辆工程"


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def school(w):
    """``w.inst`` authorised (车辆工程, 机械设计制造及其自动化; all levels; from 2024), its intermediate committee of
    five approved, and the default standard published. Idempotent per world."""
    if getattr(w, "school_ready", False):
        return w.committee
    ta.committee(w, "approved")
    publish_standard(institution=w.inst, data=DEFAULT_STANDARD.to_dict(), actor=w.staff)
    w.school_ready = True
    return w.committee


# What a record needs to reach each level under the default standard (DOMAIN §3.6).
LEVEL_RECORDS = {
    "technician": ({"practice_months": 3, "major_rank_percent": 60, "design_grade": "medium", "ncre_level": 0},
                   [{"kind": "competition", "level": "school", "rank": 1, "title": "校机械创新设计竞赛"}]),
    "assistant_engineer": ({"practice_months": 6, "major_rank_percent": 40, "design_grade": "good", "ncre_level": 2},
                           []),
    "engineer": ({"practice_months": 12, "major_rank_percent": 20, "design_grade": "excellent", "ncre_level": 3},
                 [{"kind": "competition", "level": "provincial", "rank": 1, "title": "安徽省大学生机器人大赛"}]),
    "none": ({"practice_months": 0.5, "major_rank_percent": 80, "design_grade": "pass", "ncre_level": 0}, []),
}


def graduate(w, number, *, reaches="technician", user=None, **fields):
    """A 2025 graduate of ``w.inst`` whose record reaches ``reaches`` (employed in Anhui, on duty)."""
    base, achievements = LEVEL_RECORDS[reaches]
    values = {"graduation_year": YEAR, "major": MAJOR, **base, **fields}
    g = GraduateFactory(institution=w.inst, student_number=number, user=user, **values)
    for a in achievements:
        Achievement.objects.create(graduate=g, **a)
    return g


def open_round(w, today=OPENED):
    school(w)
    return services.open_round(institution=w.inst, actor=w.staff, graduation_year=YEAR, today=today)


def application(w, rnd, g, *, level="technician", actor=None, submit=True, today=OPENED):
    """An application of ``g`` with the three evidence files, submitted unless ``submit`` is False."""
    actor = actor or w.staff
    app = services.create_application(round=rnd, graduate=g, actor=actor, level=level, employer_kind="enterprise",
                                      today=today)
    for kind in ("employment", "tripartite", "on_duty"):
        services.add_evidence(application=app, actor=actor, kind=kind, upload=pdf(f"{kind}.pdf"))
    if submit:
        app = services.submit_application(application=app, actor=actor, today=today)
    return app


def candidates(w, rnd, n=3, *, prefix="R"):
    """``n`` graduates applied and passed the eligibility review."""
    out = []
    for i in range(n):
        g = graduate(w, f"{prefix}{i:04d}")
        app = application(w, rnd, g)
        out.append(services.review_application(application=app, actor=w.staff, decision="pass", today=OPENED))
    return out


def convene(w, rnd, *, size=None, held_on=SESSION, today=SESSION):
    """The secretary (``w.staff``) convenes a meeting of the round's committee."""
    return services.convene_meeting(round=rnd, actor=w.staff, held_on=held_on, place="学校会议室", size=size,
                                    today=today)


def seats(meeting):
    """The meeting's members, the chair first."""
    return list(MeetingMember.objects.filter(meeting=meeting).select_related("user").order_by("-is_chair", "id"))


def chair(meeting):
    return next(s.user for s in seats(meeting) if s.is_chair)


def check_in(meeting, n=None):
    """The first ``n`` members (all by default, the chair first) check in themselves; returns their users."""
    users = [s.user for s in seats(meeting)][:n]
    for user in users:
        services.check_in(meeting=meeting, actor=user, today=meeting.held_on)
    return users


def vote(meeting, app, users, choices):
    """Each user casts the choice given (None: casts nothing)."""
    for user, choice in zip(users, choices, strict=True):
        if choice:
            services.cast_vote(meeting=meeting, application=app, actor=user, choice=choice)


def close(meeting):
    return services.close_vote(meeting=meeting, actor=chair(meeting), today=meeting.held_on)


def run_meeting(w, rnd, *, yes=None, sign=True):
    """A whole meeting: convened, every member checks in, on each candidate ``yes(app)`` members vote 同意 (all by
    default) and the rest 不同意, the chair closes and signs. Returns the round, refreshed."""
    meeting = convene(w, rnd)
    users = check_in(meeting)
    for app in eligible(rnd):
        k = len(users) if yes is None else yes(app)
        vote(meeting, app, users, ["yes"] * k + ["no"] * (len(users) - k))
    meeting = close(meeting)
    if sign:
        services.sign_minutes(meeting=meeting, actor=chair(meeting))
    return EvaluationRound.objects.get(pk=rnd.pk)


def round_in(w, state, *, n=3):
    """A round of ``w.inst`` brought to ``state`` with ``n`` candidates (all passing), cached per world."""
    cache = w.__dict__.setdefault("rounds", {})
    if state in cache:
        return cache[state]
    if EvaluationRound.objects.filter(institution=w.inst, graduation_year=YEAR).exists():
        raise AssertionError("one round per world")
    rnd = open_round(w)
    candidates(w, rnd, n)
    if state == RoundState.OPEN:
        return cache.setdefault(state, rnd)
    rnd = services.publish_candidates(round=rnd, actor=w.staff, starts_on=CANDIDATES_FROM, today=OPENED)
    if state == RoundState.CANDIDATES_NOTICE:
        return cache.setdefault(state, rnd)
    rnd = services.close_candidates_notice(round=rnd, actor=w.staff, today=SESSION)
    if state == RoundState.AWAITING_SESSION:
        return cache.setdefault(state, rnd)
    rnd = run_meeting(w, rnd)
    if state == RoundState.VOTED:
        return cache.setdefault(state, rnd)
    rnd = services.publish_results(round=rnd, actor=w.staff, starts_on=RESULTS_FROM, today=SESSION)
    if state == RoundState.RESULTS_NOTICE:
        return cache.setdefault(state, rnd)
    rnd = services.finalise(round=rnd, actor=w.staff, document_number="安工大职评〔2025〕1号", today=FINALISED)
    return cache.setdefault(state, rnd)


def meeting_of(rnd):
    return Meeting.objects.filter(round=rnd).order_by("-id").first()


def office_user(w, rnd):
    """The world's official in the office that filed the round's committee (附件2 二(三), ``committee_filing_office``)."""
    office = committee_filing_office(rnd.committee)
    return w.prov_hrss if office.is_provincial else w.city_hrss


def record_results(w, rnd, refusals=None):
    """评审结果备案: the school files the finalised round's results and the committee's filing office records them —
    before this no title certificate issues."""
    filing = services.filing.submit_results(round=rnd, actor=w.staff)
    return services.filing.record_results(filing=filing, actor=office_user(w, rnd), refusals=refusals)


def eligible(rnd):
    return list(TitleApplication.objects.filter(round=rnd, state=ApplicationState.ELIGIBLE).order_by("id"))


# --- for the access matrix ---------------------------------------------------------------------------------------------

def student_application(w, *, round_state=RoundState.OPEN, app_state="draft"):
    """``w.student`` linked to a graduate with an application (``draft`` or ``submitted``) in a round."""
    from django.utils import timezone

    cache = w.__dict__.setdefault("student_apps", {})
    key = (round_state, app_state)
    if key in cache:
        return cache[key]
    rnd = round_in(w, round_state, n=1)
    g = graduate(w, "S0001", user=w.student, name="王学生")
    if rnd.state == RoundState.OPEN:
        app = application(w, rnd, g, actor=w.student, submit=app_state != "draft")
    else:  # a round past the application stage: the application is built directly, as it was submitted then
        app = TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                              created_by=w.student, submitted_at=timezone.now())
    cache[key] = app
    return app


def student_candidate(w):
    """``w.student``'s graduate as a candidate of an open round (passed the review)."""
    app = student_application(w, app_state="submitted")
    return services.review_application(application=app, actor=w.staff, decision="pass", today=OPENED)


def running_notice(w, state=RoundState.CANDIDATES_NOTICE):
    """The round's notice, its dates moved around the real today (so that anyone may lodge an objection)."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.rounds.models import PublicNotice

    rnd = round_in(w, state, n=2)
    notice = PublicNotice.objects.filter(round=rnd).order_by("-id").first()
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today - timedelta(days=1),
                                                     ends_on=today + timedelta(days=7))
    return notice


def objection(w):
    from evaluation.rounds.models import Objection, PublicNotice

    rnd = round_in(w, RoundState.CANDIDATES_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd)
    if not Objection.objects.filter(notice=notice).exists():
        services.lodge_objection(notice=notice, entry=notice.entries.first(), content="获奖证书疑似不实，请核查。",
                                 today=CANDIDATES_FROM)
    return Objection.objects.get(notice=notice)


def other_city_round(w):
    """A round of a 芜湖 school (another city), built directly: for scoping tests."""
    from applications.track_a.models import EvaluationCommittee, GrantedAuthority
    from evaluation.models import SchoolStandard, StandardVersion
    from portal.models import Role
    from tests.conftest import make_institution, make_user

    if getattr(w, "wuhu_round", None) is not None:
        return w.wuhu_round
    inst = make_institution("安徽工程大学", city="3402", uscc_body="12340000485960498")
    staff = make_user("wuhu_round_staff", Role.UNIVERSITY_STAFF, institution=inst)
    app = ta.complete_application(w, inst)
    authority = GrantedAuthority.objects.create(application=app, institution=inst, number="ZP3402TEST", majors=[MAJOR],
                                                levels=["technician"], from_year=2024, decided_by=staff)
    committee = EvaluationCommittee.objects.create(institution=inst, authority=authority, name="安徽工程大学评委会",
                                                   level="intermediate", talent_pool="—", method="—", standard="—",
                                                   created_by=staff)
    standard = SchoolStandard.objects.create(institution=inst)
    version = StandardVersion.objects.create(standard=standard, number=1, name="安徽工程大学标准",
                                             data=DEFAULT_STANDARD.to_dict(), published_by=staff)
    w.wuhu_round = EvaluationRound.objects.create(
        institution=inst, graduation_year=YEAR, name="安徽工程大学2025届毕业生产业工程师职称评审", authority=authority,
        committee=committee, standard_version=version, majors=[MAJOR], levels=["technician"], opened_by=staff)
    return w.wuhu_round


REREVIEW_HELD = date(2025, 11, 3)  # a Monday, three weeks after the round was finalised
REREVIEW_PUBLISHED = date(2025, 11, 4)  # the 复查结果公示: Tuesday 4 to Monday 10 November (5 working days)


def rereview_notice(w, *, running=False, choices=None):
    """A 复查 of the finalised round's first passed decision: on a 复查 meeting, every member votes (``choices``, all
    同意 by default), the chair closes and signs, the school publishes the 复查结果公示. ``running``: its dates moved
    around the real today (so that anyone who may read it may lodge an objection). Cached per world."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.rounds import selectors
    from evaluation.rounds.models import PublicNotice

    notice = getattr(w, "matrix_rereview_notice", None)
    if notice is None:
        rnd = round_in(w, RoundState.FINALISED, n=2)
        decision = selectors.final_passed_decisions(rnd).first()
        request = services.request_rereview(decision=decision, actor=w.staff, grounds="complaint",
                                            reason="申请人对毕业设计成绩的认定提出申诉。")
        meeting = services.convene_rereview_meeting(round=rnd, actor=w.staff, held_on=REREVIEW_HELD,
                                                    place="学校会议室", today=REREVIEW_HELD)
        users = check_in(meeting)
        vote(meeting, decision.application, users, choices or ["yes"] * len(users))
        meeting = close(meeting)
        services.sign_minutes(meeting=meeting, actor=chair(meeting))
        request.refresh_from_db()
        services.publish_rereview_result(request=request, actor=w.staff, today=REREVIEW_PUBLISHED)
        notice = w.matrix_rereview_notice = PublicNotice.objects.get(rereview=request)
    if running:
        today = timezone.localdate()
        PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today - timedelta(days=1),
                                                         ends_on=today + timedelta(days=7))
        notice.refresh_from_db()
    return notice
