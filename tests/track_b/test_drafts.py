"""Issue 15 §16: a draft with a bad 统一社会信用代码, phone or e-mail is saved, and the registrar is told there and
then — under each field — instead of "已保存草稿" and the next section; the sidebar marks each section ✓/✗."""

from django.urls import reverse

from applications.track_b.forms import build_section_forms
from applications.track_b.models import FilingState, ImplementationPlan
from tests.track_b.factories import case_in


def _basic_data(app):
    plan, _ = ImplementationPlan.objects.get_or_create(application=app)
    form, _formsets = build_section_forms("basic", app, plan)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    return data


def test_a_bad_draft_is_saved_and_its_field_errors_shown(world, client):
    app = case_in(world, FilingState.DRAFT)
    client.force_login(world.staff)
    data = {**_basic_data(app), "uscc": "12340000485960310", "head_phone": "12345", "contact_email": "not-an-email",
            "save_next": "1"}
    response = client.post(reverse("track_b:edit", args=[app.pk, "basic"]), data, follow=True)
    app.refresh_from_db()
    assert app.uscc == "12340000485960310" and app.head_phone == "12345"  # the draft is saved
    assert response.redirect_chain[-1][0] == reverse("track_b:edit", args=[app.pk, "basic"])  # stays here
    body = response.content.decode()
    assert "已保存草稿；本部分有" in body
    for field in ("uscc", "head_phone", "contact_email"):
        assert f'data-testid="field-problem-{field}"' in body
    assert "联系人邮箱格式不正确" in body
    nav = body[body.index('data-testid="nav-basic"'):]
    assert nav[:nav.index("</a>")].count("✗") == 1


def test_a_good_section_moves_on_and_is_ticked(world, client):
    app = case_in(world, FilingState.DRAFT)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:edit", args=[app.pk, "basic"]), {**_basic_data(app), "save_next": "1"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("track_b:edit", args=[app.pk, "majors"])
    body = response.content.decode()
    assert "已保存草稿。" in body
    nav = body[body.index('data-testid="nav-basic"'):]
    assert "✓" in nav[:nav.index("</a>")]
