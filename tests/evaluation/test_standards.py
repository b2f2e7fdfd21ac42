"""School standards: versioned, refused when looser than the baseline (naming the clause), only the school."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evaluation.forms import StandardForm
from evaluation.models import StandardVersion
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import StandardRefused, publish_standard
from portal.models import AuditLog


def tighter():
    return DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.0).with_level("technician",
                                                                              competition_min_level="municipal")


def test_publish_tighter_standard_makes_numbered_versions(world):
    v1 = publish_standard(institution=world.inst, data=tighter().to_dict(), actor=world.staff, note="提高门槛")
    v2 = publish_standard(institution=world.inst, data=DEFAULT_STANDARD.to_dict(), actor=world.staff)
    assert (v1.number, v2.number) == (1, 2)
    assert v1.rules().path("1(3)").rank_percent_max == 20.0
    assert AuditLog.objects.filter(action="evaluation.publish_standard").count() == 2
    with pytest.raises(PermissionError):
        v1.save()  # a published version is never changed


@pytest.mark.parametrize("change, clause", [
    (lambda s: s.with_path("1(3)", rank_percent_max=35.0), "附件2 一(八)1(3)"),
    (lambda s: s.with_path("1(2)", practice_months=11.9), "附件2 一(八)1(2)"),
    (lambda s: s.with_path("2(2)", options_required=1), "附件2 一(八)2(2)"),
    (lambda s: s.with_path("3", project_concluded=False), "附件2 一(八)3"),
    (lambda s: s.with_level("engineer", skill_min_level=4), "附件2 一(八)1"),
    (lambda s: s.with_level("technician", competition_min_level="school").with_level(
        "assistant_engineer", competition_min_level="municipal"), "附件2 一(八)2"),
])
def test_looser_standard_is_refused_naming_the_clause(world, change, clause):
    with pytest.raises(StandardRefused) as refused:
        publish_standard(institution=world.inst, data=change(DEFAULT_STANDARD).to_dict(), actor=world.staff)
    assert any(m.startswith(clause) for m in refused.value.messages), refused.value.messages
    assert not StandardVersion.objects.exists()


def test_only_the_schools_own_staff_publish(world):
    for user in (world.other_staff, world.admin, world.city_hrss, world.prov_hrss, world.student):
        with pytest.raises(PermissionDenied):
            publish_standard(institution=world.inst, data=tighter().to_dict(), actor=user)


def test_form_round_trip_is_the_standard(world):
    form = StandardForm(base=tighter().to_dict())
    data = {name: field.initial for name, field in form.fields.items()}
    bound = StandardForm({k: v for k, v in data.items() if v is not None and v is not False}, base=tighter().to_dict())
    assert bound.is_valid(), bound.errors
    assert bound.standard_data()["paths"] == tighter().to_dict()["paths"]


def test_edit_page_refuses_a_looser_standard_with_the_clause(world, client):
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:standard_edit"))
    data = {name: field.initial for name, field in page.context["form"].fields.items()}
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    data["p1_3__rank_percent_max"] = "40"
    data["p3__practice_months"] = "0.5"
    response = client.post(reverse("evaluation:standard_edit"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "附件2 一(八)1(3)：平均学分绩点排名要求不得宽于前30%（设为前40%）" in text
    assert "附件2 一(八)3：企业实习实践累计时间不得少于1个月（设为0.5个月）" in text
    assert not StandardVersion.objects.exists()
    data["p1_3__rank_percent_max"] = "25"
    data["p3__practice_months"] = "2"
    response = client.post(reverse("evaluation:standard_edit"), data)
    version = StandardVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:standard_detail",
                                                                           args=[version.pk])
    assert version.rules().path("3").practice_months == 2.0
    detail = client.get(response["Location"]).content.decode()
    assert "前" in detail and "第1版" in detail


def test_supervisors_read_but_cannot_publish(world, client):
    version = publish_standard(institution=world.inst, data=tighter().to_dict(), actor=world.staff)
    client.force_login(world.city_hrss)
    assert client.get(reverse("evaluation:standard_detail", args=[version.pk])).status_code == 200
    assert client.get(reverse("evaluation:standard_edit")).status_code == 403
    client.force_login(world.other_city_hrss)
    assert client.get(reverse("evaluation:standard_detail", args=[version.pk])).status_code == 404
