"""Running a workflow transition the same way whoever triggers it — a person, a task or a command.

``run_transition`` locks the row, checks that the transition is possible from the current state
and that the actor may make it, calls the ``@transition`` method, saves (the model's
``ConcurrentTransitionMixin`` refuses a save whose state changed underneath), writes the
``TransitionLog`` and the audit row in the same transaction, and notifies whoever acts next
after commit. Two officials acting at once: the second finds the state moved on and gets
``WorkflowError`` with a message in Chinese; nothing of theirs is written.

Models using it declare ``state = StateField(protected=True, ...)`` (``portal.fields``, an ``FSMField``) and
``ConcurrentTransitionMixin``, and write each transition out as a method — no generated transitions.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed, has_transition_perm

from applications.models import TransitionLog
from portal import audit
from portal.models import Role
from portal.notify import notify


class WorkflowError(Exception):
    """A transition that cannot happen now, with a message for the person who tried."""


def _state_label(obj, field_name, value):
    field = obj._meta.get_field(field_name)
    return str(dict(field.flatchoices).get(value, value))


def run_transition(obj, name, *, actor, role, comment="", data=None, expected_state=None, state_field="state",
                   notify_users=(), notice_title="", notice_link="", **kwargs):
    """Runs transition ``name`` on ``obj``; returns the refreshed object.

    ``expected_state`` is the state the actor saw when they decided (a hidden form field): if it
    changed meanwhile, the action is refused rather than applied to something they did not see.
    ``kwargs`` go to the transition method; ``data`` is stored in the log (e.g. reasons, scope).
    """
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, state_field)
        if expected_state is not None and current != expected_state:
            raise WorkflowError(_("该事项已由他人处理，当前状态为“%(state)s”，请刷新页面后再操作。")
                                % {"state": _state_label(locked, state_field, current)})
        method = getattr(locked, name)
        if not can_proceed(method):
            raise WorkflowError(_("当前状态“%(state)s”下不能执行该操作。")
                                % {"state": _state_label(locked, state_field, current)})
        if actor is not None and not has_transition_perm(method, actor):
            raise PermissionDenied(name)
        try:
            method(**kwargs)
            locked.save()
        except (TransitionNotAllowed, ConcurrentTransition) as exc:
            raise WorkflowError(_("该事项已由他人处理，请刷新页面后再操作。")) from exc
        target = getattr(locked, state_field)
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(model), object_id=str(locked.pk), transition=name,
            source=current, target=target, actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=actor.get_username() if actor is not None else "system", role=str(role or ""),
            comment=comment, data=data or {},
        )
        audit.record(actor=actor, action=f"{model._meta.label_lower}.{name}", obj=locked, role=role,
                     changes={"state": [current, target], **({"comment": comment} if comment else {})})
        recipients = list(notify_users(locked) if callable(notify_users) else notify_users)
        if recipients:
            notify(recipients, title=notice_title or _("有事项需要您处理：%(obj)s") % {"obj": locked},
                   body=comment, link=notice_link(locked) if callable(notice_link) else notice_link)
    return locked


def history(obj):
    """The object's transition log, oldest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")


def readable_history(obj, transition_labels, *, state_field="state"):
    """The transition log as people read it: names, role and state labels, Chinese transition names
    ("王经办 撤销：有效 → 已撤销"), oldest first."""
    states = dict(type(obj)._meta.get_field(state_field).flatchoices)
    roles = dict(Role.choices)
    return [{"at": e.at, "who": e.actor.display_name if e.actor else e.actor_name, "role": roles.get(e.role, e.role),
             "source": states.get(e.source, e.source), "target": states.get(e.target, e.target),
             "transition": transition_labels.get(e.transition, e.transition), "comment": e.comment}
            for e in history(obj)]
