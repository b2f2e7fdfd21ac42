"""What every Track B use case shares: errors, links, locking, the expected-state check, documents to render, the
office's role, clearing signatures.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import WorkflowError
from portal import access, queue
from portal.notify import notify

from .. import selectors
from ..access import acting_role
from ..models import (
    FilingApplication,
    FilingState,
    ReportSignature,
)

RENDER_TASK = "applications.track_b.tasks.render_document"
PANEL_MIN_SIZE = 3
DEFAULT_OPINION = gettext_lazy("本表填报信息真实、准确、完整。本单位申请备案为职业技能等级认定机构，开展职业技能等级认定工作。")


class TrackBError(Exception):
    """A request that cannot be carried out as asked; ``messages`` say why, in Chinese."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, list | tuple) else [messages])]
        super().__init__("；".join(self.messages))


class IncompleteApplication(TrackBError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__([str(p) for p in problems])


def link(application):
    return reverse("track_b:detail", args=[application.pk])


def _state_label(value):
    return str(FilingState(value).label)


def _check_expected(locked, expected_state):
    if expected_state and locked.state != expected_state:
        raise WorkflowError(_("该事项已由他人处理，当前状态为“%(state)s”，请刷新页面后再操作。")
                            % {"state": _state_label(locked.state)})


def _lock(application):
    return FilingApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)


def schedule_documents(application_id, *kinds):
    """Renders the PDFs after the transaction commits (a Celery task; in-process without a broker)."""
    for kind in kinds:
        transaction.on_commit(lambda kind=kind: queue.send(RENDER_TASK, application_id, kind))


def _office_role(user, application):
    return application.authority_role if access.can(user, "track_b.review", application) else ""


def _staff(application):
    return selectors.institution_staff(application.institution_id)


def _clear_signatures(report, *, reason, keep_user=None):
    signatures = list(report.signatures.select_related("member__expert"))
    if not signatures:
        return 0
    ReportSignature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    recipients = [s.member.expert for s in signatures if s.member.expert_id != getattr(keep_user, "pk", None)]
    notify(recipients, title=_("评估论证报告的签字已清除，请重新审阅并签字：%(unit)s") % {"unit": report.application.unit_name},
           body=str(reason), link=reverse("track_b:report", args=[report.application_id]))
    return len(signatures)


def access_role(user, application):
    return acting_role(user, application)


