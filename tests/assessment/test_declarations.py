"""离校2年内未就业 (视同应届, 正文 一): the graduate declares, their school confirms or, saying why, does not — a
state machine decided once, through ``run_transition`` (logged, protected state, the state the school saw)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from applications.models import TransitionLog
from applications.workflow import WorkflowError
from assessment.models import DeclarationState, UnemployedDeclaration
from assessment.services import candidates
from assessment.services.common import AssessmentError
from portal.models import AuditLog

from . import builders as b


@pytest.fixture
def declaration(world):
    b.graduate(world.inst, 20, year=2025, user=world.student)
    return candidates.declare_unemployed(user=world.student, statement="本人离校后至今未就业。")


def _log(declaration):
    return list(TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(UnemployedDeclaration),
                                             object_id=str(declaration.pk)).values_list("transition", "source",
                                                                                       "target", "actor__username"))


def test_the_school_confirms_on_its_page_logged_once(world, client, declaration):
    client.force_login(world.staff)
    page = client.get(reverse("assessment:declarations")).content.decode()
    assert 'name="expected_state" value="declared"' in page
    response = client.post(reverse("assessment:declarations"), {
        "declaration": declaration.pk, "decision": "confirm", "expected_state": "declared"}, follow=True)
    assert "已确认。" in response.content.decode()
    declaration.refresh_from_db()
    assert (declaration.state, declaration.decided_by) == (DeclarationState.CONFIRMED, world.staff)
    assert _log(declaration) == [("confirm", "declared", "confirmed", world.staff.username)]
    assert AuditLog.objects.filter(action="assessment.unemployeddeclaration.confirm").count() == 1
    # decided once: a second answer (another tab, a colleague) is refused and changes nothing
    response = client.post(reverse("assessment:declarations"), {
        "declaration": declaration.pk, "decision": "reject", "note": "已就业", "expected_state": "declared"},
        follow=True)
    assert "该事项已由他人处理" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.state == DeclarationState.CONFIRMED and len(_log(declaration)) == 1


def test_not_confirming_needs_a_reason_and_is_kept(world, declaration):
    with pytest.raises(AssessmentError, match="须写明理由"):
        candidates.decide_declaration(declaration, user=world.staff, confirm=False, note="  ")
    assert _log(declaration) == []
    declaration = candidates.decide_declaration(declaration, user=world.staff, confirm=False, note="已在某公司就业")
    assert (declaration.state, declaration.school_note) == (DeclarationState.REJECTED, "已在某公司就业")
    with pytest.raises(WorkflowError, match="不能执行该操作"):
        candidates.decide_declaration(declaration, user=world.staff, confirm=True)


def test_only_the_graduates_own_school_decides(world, client, declaration):
    client.force_login(world.other_staff)
    response = client.post(reverse("assessment:declarations"), {"declaration": declaration.pk, "decision": "confirm"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        candidates.decide_declaration(declaration, user=world.other_staff, confirm=True)
    declaration.refresh_from_db()
    assert declaration.state == DeclarationState.DECLARED and _log(declaration) == []


def test_the_state_is_protected(world, declaration):
    with pytest.raises(AttributeError):
        declaration.state = DeclarationState.CONFIRMED  # only a transition moves it
    candidates.decide_declaration(declaration, user=world.staff, confirm=True)
    with pytest.raises(TransitionNotAllowed):
        UnemployedDeclaration.objects.get(pk=declaration.pk).reject(by=world.staff, at=None, note="已就业")
