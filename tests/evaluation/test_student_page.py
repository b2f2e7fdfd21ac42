"""The student's page: record, verdict with every criterion, may-apply with reasons, what is missing, and
the what-if panel (nothing saved); only their own record."""

import json

from django.urls import reverse

from evaluation.models import StoredVerdict
from portal.dashboard import sections_for
from tests.evaluation.factories import AchievementFactory, GraduateFactory


def test_page_shows_the_live_verdict_before_the_school_evaluates(ev, client):
    AchievementFactory(graduate=ev.own, level="school", rank=2)  # path 3
    client.force_login(ev.own.user)
    page = client.get(reverse("evaluation:my_record")).content.decode()
    assert "技术员" in page and "附件2 一(八)3" in page and "预评估" in page
    assert "距“助理工程师”还需" in page and "累计企业实习实践还需至少1个月" in page
    assert ev.peer.name not in page and ev.other.name not in page
    assert ev.own.masked_id_number in page and ev.own.id_number not in page


def test_page_shows_the_stored_verdict_and_why_not(ev, client, django_capture_on_commit_callbacks):
    from evaluation.services import cohort

    ev.own.tripartite_agreement = False
    ev.own.save()
    with django_capture_on_commit_callbacks(execute=True):
        cohort.start_run(institution=ev.own.institution, actor=ev.own.institution.role_assignments.filter(
            role="university_staff").first().user, graduation_year=2025)
    stored = StoredVerdict.objects.get(graduate=ev.own)
    client.force_login(ev.own.user)
    page = client.get(reverse("evaluation:my_record")).content.decode()
    assert "学校于" in page and "暂不能参加评审" in page and "尚未签订三方就业协议（附件2 一(四)）" in page
    assert stored.result["criteria"][0]["label"] in page


def test_what_if_json_changes_the_level_and_saves_nothing(ev, client):
    AchievementFactory(graduate=ev.own, level="school", rank=2)
    client.force_login(ev.own.user)
    url = reverse("evaluation:what_if")
    base = client.post(url, json.dumps({"options": []}), content_type="application/json").json()
    assert base["level"] == "technician"
    more = client.post(url, json.dumps({"options": ["practice_4", "skill_4"]}), content_type="application/json")
    assert more.json()["level"] == "assistant_engineer" and more.json()["path_clause"] == "附件2 一(八)2(2)"
    assert client.post(url, json.dumps({"options": ["fly"]}), content_type="application/json").status_code == 400
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert not StoredVerdict.objects.exists() and ev.own.achievements.count() == 2


def test_what_if_form_without_javascript(ev, client):
    client.force_login(ev.own.user)
    response = client.post(reverse("evaluation:my_record"), {"options": ["practice_4", "skill_4", "award_school"]})
    assert response.context["what_if"].level == "assistant_engineer"
    assert 'value="skill_4" checked' in response.content.decode()


def test_a_student_without_a_record_and_other_roles(world, client):
    client.force_login(world.student)  # no record linked in this test
    assert client.get(reverse("evaluation:my_record")).status_code == 404
    client.force_login(world.staff)
    assert client.get(reverse("evaluation:my_record")).status_code == 403


def test_dashboard_panels(ev, client, django_assert_max_num_queries):
    AchievementFactory(graduate=ev.own)
    titles = {}
    with django_assert_max_num_queries(12):
        for _assignment, _label, panels in sections_for(ev.own.user):
            titles.update({str(p.title): p for p in panels})
    panel = titles["我的职称资格"]
    assert "学校尚未完成资格评价" in str(panel.empty) and panel.actions
    staff = next(p for _a, _l, ps in sections_for(ev.own.institution.role_assignments.get(
        role="university_staff").user) for p in ps if str(p.title) == "毕业生与资格评价")
    assert any("2025届毕业生 2 人" in i.label for i in staff.items)
    client.force_login(ev.own.user)
    assert "我的职称资格" in client.get(reverse("home")).content.decode()


def test_classmates_are_invisible_everywhere(ev, client):
    client.force_login(ev.own.user)
    assert client.get(reverse("evaluation:graduate_detail", args=[ev.peer.pk])).status_code == 404
    assert client.get(reverse("evaluation:graduate_detail", args=[ev.own.pk])).status_code == 302
    other = GraduateFactory(institution=ev.own.institution, name="钱七八")
    assert client.get(reverse("evaluation:graduate_detail", args=[other.pk])).status_code == 404


def test_what_if_is_built_from_the_standard_applied_with_the_real_value_beside(ev, client):
    """Issue 15 §15: a school standard asking for the top 25 % offers 前25% (not only 前50%/前30%), and the
    student reads their real rank beside it; the result words the engine's "目前" as the hypothesis."""
    from evaluation.rules import DEFAULT_STANDARD
    from evaluation.services.standards import publish_standard

    staff = ev.own.institution.role_assignments.filter(role="university_staff").first().user
    strict = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=25.0).to_dict()
    strict["name"] = "本校标准（前25%）"
    publish_standard(institution=ev.own.institution, data=strict, actor=staff)
    ev.own.major_rank_percent = 38
    ev.own.save()
    client.force_login(ev.own.user)
    page = client.get(reverse("evaluation:my_record")).content.decode()
    assert 'value="rank_25"' in page and "平均学分绩点排名进入专业前25%" in page
    assert 'value="rank_30"' not in page and 'value="rank_50"' in page  # 2(2) keeps the baseline's 50 %
    assert "目前为专业前38%" in page
    url = reverse("evaluation:what_if")
    assert client.post(url, json.dumps({"options": ["rank_30"]}), content_type="application/json").status_code == 400
    data = client.post(url, json.dumps({"options": ["rank_25"]}), content_type="application/json").json()
    assert all("目前为前" not in m for m in data["missing"])
