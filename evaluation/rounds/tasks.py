"""Celery tasks of the round: they take ids and are idempotent."""

from celery import shared_task

from evaluation.rounds.models import CommitteeSession
from portal.pdf import render_pdf, store_pdf


@shared_task
def render_minutes(session_id):
    """The session's minutes (评审会议纪要) as a PDF, once the session is closed; rendered once."""
    from evaluation.rounds.minutes import minutes_context

    session = CommitteeSession.objects.select_related("round__institution", "round__committee").get(pk=session_id)
    if session.minutes and session.minutes_sha256:
        return session.pk
    data = render_pdf("pdf/rounds/minutes.html", minutes_context(session))
    store_pdf(session, "minutes", f"minutes-{session.round.graduation_year}-{session.round_id}.pdf", data,
              sha_field="minutes_sha256")
    return session.pk
