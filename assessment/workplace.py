"""工作地 for skill certification (通知 四(二): "可自愿选择在工作地或试点学校申报…职业技能等级认定"): the assessment side of
a graduate's choice, recorded by the rounds app (``WorkplaceChoice.for_skill``) and read here.

On the choice (``evaluation.rounds.signals.workplace_chosen``, inside its transaction): the graduate leaves every
skill session not yet held (registration withdrawn, logged, the session's institution told) and any opt-in to an
entrusted session; a graduate already sitting a session that has begun cannot move — the choice is refused and
rolled back. Afterwards ``services.candidates.workplace_problem`` keeps them out of registration and opt-in.
"""

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.rounds.signals import workplace_chosen
from portal import audit
from portal.models import Role
from portal.notify import notify

from .models import Candidate, EntrustedOptIn, SessionState
from .models.sessions import PLANNING_STATES
from .services.common import staff_users


@receiver(workplace_chosen, dispatch_uid="assessment.leave_sessions_for_workplace")
def leave_sessions_for_workplace(sender, *, choice, actor, **kwargs):
    if not choice.for_skill:
        return
    graduate = choice.graduate
    today = timezone.localdate()
    entries = list(Candidate.objects.filter(graduate=graduate).exclude(session__state=SessionState.CANCELLED)
                   .select_related("session", "session__institution"))
    begun = [c for c in entries if c.session.state not in PLANNING_STATES or c.session.start_date <= today]
    if begun:
        raise ValidationError(_("您已参加%(inst)s %(day)s开始的职业技能等级认定，不能再改为在工作地申报职业技能等级认定。")
                              % {"inst": begun[0].session.institution.name, "day": begun[0].session.start_date},
                              code="skill_candidate")
    for candidate in entries:
        session = candidate.session
        audit.record(actor=actor, action="assessment.withdraw_for_workplace", obj=session, role=Role.STUDENT,
                     changes={"graduate": graduate.pk, "employer": choice.employer})
        notify(staff_users(session.institution_id),
               title=_("%(name)s 选择在工作地申报职业技能等级认定，已退出 %(day)s 的认定场次")
               % {"name": graduate.name, "day": session.start_date})
        candidate.delete()
    EntrustedOptIn.objects.filter(graduate=graduate, session__state__in=PLANNING_STATES,
                                  session__start_date__gt=today).delete()
