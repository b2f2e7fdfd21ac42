"""What the round's services share: who is told, the engine's verdict for a graduate under the round's
standard, and running a transition with its notice."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from applications.workflow import run_transition
from evaluation.profiles import graduate_profile
from evaluation.rules import evaluate
from portal.models import Role
from portal.notify import notify


def school_staff(institution_id):
    return list(get_user_model().objects.filter(is_active=True, roles__role=Role.UNIVERSITY_STAFF,
                                                roles__institution_id=institution_id).distinct())


def city_hrss(city_code):
    return list(get_user_model().objects.filter(is_active=True, roles__role=Role.CITY_HRSS,
                                                roles__city_id=city_code).distinct())


def graduate_user(application):
    user = application.graduate.user
    return [user] if user is not None else []


def round_link(rnd):
    return reverse("rounds:detail", args=[rnd.pk])


def application_link(application):
    return reverse("rounds:application", args=[application.pk])


def verdict_for(graduate, rnd):
    """The engine's verdict for ``graduate`` under the round's standard version, computed now."""
    return evaluate(graduate_profile(graduate), rnd.standard_version.rules())


def verdict_snapshot(graduate, rnd):
    verdict = verdict_for(graduate, rnd)
    return verdict, {"verdict_level": verdict.level, "verdict_path": verdict.path or "",
                     "verdict_may_apply": verdict.may_apply, "verdict": verdict.to_dict(),
                     "employer": graduate.employer}


def transition(obj, name, *, actor, role, comment="", expected_state=None, data=None, tell=(), title="", link="",
               **kwargs):
    """``run_transition`` (lock, check permission, log, audit) and, in the same transaction, the notice."""
    with transaction.atomic():
        obj = run_transition(obj, name, actor=actor, role=role, comment=comment, data=data,
                             expected_state=expected_state, **kwargs)
        recipients = tell(obj) if callable(tell) else list(tell)
        if recipients:
            notify(recipients, title=title, body=comment, link=link(obj) if callable(link) else link)
    return obj
