"""Celery tasks of the round: they take ids and are idempotent."""

from celery import shared_task

from evaluation.rounds.minutes import minutes_context
from evaluation.rounds.models import Meeting
from portal.pdf import render_pdf, store_pdf
from portal.signing import IssuingBody, Seal


@shared_task
def render_minutes(meeting_id):
    """The meeting's minutes (评审会议纪要) as a PDF, once the vote is closed; rendered again when the chair signs
    (signing clears the stored file)."""
    meeting = Meeting.objects.select_related("round__institution", "round__committee", "round__standard_version",
                                             "convened_by").get(pk=meeting_id)
    if meeting.minutes and meeting.minutes_sha256:
        return meeting.pk
    school = meeting.round.institution
    data = render_pdf("pdf/rounds/minutes.html", minutes_context(meeting),
                      seals=[Seal(IssuingBody.of_institution(school), "seal-school", "学校盖章：评审会议纪要")])
    suffix = "signed" if meeting.signed_at else "draft"
    store_pdf(meeting, "minutes", f"minutes-{meeting.round.graduation_year}-{meeting.pk}-{suffix}.pdf", data,
              sha_field="minutes_sha256")
    return meeting.pk
