"""Writing the audit log. Call ``record`` inside the transaction of the change it describes."""

import contextvars

from portal.models import AuditLog

# Set per request by RequestContextMiddleware, so that services log the client IP
# without having to be handed the request; empty in Celery tasks and commands.
current_ip = contextvars.ContextVar("current_ip", default=None)


def client_ip(request):
    # REMOTE_ADDR is what the TLS proxy connects from; a deployment behind nginx sets
    # it from X-Real-IP there (see README), never from a header a client can forge here.
    return request.META.get("REMOTE_ADDR") or None


def record(*, actor, action, obj=None, role="", changes=None, outcome="ok", actor_name=None, ip=None):
    """Appends one audit row: who (and in which role), did what, to what, with what result."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor_name if actor_name is not None else (actor.get_username() if authenticated else ""),
        role=str(role or ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        ip=ip if ip is not None else current_ip.get(),
        outcome=outcome,
    )
