"""What the round's pages share: finding a round or application the user may see (404 otherwise), messages,
serving a private file, the transition history as people read it, the 31 December countdown."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from applications import workflow
from portal import access
from portal.models import Role

from .. import deadlines, selectors
from ..labels import TRANSITION_LABELS
from ..workdays import CalendarMissing

PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------------------------------

def _round(request, pk):
    rnd = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    if not access.can(request.user, "rounds.view_round", rnd):
        raise Http404
    return rnd


def _application(request, pk):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not access.can(request.user, "rounds.view_application", application):
        raise Http404
    return application


def _errors(request, exc):
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc)]):
        messages.error(request, message)


def _act(request, success, service, /, **kwargs):
    """Runs ``service(actor=the user, expected_state=as posted, **kwargs)``: a refusal becomes the page's error
    messages, else ``success`` is shown."""
    try:
        service(actor=request.user, expected_state=request.POST.get("expected_state") or None, **kwargs)
    except (ValidationError, workflow.WorkflowError) as exc:
        _errors(request, exc)
        return False
    messages.success(request, success)
    return True


def _to_round(rnd):
    return redirect("rounds:detail", pk=rnd.pk)


def _to_application(application):
    return redirect("rounds:application", pk=application.pk)


def history(obj):
    """The transition log with labels instead of codes; a committee member's act shows as the committee's."""
    states = dict(type(obj)._meta.get_field("state").flatchoices)
    roles = dict(Role.choices)
    return [{"at": e.at, "who": _("评委会") if e.role == Role.EXPERT  # 专家名单一般不对外公布: no member's name
             else (e.actor.display_name if e.actor else e.actor_name), "role": roles.get(e.role, e.role),
             "source": states.get(e.source, e.source), "target": states.get(e.target, e.target),
             "transition": TRANSITION_LABELS.get(e.transition, e.transition), "comment": e.comment}
            for e in workflow.history(obj)]


def _serve(field, filename):
    if not field:
        raise Http404
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=mimetypes.guess_type(field.name)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _staff_institution(user):
    for assignment in access.roles_of(user):
        if assignment.role == Role.UNIVERSITY_STAFF and assignment.institution_id:
            return assignment.institution
    return None


def deadline_info(rnd, today):
    """Days left to 31 December, working days left, and the earliest finish — or the calendar's error."""
    info = {"days_left": deadlines.days_left(rnd, today), "year_end": rnd.year_end}
    try:
        info["working_days_left"] = deadlines.working_days_left(rnd, today)
        info["finish"] = deadlines.earliest_finish(rnd, today)
        info["late"] = info["finish"] is None
    except CalendarMissing as exc:
        info["calendar_error"] = exc.messages[0]
        info["late"] = False
    return info
