"""HTTP of the committee meeting: the secretary's page (convene, follow attendance and progress, end the stage)
and the members' pages (their meetings, the candidates and their materials, check-in, 回避, the secret ballot;
the chair's closing and signing). A meeting the user is not called to is a 404.

The ballot token lives only in a signed cookie on the voter's browser (``docs/ballot_secrecy.md``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation.verdicts import VerdictView
from portal import access, audit
from portal.models import Role

from .. import clock, forms, selectors, services, tasks
from ..models import ApplicationEvidence, MeetingState, Objection, RoundState, Tally
from ..services import ballots, meetings
from .common import _act, _errors, _round, _serve

SALT = "rounds.ballot"
PER_PAGE = 20  # candidates (each with its ballot form) or tallies shown at once: never hundreds of forms
TOKEN_DAYS = 30


# --- the secretary's page ---------------------------------------------------------------------------------------------

def _meeting_rows(meeting, *, with_names, page=None):
    """The meeting's facts and one page (``PER_PAGE``) of its list: the candidates and their progress while it is
    open, the tallies once closed. ``page``: the page number asked for (the first by default)."""
    seats = list(meeting.members.all())
    present = sum(1 for s in seats if s.present)
    progress = recused = {}
    candidates = []
    if meeting.is_open:
        listed = Paginator(meetings.agenda(meeting), PER_PAGE).get_page(page)
        progress, recused = ballots.progress(meeting), ballots.recusal_counts(meeting)
        candidates = [{"application": a, "voted": progress.get(a.pk, 0), "recused": recused.get(a.pk, 0),
                       "voters": present - recused.get(a.pk, 0)} for a in listed]
        tallies = []
    else:
        listed = Paginator(Tally.objects.filter(meeting=meeting).select_related("application__graduate")
                           .order_by("application__major", "application__level",
                                     "application__graduate__student_number", "id"), PER_PAGE).get_page(page)
        tallies = list(listed)
    return {"meeting": meeting, "seats": seats if with_names else [], "present": present,
            "quorum": present >= meeting.min_present, "tallies": tallies, "candidates": candidates,
            "page": listed, "param": _param(meeting), "draw_ok": services.verify_draw(meeting)}


def _param(meeting):
    """The page parameter of a meeting's list on the secretary's page (one per meeting listed there)."""
    return f"m{meeting.pk}"


def _convene_form(request, rnd, *, manage, has_open, waiting, rereviews, pool, items, today):
    """The secretary's form: a meeting of the round's candidates (待评委会评审), or a 复查 meeting of a finalised
    round with re-review requests waiting. None when neither can be convened now."""
    evaluation = rnd.state == RoundState.AWAITING_SESSION and waiting
    rereview = rnd.state == RoundState.FINALISED and rereviews
    if not (manage and not has_open and (evaluation or rereview)):
        return None, None
    form = forms.ConveneForm(request.POST or None, pool_size=len(pool),
                             initial={"held_on": today, "place": items[-1].place if items else ""})
    service = services.convene_meeting if evaluation else services.convene_rereview_meeting
    return form, service


@login_required
def session(request, pk):
    rnd = _round(request, pk)
    user = request.user
    manage = access.can(user, "rounds.manage_round", rnd)
    today = clock.today()
    items = list(selectors.meetings_of(rnd))
    has_open = any(m.is_open for m in items)
    waiting = meetings.candidates_of(rnd).count()
    rereviews = meetings.rereviews_waiting(rnd).count() if rnd.state == RoundState.FINALISED else 0
    pool = meetings.pool_for(rnd.committee, today)
    form, service = _convene_form(request, rnd, manage=manage, has_open=has_open, waiting=waiting,
                                  rereviews=rereviews, pool=pool, items=items, today=today)
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = service(round=rnd, actor=user, held_on=data["held_on"], place=data["place"],
                              size=data["size"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已召集%(what)s：本次会议评委会%(n)d人，已通知委员本人签到和投票。")
                             % {"what": meeting.get_purpose_display(), "n": meeting.size})
            return redirect("rounds:session", pk=rnd.pk)
    elif form is None and request.method == "POST":
        access.require(user, "rounds.manage_round", rnd)
        messages.error(request, _("当前不能召集评审会议。"))
        return redirect("rounds:session", pk=rnd.pk)
    return render(request, "rounds/session.html", {
        "round": rnd, "manage": manage, "form": form, "pool": pool, "waiting": waiting, "today": today,
        # Supervising offices see the progress and the tallies, not whose (issue 14 #10: counts, not names).
        "anonymous": not access.can(user, "rounds.view_personal", rnd),
        "rereviews_waiting": rereviews, "rereviews": Paginator(selectors.rereviews_of(rnd), PER_PAGE).get_page(request.GET.get("r")) if manage else [],
        "rows": [_meeting_rows(m, with_names=manage, page=request.GET.get(_param(m))) for m in items],
        "filing_problems": meetings.filing_problems(rnd.committee, today),
        "can_end": manage and rnd.state == RoundState.AWAITING_SESSION and not has_open and waiting
        and Tally.objects.filter(meeting__round=rnd, meeting__purpose="evaluation").exclude(outcome="deferred")
        .exists(),
    })


@login_required
@require_POST
def close_session(request, pk):
    """The secretary ends the committee stage after a deferral (暂缓者本年度不作决定)."""
    rnd = _round(request, pk)
    access.require(request.user, "rounds.manage_round", rnd)
    _act(request, _("评委会评审已结束，可公示评审结果。"), services.end_committee_review, round=rnd)
    return redirect("rounds:detail", pk=rnd.pk)


@login_required
def minutes(request, pk):
    """The minutes PDF: the members called to the meeting, and whoever sees the round."""
    found = selectors.meeting_for_member(request.user, pk)
    if found is not None:
        meeting = found[0]
    else:
        meeting = get_object_or_404(selectors.meetings_of_visible(request.user), pk=pk)
    if meeting.state == MeetingState.CONVENED:
        raise Http404
    if not meeting.minutes_sha256:
        tasks.render_minutes(meeting.pk)
        meeting.refresh_from_db()
    return _serve(meeting.minutes, f"评审会议纪要-{meeting.round.name}-{meeting.held_on:%Y%m%d}.pdf")


# --- the members' pages -----------------------------------------------------------------------------------------------

def _seat(request, pk):
    found = selectors.meeting_for_member(request.user, pk)
    if found is None:
        raise Http404
    return found


def _cookie(meeting):
    return f"rounds_ballot_{meeting.pk}"


def _token(request, meeting):
    return request.get_signed_cookie(_cookie(meeting), default=None, salt=SALT)


def _keep_token(response, request, meeting, token):
    response.set_signed_cookie(_cookie(meeting), token, salt=SALT, max_age=TOKEN_DAYS * 86400, httponly=True,
                               samesite="Strict", secure=request.is_secure(),
                               path=reverse("rounds:meeting", args=[meeting.pk]))
    return response


def _to_meeting(meeting, anchor="", request=None):
    """Back to the member's meeting page — the page of the list the form was on (``?page=``), at the candidate."""
    page = request.GET.get("page", "") if request is not None else ""
    query = f"?page={int(page)}" if page.isdigit() else ""
    return redirect(reverse("rounds:meeting", args=[meeting.pk]) + query + (f"#a{anchor}" if anchor else ""))


@login_required
def my_meetings(request):
    seats = list(selectors.seats_of(request.user)[:50])
    return render(request, "rounds/meetings.html", {"seats": seats})


@login_required
def meeting(request, pk):
    meeting, seat = _seat(request, pk)
    token = _token(request, meeting)
    info = _meeting_rows(meeting, with_names=False, page=request.GET.get("page"))
    conflicts = {c.application_id: c for c in meeting.conflicts.filter(member=seat)}
    rows = []
    if meeting.is_open:
        apps = [r["application"] for r in info["candidates"]]
        mine = ballots.my_choices(meeting, token, apps)
        rereviews = {r.decision.application_id: r for r in meeting.rereviews.select_related("decision")}
        for r in info["candidates"]:
            a = r["application"]
            rows.append({**r, "conflict": conflicts.get(a.pk), "choice": mine.get(a.pk), "rereview": rereviews.get(a.pk),
                         "vote_form": forms.VoteForm(initial={"choice": mine.get(a.pk)}, prefix=f"a{a.pk}"),
                         "conflict_form": forms.ConflictForm(prefix=f"c{a.pk}")})
    can_vote = meeting.is_open and seat.present and info["quorum"]
    response = render(request, "rounds/meeting.html", {
        "meeting": meeting, "seat": seat, "round": meeting.round, "info": info, "rows": rows,
        "today": clock.today(), "can_vote": can_vote, "page": info["page"],
    })
    if can_vote and token is None:
        # The browser's ballot token is set with the page, before any vote: two votes sent at once (two forms, a
        # double click) then carry the same token, instead of each making its own of which the browser keeps one
        # — the other ballot could no longer be changed or withdrawn for a 回避.
        _keep_token(response, request, meeting, ballots.new_token())
    return response


@login_required
def meeting_candidate(request, pk, application_pk):
    """A candidate's application, the engine's verdict with its criteria, the evidence, the 公示 objections and
    answers — while the meeting runs."""
    meeting, seat = _seat(request, pk)
    if not meeting.is_open:
        raise Http404
    app = get_object_or_404(meetings.agenda(meeting), pk=application_pk)
    objections = list(Objection.objects.filter(entry__application=app).select_related("notice")
                      .order_by("lodged_at"))
    audit.record(actor=request.user, action="rounds.member_view_candidate", obj=app, role=Role.EXPERT,
                 changes={"meeting": meeting.pk})
    return render(request, "rounds/meeting_candidate.html", {
        "meeting": meeting, "seat": seat, "round": meeting.round, "app": app, "graduate": app.graduate,
        "verdict": VerdictView(app.verdict) if app.verdict else None, "evidence": list(app.evidence.all()),
        "objections": objections})


@login_required
def meeting_evidence(request, pk, application_pk, evidence_pk):
    meeting, seat = _seat(request, pk)
    if not meeting.is_open:
        raise Http404
    app = get_object_or_404(meetings.agenda(meeting), pk=application_pk)
    item = get_object_or_404(ApplicationEvidence, application=app, pk=evidence_pk)
    audit.record(actor=request.user, action="rounds.view_evidence", obj=app, role=Role.EXPERT,
                 changes={"evidence": item.pk, "kind": item.kind, "meeting": meeting.pk})
    return _serve(item.file, item.original_name)


@login_required
@require_POST
def check_in(request, pk):
    meeting, seat = _seat(request, pk)
    try:
        services.check_in(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已签到。"))
    return _to_meeting(meeting)


def _candidate_for(meeting, application_pk):
    return get_object_or_404(meetings.agenda(meeting).select_related("round"), pk=application_pk)


@login_required
@require_POST
def conflict(request, pk, application_pk):
    meeting, seat = _seat(request, pk)
    app = _candidate_for(meeting, application_pk)
    form = forms.ConflictForm(request.POST, prefix=f"c{app.pk}")
    if not form.is_valid():
        messages.error(request, _("请选择回避情形。"))
        return _to_meeting(meeting, app.pk, request)
    try:
        services.declare_conflict(meeting=meeting, application=app, actor=request.user,
                                  kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"],
                                  token=_token(request, meeting))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已申请回避：您不参加对%(name)s的表决。") % {"name": app.graduate.name})
    return _to_meeting(meeting, app.pk, request)


@login_required
@require_POST
def withdraw_conflict(request, pk, application_pk):
    """The member withdraws their own 回避 declaration (before voting on that candidate, while the vote is open)."""
    meeting, seat = _seat(request, pk)
    app = _candidate_for(meeting, application_pk)
    try:
        services.withdraw_conflict(meeting=meeting, application=app, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已撤回回避申请：您可以参加对%(name)s的表决。") % {"name": app.graduate.name})
    return _to_meeting(meeting, app.pk, request)


@login_required
@require_POST
def vote(request, pk, application_pk):
    meeting, seat = _seat(request, pk)
    app = _candidate_for(meeting, application_pk)
    form = forms.VoteForm(request.POST, prefix=f"a{app.pk}")
    if not form.is_valid():
        messages.error(request, _("请选择同意、不同意或弃权。"))
        return _to_meeting(meeting, app.pk, request)
    try:
        token = services.cast_vote(meeting=meeting, application=app, actor=request.user,
                                   choice=form.cleaned_data["choice"], token=_token(request, meeting))
    except ValidationError as exc:
        _errors(request, exc)
        return _to_meeting(meeting, app.pk, request)
    messages.success(request, _("已投票（%(name)s）。表决结束前可以修改。") % {"name": app.graduate.name})
    return _keep_token(_to_meeting(meeting, app.pk, request), request, meeting, token)


@login_required
@require_POST
def close_vote(request, pk):
    meeting, seat = _seat(request, pk)
    if not seat.is_chair:
        raise PermissionDenied("rounds.chair_meeting")
    _act(request, _("表决已结束，结果已按票数确定，会议纪要已生成，请签署。"), services.close_vote, meeting=meeting)
    return _to_meeting(meeting)


@login_required
@require_POST
def sign(request, pk):
    meeting, seat = _seat(request, pk)
    if not seat.is_chair:
        raise PermissionDenied("rounds.chair_meeting")
    _act(request, _("已签署会议纪要。"), services.sign_minutes, meeting=meeting)
    return _to_meeting(meeting)
