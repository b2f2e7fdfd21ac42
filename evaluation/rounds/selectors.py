"""Reads of rounds, applications, notices, objections and decisions — scoped by who asks — and the two
reads certificate issuance needs (``final_passed_decisions``, ``final_passed_decision_for``)."""

import datetime

from django.db.models import Count, Q

from evaluation.models import Graduate
from portal import access
from portal.models import CITY_ROLES

from .models import (
    ApplicationState,
    Decision,
    EvaluationRound,
    FilingState,
    Meeting,
    MeetingMember,
    Objection,
    ObjectionState,
    PublicNotice,
    RereviewRequest,
    RereviewState,
    ResultRefusal,
    ResultsFiling,
    RoundState,
    TitleApplication,
)

ACTIVE_APPLICATION = ~Q(state=ApplicationState.WITHDRAWN)


def rounds_visible_to(user):
    """The school's own rounds; its city's offices those of their city; the province and site admins all."""
    qs = EvaluationRound.objects.select_related("institution__city", "committee")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user) or access.has_role(user, *access.PROVINCIAL_ROLES):
        return qs
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    own = access.institution_ids(user)
    if not cities and not own:
        return qs.none()
    return qs.filter(Q(institution_id__in=own) | Q(institution__city_id__in=cities))


def seats_of(user):
    """The meetings a committee member is called to (their seats), newest first — only their own."""
    if not user.is_authenticated:
        return MeetingMember.objects.none()
    return (MeetingMember.objects.filter(user=user)
            .select_related("meeting__round__institution", "meeting__round__committee")
            .order_by("-meeting__held_on", "-meeting_id"))


def meeting_for_member(user, pk):
    """(meeting, seat) when the user is called to meeting ``pk``; None otherwise (the caller answers 404)."""
    seat = seats_of(user).filter(meeting_id=pk).first()
    return (seat.meeting, seat) if seat is not None else None


def meetings_of_visible(user):
    """Meetings of the rounds the user sees (the school, its supervisors, site admins)."""
    return Meeting.objects.filter(round__in=rounds_visible_to(user)).select_related("round")


def meetings_of(rnd):
    return Meeting.objects.filter(round=rnd).select_related("convened_by").order_by("held_on", "id")


def with_counts(rounds_qs):
    """Each round with its application figures (one query with the list)."""
    return rounds_qs.annotate(
        n_applied=Count("applications", filter=Q(applications__submission_count__gt=0), distinct=True),
        n_pending=Count("applications", filter=Q(applications__state=ApplicationState.SUBMITTED), distinct=True),
        n_candidates=Count("applications", filter=Q(applications__state__in=[
            ApplicationState.ELIGIBLE, ApplicationState.PASSED, ApplicationState.FAILED,
            ApplicationState.DISQUALIFIED]), distinct=True),
        n_passed=Count("applications", filter=Q(applications__state=ApplicationState.PASSED), distinct=True),
    )


def applications_visible_to(user):
    """Applications the user may read: their own (a graduate), their school's, those they supervise."""
    qs = TitleApplication.objects.select_related("round__institution__city", "graduate")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user) or access.has_role(user, *access.PROVINCIAL_ROLES):
        return qs
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    own = access.institution_ids(user)
    return qs.filter(Q(graduate__user=user) | Q(round__institution_id__in=own)
                     | Q(round__institution__city_id__in=cities))


def applications_of(rnd, *, state="", q=""):
    """A round's applications for its list page (the caller has checked ``rounds.view_personal``)."""
    qs = (TitleApplication.objects.filter(round=rnd).select_related("graduate")
          .order_by("graduate__student_number", "id"))
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(graduate__student_number__startswith=q) | Q(graduate__name__contains=q))
    return qs


def state_counts(rnd):
    rows = TitleApplication.objects.filter(round=rnd).values("state").annotate(n=Count("id")).order_by()
    return {r["state"]: r["n"] for r in rows}


def own_graduates(user):
    """The graduate records linked to a student account (one, in practice)."""
    if not user.is_authenticated:
        return Graduate.objects.none()
    return Graduate.objects.filter(user=user).select_related("institution")


def my_applications(user):
    if not user.is_authenticated:
        return TitleApplication.objects.none()
    return (TitleApplication.objects.filter(graduate__user=user)
            .select_related("round__institution", "graduate").order_by("-round__graduation_year", "-id"))


def open_rounds_for(graduates):
    """Open rounds a student could apply in: their school, their graduation year."""
    cond = Q(pk__in=[])
    for g in graduates:
        cond |= Q(institution_id=g.institution_id, graduation_year=g.graduation_year)
    return EvaluationRound.objects.filter(cond, state=RoundState.OPEN).select_related("institution")


def round_of_graduate(graduate):
    """The school's round of the graduate's year, if one was opened."""
    return (EvaluationRound.objects.filter(institution_id=graduate.institution_id,
                                           graduation_year=graduate.graduation_year)
            .select_related("standard_version", "institution").first())


def latest_application(rnd, graduate):
    """The graduate's most recent application in the round, withdrawn or not (for their own export)."""
    return TitleApplication.objects.filter(round=rnd, graduate=graduate).order_by("-id").first()


def active_application(rnd, graduate):
    return TitleApplication.objects.filter(ACTIVE_APPLICATION, round=rnd, graduate=graduate).first()


def enrollable_graduates(rnd):
    """Graduates of the round's cohort and majors without an active application in it."""
    taken = TitleApplication.objects.filter(ACTIVE_APPLICATION, round=rnd).values("graduate_id")
    return (Graduate.objects.filter(institution_id=rnd.institution_id, graduation_year=rnd.graduation_year,
                                    major__in=rnd.majors, pilot_major=True)
            .exclude(workplace_choice__for_title=True)
            .exclude(pk__in=taken).order_by("student_number"))


def notice_of(rnd, stage):
    return PublicNotice.objects.filter(round=rnd, stage=stage).first()


def public_notices(today, *, recent_days=30):
    """Notices running now or ended within ``recent_days`` (the public index), every school."""
    since = today - datetime.timedelta(days=recent_days)
    return (PublicNotice.objects.filter(starts_on__lte=today, ends_on__gte=since)
            .select_related("round__institution").annotate(n_entries=Count("entries"))
            .order_by("-starts_on", "-id"))


def objections_of(rnd):
    return (Objection.objects.filter(notice__round=rnd)
            .select_related("notice__round", "notice__rereview", "entry", "answered_by")
            .order_by("notice__starts_on", "lodged_at", "id"))


def open_objections(rnd, stage=None):
    qs = Objection.objects.filter(notice__round=rnd, state=ObjectionState.OPEN)
    if stage:
        qs = qs.filter(notice__stage=stage)
    return qs


def current_decisions(rnd):
    """The round's decisions in force: corrections replace what they supersede."""
    return (Decision.objects.filter(round=rnd, superseded_by__isnull=True)
            .select_related("graduate", "application", "supersedes").order_by("graduate__student_number", "id"))


# --- for certificate issuance (not scoped by user: the caller decides who may ask) ---------------------------------

def final_passed_decisions(rnd):
    """Every passed graduate of a finalised round, as the decisions in force say.

    A queryset of ``Decision``: ``graduate`` (the ``evaluation.Graduate``), ``level`` (technician /
    assistant_engineer / engineer; ``get_level_display()`` 技术员 / 助理工程师 / 工程师), ``major``,
    ``committee`` (``track_a.EvaluationCommittee``, its ``name``), ``decided_on`` (date), ``approval_number``
    (批准文号), ``round.institution`` (the issuer) and ``source_key`` (``title-decision:<pk>``, the
    idempotency key for ``certificates.services.issue_certificate``). A correction is a new decision with a new
    key; the one it replaces is no longer here (see ``superseded_decisions``).
    """
    return (Decision.objects.filter(round=rnd, round__state=RoundState.FINALISED, passed=True,
                                    superseded_by__isnull=True)
            .select_related("graduate", "committee", "round__institution", "supersedes")
            .order_by("graduate__student_number", "id"))


def final_passed_decision_for(graduate):
    """The graduate's passed decision in force (the latest round's), or None."""
    return (Decision.objects.filter(graduate=graduate, round__state=RoundState.FINALISED, passed=True,
                                    superseded_by__isnull=True)
            .select_related("graduate", "committee", "round__institution")
            .order_by("-round__graduation_year", "-id").first())


def superseded_decisions(rnd):
    """Decisions a correction has replaced (a certificate issued from one of these must be revoked/reissued)."""
    return (Decision.objects.filter(round=rnd, superseded_by__isnull=False)
            .select_related("graduate", "superseded_by").order_by("id"))


def pending_rereviews(committee):
    """复查 requests waiting for ``committee``'s next meeting (oldest first): each puts that candidate before the
    committee again for a new vote; the meeting closes it with ``services.conclude_rereview``."""
    return (RereviewRequest.objects.filter(committee=committee, state=RereviewState.PENDING)
            .select_related("decision__graduate", "decision__application", "decision__round")
            .order_by("requested_at", "id"))


def rereviews_of(rnd):
    """The round's 复查 requests, newest first, with what the committee's new vote counted (once closed)."""
    return (RereviewRequest.objects.filter(decision__round=rnd)
            .select_related("decision__graduate", "tally", "outcome", "meeting", "notice")
            .order_by("-requested_at", "-id"))


def decisions_under_rereview(rnd):
    """Ids of the round's decisions with a 复查 not yet concluded: their certificates wait for the committee."""
    return set(RereviewRequest.objects.filter(decision__round=rnd).exclude(state=RereviewState.CONCLUDED)
               .values_list("decision_id", flat=True))


def decision_for_source(source_key):
    """The decision a title certificate was issued from (its ``source_key``, ``title-decision:<pk>``), or None."""
    prefix, _sep, pk = source_key.partition(":")
    if prefix != "title-decision" or not pk.isdigit():
        return None
    return Decision.objects.select_related("round").filter(pk=int(pk)).first()


def decision_problem(decision):
    """Why ``decision`` gives no certificate now — nor a corrected one (a Chinese sentence) —, or "" when it does:
    ``issuable_decisions`` for one decision, saying which condition fails."""
    if decision is None:
        return "找不到该证书所依据的评审结果决定。"
    decisions, why_not = issuable_decisions(decision.round)
    if why_not or any(d.pk == decision.pk for d in decisions):
        return why_not
    if Decision.objects.filter(supersedes=decision).exists():
        return "该评审结果决定已被评委会复查后的新决定替代。"
    if decision.pk in decisions_under_rereview(decision.round):
        return "该评审结果正在复查，复查结束前不发证、不换发证书。"
    if ResultRefusal.objects.filter(decision=decision).exists():
        return "人社部门对该评审结果不予备案，不发证。"
    return "该评审结果决定不是可以发证的通过决定（须为评审结果确定后、已备案的现行通过决定）。"


def issuable_decisions(rnd):
    """The passed decisions in force whose certificate may issue: recorded by the office that filed the committee
    (评审结果备案; decided no later than that record), not refused by it, and not waiting for a 复查.

    Returns (decisions, why_not) — ``why_not`` a Chinese sentence when nothing can issue because the results are
    not on record yet."""
    filing = ResultsFiling.objects.filter(round=rnd).first()
    if filing is None:
        return [], "评审结果尚未报送人社部门备案，备案后才能发证。"
    if filing.state != FilingState.RECORDED:
        return [], "评审结果已报送，人社部门备案后才能发证。"
    held = decisions_under_rereview(rnd)
    refused = set(filing.refusals.values_list("decision_id", flat=True))
    return [d for d in final_passed_decisions(rnd)
            if d.pk not in held and d.pk not in refused and d.created_at <= filing.recorded_at], ""
