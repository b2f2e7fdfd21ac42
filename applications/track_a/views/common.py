"""Helpers shared by the Track A views: scoped lookups (404 when the user may not see), an action form's POST, the
log, files."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django_fsm import has_transition_perm

from applications import workflow
from applications.track_a import selectors
from applications.track_a.models import TRANSITION_LABELS
from applications.workflow import WorkflowError
from portal import access
from portal.models import Role


def _application(request, pk):
    app = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not access.can(request.user, "track_a.view_application", app):
        raise Http404
    return app


def _committee(request, pk):
    committee = get_object_or_404(selectors.committees_visible_to(request.user), pk=pk)
    if not access.can(request.user, "track_a.view_committee", committee):
        raise Http404
    return committee


def _error_list(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def _form_action(request, form, call, *, success, back):
    """The POST of a valid action form: ``call()`` runs the service. Values the service refuses (a
    ``ValidationError``) are shown on the form, each message on its own: returns None and the caller renders the
    page again. A workflow refusal (the state moved on: someone acted first) is a message and ``back``; success is
    the message ``success`` (or ``success(result)``) and ``back``."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, success(result) if callable(success) else success)
    return back


def _detail(app):
    return redirect("track_a:detail", pk=app.pk)


def _history(obj):
    """The transition log with labels instead of codes."""
    states = dict(type(obj)._meta.get_field("state").flatchoices)
    roles = dict(Role.choices)
    return [{"at": e.at, "who": e.actor.display_name if e.actor else e.actor_name, "role": roles.get(e.role, e.role),
             "source": states.get(e.source, e.source), "target": states.get(e.target, e.target),
             "transition": TRANSITION_LABELS.get(e.transition, e.transition), "comment": e.comment}
            for e in workflow.history(obj)]


def _can(user, app, name):
    return has_transition_perm(getattr(app, name), user)


def _serve(field, filename):
    """The stored file, inline. Read whole (documents are ≤ 20 MB) so that every response has a body."""
    if not field:
        raise Http404
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pending(request, app, what):
    return render(request, "track_a/pending.html", {"app": app, "what": what})


