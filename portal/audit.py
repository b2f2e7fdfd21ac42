"""Writing the audit log. Call ``record`` inside the transaction of the change it describes."""

import contextvars
import ipaddress
from functools import lru_cache

from django.conf import settings

from portal.models import AuditLog

# Set per request by RequestContextMiddleware, so that services log the client IP
# without having to be handed the request; empty in Celery tasks and commands.
current_ip = contextvars.ContextVar("current_ip", default=None)


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, unless that is one of ``settings.TRUSTED_PROXIES``.

    Behind a trusted proxy, ``X-Forwarded-For`` is read from the right: each trusted hop is skipped and the
    first address no trusted proxy vouches for is the client. A header sent by a client that connects
    directly (not from a trusted proxy) is ignored, so nobody can choose their own address (issue 14, #11).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: fall back to the proxy itself rather than trust garbage
    return hops[0] if hops else remote


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
