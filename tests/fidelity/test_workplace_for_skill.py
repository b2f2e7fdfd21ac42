"""工作地 for skill certification (issue #12 item 8, second point): the graduate's choice is read by the skill sessions.

通知 正文 四(二): "学生毕业离校当年度，在省内企业就业并签订三方就业协议，可自愿选择在工作地或试点学校申报工程系列职称、职业技能
等级认定。" A graduate who chose the place of work for skill certification (``WorkplaceChoice.for_skill``) is certified
there, not by the school: they leave the school's skill sessions not yet held (logged, the school told), are not
offered for registration, cannot be registered nor opt in; one already sitting a session that has begun cannot
move, and the choice is refused.

The same conditions as for a title (DOMAIN §7, 正文 四(二) “在省内企业就业并签订三方就业协议”): a graduate employed by a
机关 or 事业单位, or not recorded as employed in Anhui with a 三方协议, cannot choose the place of work for skills either —
and still takes the school's own skill assessment (Track B is open to every 应届 graduate of the school).

This module fails on the code before this change (the last two tests on the code before the DOMAIN §7 reading: the
checks were made only for a title): the choice was recorded, and nothing in the sessions read it — the
school could register the graduate and certify them as if they had never chosen.
"""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import Candidate
from assessment.services import candidates
from assessment.services.common import AssessmentError
from evaluation.rounds import services as rounds
from evaluation.rounds.models import WorkplaceChoice
from portal.models import AuditLog, Notification
from tests.assessment import builders as b


def _choose(world, graduate, *, for_skill=True, for_title=False):
    """The choice of a graduate the school records as employed in Anhui with a 三方协议 (正文 四(二))."""
    graduate.employed_in_anhui = graduate.tripartite_agreement = True
    graduate.save(update_fields=["employed_in_anhui", "tripartite_agreement"])
    return rounds.workplace.choose_workplace(graduate=graduate, actor=world.student, employer="芜湖某汽车有限公司",
                                             employer_kind="enterprise", for_title=for_title, for_skill=for_skill)


@pytest.fixture
def session(world):
    app = b.quick_filed(world)
    b.reported_plan(world, app)
    b.map_major(world, world.inst)
    return b.planned_session(world, app)


def test_a_graduate_who_chose_the_workplace_is_not_registered_by_the_school(world, session):
    chooser, classmate = b.graduate(world.inst, 1, user=world.student), b.graduate(world.inst, 2)
    with b.at(b.FILED_ON):
        _choose(world, chooser)
        offered = list(candidates.eligible_graduates(session))
        assert chooser not in offered and classmate in offered
        with pytest.raises(AssessmentError, match="已选择在工作地"):
            candidates.register(session, user=world.staff, graduates=[chooser, classmate])
        assert not Candidate.objects.exists()  # all or none
        assert candidates.register(session, user=world.staff, graduates=[classmate])


def test_choosing_the_workplace_leaves_a_session_not_yet_held(world, session):
    chooser = b.graduate(world.inst, 1, user=world.student)
    with b.at(b.FILED_ON):
        candidates.register(session, user=world.staff, graduates=[chooser])
        _choose(world, chooser)
    assert not Candidate.objects.filter(graduate=chooser).exists()
    assert AuditLog.objects.filter(action="assessment.withdraw_for_workplace", actor=world.student).exists()
    assert Notification.objects.filter(recipient=world.staff, title__contains="退出").exists()


def test_a_title_only_choice_leaves_skill_certification_at_the_school(world, session):
    graduate = b.graduate(world.inst, 1, user=world.student)
    graduate.employed_in_anhui = graduate.tripartite_agreement = True
    graduate.save()
    with b.at(b.FILED_ON):
        candidates.register(session, user=world.staff, graduates=[graduate])
        _choose(world, graduate, for_skill=False, for_title=True)
    assert Candidate.objects.filter(graduate=graduate).exists()


def test_a_graduate_sitting_a_session_that_has_begun_cannot_move(world, session):
    chooser = b.graduate(world.inst, 1, user=world.student)
    with b.at(b.FILED_ON):
        candidates.register(session, user=world.staff, graduates=[chooser])
    with b.at(b.SESSION_DAY), pytest.raises(ValidationError, match="不能再改为在工作地"):
        _choose(world, chooser)
    assert not WorkplaceChoice.objects.exists() and Candidate.objects.filter(graduate=chooser).exists()


@pytest.mark.parametrize("kind", ["government", "public"])
def test_a_government_employee_cannot_choose_the_workplace_for_skills_but_sits_the_schools_assessment(
        world, session, kind):
    """Before: the enterprise / 省内就业 / 三方协议 checks were made only ``for_title``; a 机关 employee could leave the
    school's skill sessions for a 工作地 the notice does not give them."""
    graduate = b.graduate(world.inst, 1, user=world.student, employer="马鞍山市某局")
    graduate.employer_kind = kind
    graduate.employed_in_anhui = graduate.tripartite_agreement = True
    graduate.save()
    with b.at(b.FILED_ON):
        with pytest.raises(ValidationError, match="机关、事业单位"):
            rounds.workplace.choose_workplace(graduate=graduate, actor=world.student, employer="马鞍山市某局",
                                              employer_kind=kind, for_title=False, for_skill=True)
        assert not WorkplaceChoice.objects.exists()
        assert graduate in list(candidates.eligible_graduates(session))
        assert candidates.register(session, user=world.staff, graduates=[graduate])
    assert Candidate.objects.filter(graduate=graduate, session=session).exists()


def test_an_enterprise_employee_without_the_recorded_agreement_cannot_choose_the_workplace_for_skills(world, session):
    graduate = b.graduate(world.inst, 1, user=world.student, employer="芜湖某汽车有限公司")  # not recorded: 省内就业, 三方协议
    with b.at(b.FILED_ON), pytest.raises(ValidationError, match="三方就业协议"):
        rounds.workplace.choose_workplace(graduate=graduate, actor=world.student, employer="芜湖某汽车有限公司",
                                          employer_kind="enterprise", for_title=False, for_skill=True)
    assert not WorkplaceChoice.objects.exists()
