"""Celery tasks of Track B: they take ids and are idempotent (re-rendering the same content stores nothing new)."""

from celery import shared_task

from .documents import render_and_store


@shared_task
def render_document(application_id, kind):
    """Renders and stores one PDF (附件3, 附件4, 附件5 or 备案回执); returns its SHA-256."""
    document = render_and_store(application_id, kind)
    return document.sha256 if document is not None else None
