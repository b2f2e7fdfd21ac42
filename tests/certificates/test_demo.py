"""Issue 15 §4: the demo's certificates come from the services real use calls, so every step is idempotent —
pressing "颁发职称证书" on the demo round, or loading the demo again, gives nobody a second certificate."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from evaluation.demo import STUDENT_NUMBER
from evaluation.rounds import selectors as round_selectors
from evaluation.rounds.models import EvaluationRound, RoundState
from portal.models import User


@pytest.mark.django_db
def test_demo_certificates_are_issued_as_real_use_issues_them(client):
    call_command("load_demo", stdout=io.StringIO())
    rnd = EvaluationRound.objects.get(institution__name="安徽工业大学", state=RoundState.FINALISED)
    titles = Certificate.objects.filter(kind="title")
    decisions = {d.source_key for d in round_selectors.final_passed_decisions(rnd)}
    assert decisions and set(titles.values_list("source_key", flat=True)) == decisions
    assert not Certificate.objects.filter(source_key__startswith="demo-").exists()
    skills = Certificate.objects.filter(kind="skill")
    assert skills.exists() and all(c.source_key.startswith("skill-result:") for c in skills)
    assert skills.filter(status=CertificateStatus.REVOKED).count() == 1

    # 张明 holds one title certificate, the level his committee decided, found from his record (not set by hand).
    student = User.objects.get(username=STUDENT_NUMBER)  # his own account, named by his 学号
    own_titles = list(titles.filter(holder_user=student))
    assert len(own_titles) == 1
    zhang = next(d for d in round_selectors.final_passed_decisions(rnd) if d.graduate.user_id == student.pk)
    assert own_titles[0].source_key == zhang.source_key
    assert own_titles[0].level_label == str(zhang.get_level_display())
    assert Certificate.objects.filter(kind="skill", holder_user=student).count() == 1

    before = Certificate.objects.count()
    # The school presses "颁发职称证书" on the demo round: nothing new.
    client.force_login(User.objects.get(username="univ"))
    response = client.post(reverse("certificates:issue_round_titles", args=[rnd.pk]))
    assert response.status_code == 302
    assert Certificate.objects.count() == before
    assert titles.filter(holder_user=student, status=CertificateStatus.VALID).count() == 1
    # The demo loaded again: nothing new either.
    call_command("load_demo", stdout=io.StringIO())
    assert Certificate.objects.count() == before
