"""The registrar's pages: every section saves as a draft, rows are added and removed inline,
"保存并继续" walks the sections, and the checklist page says what is missing."""

import pytest
from django.urls import reverse

from applications.track_b.models import FilingApplication, ImplementationPlan, Staff
from applications.track_b.sections import KEYS
from tests.track_b.factories import new_case, occ


@pytest.mark.parametrize("section", KEYS)
def test_every_section_renders_and_saves(section, world, client):
    app = new_case(world)
    client.force_login(world.staff)
    url = reverse("track_b:edit", args=[app.pk, section])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    form, formsets = page.context["form"], page.context["formsets"]
    data = {"save": "1"}
    bound_forms = ([form] if form is not None else []) + [f for fs in formsets for f in fs.forms]
    for f in bound_forms:
        for bf in f:
            value = bf.value()
            if value in (None, False) or bf.name in ("file", "DELETE"):
                continue
            data[bf.html_name] = value
    for fs in formsets:
        data.update({f"{fs.prefix}-{k}": v for k, v in fs.management_form.initial.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "已保存草稿" in client.get(response["Location"]).content.decode()
    assert "data-formset" in body or form is not None


def test_save_and_continue_walks_the_sections(world, client):
    app = new_case(world, complete=False)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:edit", args=[app.pk, "advantages"]),
                           {"advantages": "重点专业：新能源汽车技术。", "save_next": "1"})
    assert response["Location"] == reverse("track_b:edit", args=[app.pk, "venues"])
    response = client.post(reverse("track_b:edit", args=[app.pk, "plan"]), {"basic": "概况", "save_next": "1"})
    assert response["Location"] == reverse("track_b:submit", args=[app.pk])
    assert ImplementationPlan.objects.get(application=app).basic == "概况"


def test_rows_are_added_and_deleted_inline(world, client):
    app = new_case(world)
    client.force_login(world.staff)
    rows = list(Staff.objects.filter(application=app).order_by("position"))
    data = {"staff-TOTAL_FORMS": "3", "staff-INITIAL_FORMS": "2", "save": "1"}
    for i, row in enumerate(rows):
        data.update({f"staff-{i}-id": row.pk, f"staff-{i}-name": row.name, f"staff-{i}-id_number": row.id_number,
                     f"staff-{i}-title": row.title, f"staff-{i}-education": row.education,
                     f"staff-{i}-duties": row.duties})
    data["staff-0-DELETE"] = "on"
    data.update({"staff-2-name": "新增人员", "staff-2-id_number": "", "staff-2-title": "干事"})
    response = client.post(reverse("track_b:edit", args=[app.pk, "staff"]), data)
    assert response.status_code == 302
    names = list(Staff.objects.filter(application=app).order_by("position").values_list("name", "position"))
    assert names == [(rows[1].name, 1), ("新增人员", 2)]


def test_new_case_is_prefilled_from_the_institution(world, client):
    world.inst.address = "安徽省马鞍山市湖东中路59号"
    world.inst.contact_email = "jwc@ahut.edu.cn"
    world.inst.save()
    client.force_login(world.staff)
    response = client.post(reverse("track_b:create"))
    app = FilingApplication.objects.get(institution=world.inst)
    assert response["Location"] == reverse("track_b:edit", args=[app.pk, "basic"])
    assert (app.unit_name, app.uscc, app.unit_address, app.contact_email) == (
        "安徽工业大学", world.inst.uscc, "安徽省马鞍山市湖东中路59号", "jwc@ahut.edu.cn")
    assert app.unit_nature == "事业单位（省属本科院校）"
    body = client.get(response["Location"]).content.decode()
    assert world.inst.uscc in body


def test_checklist_page_shows_missing_items_and_hides_the_submit_button(world, client):
    app = new_case(world, complete=False)
    client.force_login(world.staff)
    body = client.get(reverse("track_b:submit", args=[app.pk])).content.decode()
    assert "至少填写一个专业及其对应的职业（工种）。" in body and 'data-testid="submit"' not in body


def test_complete_case_checklist_allows_submit(world, client):
    app = new_case(world)
    client.force_login(world.staff)
    body = client.get(reverse("track_b:submit", args=[app.pk])).content.decode()
    assert 'data-testid="submit"' in body and "马鞍山市人力资源和社会保障局" in body


def test_majors_occupations_grouped_by_focus(world, client):
    app = new_case(world)
    client.force_login(world.staff)
    body = client.get(reverse("track_b:edit", args=[app.pk, "majors"])).content.decode()
    for label in ("新能源汽车", "智能制造", "数字经济"):
        assert f'<optgroup label="{label}">' in body
    assert f'<option value="{occ("6-31-01-03").pk}" selected>6-31-01-03 电工</option>' in body
