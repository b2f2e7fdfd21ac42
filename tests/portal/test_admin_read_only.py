"""What only the portal's services change is read-only in the Django admin (the procedure audit of 2026-12-07):
a site administrator could rewrite an approved committee (its validity, members and terms), a granted authority,
an application after submission, a graduate's record or a stored verdict, skipping the office's consent
(附件2 二(二)), the checks and the log. Each admin still shows its records; none adds, changes or deletes."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from applications.track_a.models import (
    CommitteeMember,
    EvaluationCommittee,
    GrantedAuthority,
    PilotApplication,
)
from evaluation.models import (
    ActivationCode,
    EvaluationRun,
    Graduate,
    ImportBatch,
    SchoolStandard,
    StoredVerdict,
)
from tests.rounds import factories as f

READ_ONLY = [EvaluationCommittee, GrantedAuthority, PilotApplication, Graduate, StoredVerdict, EvaluationRun,
             ImportBatch, SchoolStandard, ActivationCode]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_the_admin_shows_but_never_adds_changes_or_deletes(model, rf, world):
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = world.admin
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not (inline.has_add_permission(request, None) or inline.has_change_permission(request)
                    or inline.has_delete_permission(request))


def test_an_approved_committee_cannot_be_rewritten_through_the_admin(world, client):
    committee = f.school(world)
    before = (committee.valid_until, CommitteeMember.objects.filter(committee=committee).count())
    client.force_login(world.admin)
    url = reverse("admin:track_a_evaluationcommittee_change", args=[committee.pk])
    assert client.get(url).status_code == 200  # shown
    response = client.post(url, {"name": committee.name, "valid_until": "2035-12-31", "members-TOTAL_FORMS": "0",
                                 "members-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    committee = EvaluationCommittee.objects.get(pk=committee.pk)
    assert (committee.valid_until, CommitteeMember.objects.filter(committee=committee).count()) == before
    assert committee.valid_until != date(2035, 12, 31)
    authority = GrantedAuthority.objects.get(institution=world.inst)
    url = reverse("admin:track_a_grantedauthority_change", args=[authority.pk])
    assert client.post(url, {"from_year": "2020"}).status_code == 403
    assert GrantedAuthority.objects.get(pk=authority.pk).from_year == authority.from_year


def test_the_graduate_import_stays_open_to_the_site_admin(world, client):
    client.force_login(world.admin)
    assert client.get(reverse("admin:evaluation_graduate_import")).status_code == 200
    assert client.get(reverse("admin:evaluation_graduate_changelist")).status_code == 200
