"""Graduates' records: constraints, masked ID numbers (full only on demand, audited), achievements and
evidence, scoping per role, bounded queries on the list pages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluation.models import Achievement, Graduate
from portal.models import AuditLog
from tests.evaluation.access_cases import PDF
from tests.evaluation.factories import AchievementFactory, GraduateFactory


@pytest.mark.parametrize("field, value", [
    ("graduation_year", 1999), ("practice_months", -1), ("practice_months", 121), ("major_rank_percent", 0),
    ("major_rank_percent", 100.5), ("ncre_level", 5), ("gender", "X"), ("degree_level", "doctor"),
    ("design_grade", "great"), ("assessment", "ok"),
])
def test_database_constraints(world, field, value):
    g = GraduateFactory(institution=world.inst)
    with pytest.raises(IntegrityError), transaction.atomic():
        Graduate.objects.filter(pk=g.pk).update(**{field: value})


def test_student_number_unique_per_institution_and_junior_college_degree(world):
    GraduateFactory(institution=world.inst, student_number="S1")
    GraduateFactory(institution=world.other_inst, student_number="S1")
    with pytest.raises(IntegrityError), transaction.atomic():
        GraduateFactory(institution=world.inst, student_number="S1")
    with pytest.raises(IntegrityError), transaction.atomic():
        GraduateFactory(institution=world.inst, degree_level="junior_college", has_degree=True)


def test_id_number_is_validated(world):
    g = GraduateFactory.build(institution=world.inst, id_number="340504200301011230")
    with pytest.raises(ValidationError) as error:
        g.full_clean()
    assert "id_number" in error.value.message_dict


@pytest.mark.parametrize("kind, fields", [
    ("competition", {"level": "", "rank": 1}), ("competition", {"level": "school", "rank": None}),
    ("patent", {"patent_type": "", "rank": 1}), ("skill", {"skill_level": None}), ("skill", {"skill_level": 6}),
    ("project", {"level": "municipal", "role": "leader"}), ("project", {"level": "school", "role": ""}),
])
def test_achievement_constraints(world, kind, fields):
    g = GraduateFactory(institution=world.inst)
    with pytest.raises(IntegrityError), transaction.atomic():
        Achievement.objects.create(graduate=g, kind=kind, title="x", **fields)


def test_id_number_masked_and_revealed_on_demand_with_audit(ev, client):
    client.force_login(ev.own.institution.role_assignments.get(role="university_staff").user)
    page = client.get(reverse("evaluation:graduate_detail", args=[ev.own.pk])).content.decode()
    assert ev.own.masked_id_number in page and ev.own.id_number not in page
    response = client.post(reverse("evaluation:graduate_reveal_id", args=[ev.own.pk]), {"purpose": "核对学籍"})
    assert ev.own.id_number in response.content.decode()
    log = AuditLog.objects.get(action="evaluation.reveal_id_number")
    assert (log.object_id, log.changes) == (str(ev.own.pk), {"purpose": "核对学籍"})


def test_add_achievement_with_evidence_then_download_and_delete(ev, client, world):
    client.force_login(world.staff)
    url = reverse("evaluation:achievement_add", args=[ev.own.pk])
    response = client.post(url, {"kind": "skill", "title": "电工", "skill_level": 4, "occupation_code": "6-31-01-03",
                                 "evidence": SimpleUploadedFile("cert.pdf", PDF)})
    assert response.status_code == 302
    a = ev.own.achievements.get(kind="skill")
    assert a.evidence.name.startswith("evidence/")
    download = client.get(reverse("evaluation:evidence", args=[ev.own.pk, a.pk]))
    assert download.content == PDF and "attachment" in download["Content-Disposition"]
    client.force_login(world.student)
    assert client.get(reverse("evaluation:evidence", args=[ev.own.pk, a.pk])).content == PDF
    client.force_login(world.other_staff)
    assert client.get(reverse("evaluation:evidence", args=[ev.own.pk, a.pk])).status_code == 404
    client.force_login(world.staff)
    bad = client.post(url, {"kind": "skill", "title": "假证书", "skill_level": 4,
                            "evidence": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf")})
    assert bad.status_code == 400 and "内容与扩展名不符" in bad.content.decode()
    missing = client.post(url, {"kind": "competition", "title": "比赛"})
    assert missing.status_code == 400 and "该类成果须填写此项" in missing.content.decode()
    client.post(reverse("evaluation:achievement_delete", args=[ev.own.pk, a.pk]))
    assert not Achievement.objects.filter(pk=a.pk).exists()
    assert AuditLog.objects.filter(action__in=["evaluation.add_achievement", "evaluation.delete_achievement"]).count() == 2


def test_list_is_scoped_per_role(ev, client, world):
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:graduate_list")).content.decode()
    assert ev.own.name in page and ev.peer.name in page and ev.other.name not in page
    client.force_login(world.other_staff)
    page = client.get(reverse("evaluation:graduate_list")).content.decode()
    assert ev.other.name in page and ev.own.name not in page
    client.force_login(world.admin)
    page = client.get(reverse("evaluation:graduate_list")).content.decode()
    assert ev.other.name in page and ev.own.name in page
    for user in (world.city_hrss, world.prov_hrss, world.expert, world.student, world.city_edu, world.prov_edu):
        client.force_login(user)
        assert client.get(reverse("evaluation:graduate_list")).status_code == 403
        assert client.get(reverse("evaluation:graduate_detail", args=[ev.peer.pk])).status_code == 404


def test_filters(ev, client, world):
    GraduateFactory(institution=world.inst, major="冶金工程", name="冶金学生", graduation_year=2024)
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:graduate_list"), {"year": 2024}).content.decode()
    assert "冶金学生" in page and ev.own.name not in page
    page = client.get(reverse("evaluation:graduate_list"), {"level": "unevaluated", "q": "A0001"}).content.decode()
    assert ev.own.name in page and ev.peer.name not in page


def _seed(world, n):
    for i in range(n):
        g = GraduateFactory(institution=world.inst)
        AchievementFactory(graduate=g)
        if i % 2:
            GraduateFactory(institution=world.other_inst)


@pytest.mark.parametrize("url_name", ["evaluation:graduate_list", "evaluation:run_list", "evaluation:import_start",
                                      "evaluation:standard_list", "evaluation:accounts_create", "home"])
def test_list_pages_run_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, url_name,
                                                    django_capture_on_commit_callbacks):
    from evaluation.services import cohort

    client.force_login(world.staff)
    counts = []
    for n in (3, 60):
        _seed(world, n)
        with django_capture_on_commit_callbacks(execute=True):
            cohort.start_run(institution=world.inst, actor=world.staff, graduation_year=2025)
        client.get(reverse(url_name))  # warm: the first request of a session loads per-process caches
        # The dashboard ("home") gathers one panel per app (rounds, assessment, Track A/B, certificates…).
        with django_assert_max_num_queries(20 if url_name == "home" else 14) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], f"queries grew with the data: {counts}"
