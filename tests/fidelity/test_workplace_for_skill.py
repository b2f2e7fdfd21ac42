"""工作地 for skill certification (issue #12 item 8, second point): the graduate's choice is read by the skill sessions.

通知 正文 四(二): "学生毕业离校当年度，在省内企业就业并签订三方就业协议，可自愿选择在工作地或试点学校申报工程系列职称、职业技能
等级认定。" A graduate who chose the place of work for skill certification (``WorkplaceChoice.for_skill``) is certified
there, not by the school: they leave the school's skill sessions not yet held (logged, the school told), are not
offered for registration, cannot be registered nor opt in; one already sitting a session that has begun cannot
move, and the choice is refused.

This module fails on the code before this change: the choice was recorded, and nothing in the sessions read it — the
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
