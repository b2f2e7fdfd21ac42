"""Helpers shared by the views of Track B."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django_fsm import can_proceed

from applications.workflow import WorkflowError
from portal import access, audit

from .. import selectors
from ..models import FilingApplication
from ..services import TrackBError


def get_application(request, pk):
    """The case if the user may see it, else 404 (never someone else's data)."""
    try:
        application = selectors.application_detail(request.user, pk)
    except FilingApplication.DoesNotExist:
        raise Http404 from None
    if not access.can(request.user, "track_b.view", application):
        raise Http404
    return application


def expected_state(request):
    return request.POST.get("expected_state") or None


def run_action(request, func, *args, success, **kwargs):
    """Calls a service; a refusal becomes a message on the page the user came from."""
    try:
        result = func(*args, **kwargs)
    except (WorkflowError, TrackBError) as exc:
        for msg in getattr(exc, "messages", [str(exc)]):
            messages.error(request, msg)
        return None, False
    messages.success(request, success)
    return result, True


def back_to_detail(application):
    return redirect("track_b:detail", pk=application.pk)


def can(obj, transition):
    return can_proceed(getattr(obj, transition))


def serve_file(request, field_file, *, filename, obj, action, role=""):
    """Streams an uploaded or generated file through the portal (never from MEDIA_URL); logs the download."""
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404
    audit.record(actor=request.user, action=action, obj=obj, role=role, changes={"file": filename})
    suffix = PurePath(field_file.name).suffix
    name = filename if filename.endswith(suffix) else f"{filename}{suffix}"
    # Files are at most 10 MB (uploads) or a few hundred KB (PDFs): read whole, not streamed.
    with field_file.open("rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
