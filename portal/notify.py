"""One messenger for "whoever must act next": the in-app inbox, and e-mail when configured.

Works without an HTTP request, so transitions made by Celery tasks and management
commands notify exactly like those made in a view.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from portal.models import Notification


def notify(recipients, *, title, body="", link=""):
    """Puts a notification in each recipient's inbox; e-mails them after commit if e-mail is on."""
    recipients = [u for u in {u.pk: u for u in recipients if u is not None and u.is_active}.values()]
    if not recipients:
        return []
    items = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title, body=body, link=link) for u in recipients]
    )
    if settings.PORTAL_EMAIL_ENABLED:
        messages = [(title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
                    for u in recipients if u.email]
        if messages:
            transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return items
