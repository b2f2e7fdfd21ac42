"""A field's hint and error are tied to it for screen readers (WCAG 1.3.1, 3.3.1, 3.3.2; the accessibility audit of
2026-12-07): Django 5.2 points each field with help text or an error at ``<id>_helptext`` / ``<id>_error``
(aria-describedby), so the templates that render fields themselves must give those ids, or the reference
dangles and the hint is never read; a group of radio buttons is named by a fieldset's legend, not a bare label."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs, self.legends = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("aria-describedby", "aria-labelledby"):
            self.refs += (attrs.get(name) or "").split()
        if tag == "label" and attrs.get("for"):
            self.refs.append(attrs["for"])
        self.legends += tag == "legend"


def refs_of(html):
    parser = _Refs()
    parser.feed(html)
    return parser


def assert_every_reference_resolves(html):
    parser = refs_of(html)
    dangling = [ref for ref in parser.refs if ref not in parser.ids]
    assert not dangling, f"references to missing ids: {dangling}"
    return parser


class Sample(forms.Form):
    reasons = forms.CharField(label="理由", help_text="退回时必填。", widget=forms.Textarea)
    decision = forms.ChoiceField(label="审核结论", help_text="二选一。", widget=forms.RadioSelect,
                                 choices=[("approve", "同意"), ("return", "退回修改")])
    number = forms.CharField(label="回执编号", help_text="以Y开头。")


@pytest.mark.parametrize("template", ["track_a/_field.html", "rounds/_field.html", "track_b/_field.html"])
def test_the_field_templates_tie_hints_and_errors_to_their_fields(template):
    form = Sample(data={"reasons": "", "decision": "", "number": ""})
    assert not form.is_valid()
    html = "".join(render_to_string(template, {"field": field}) for field in form)
    parser = assert_every_reference_resolves(html)
    assert {"id_reasons_helptext", "id_reasons_error", "id_number_helptext", "id_number_error"} <= parser.ids
    if template != "track_b/_field.html":  # Track B's forms have no radio groups
        assert parser.legends == 1 and re.search(r"<fieldset><legend>审核结论</legend>", html)


def test_the_public_verification_form_shows_its_hints_and_ties_its_errors(client, db):
    url = reverse("certificates:verify")
    page = client.get(url).content.decode()
    assert_every_reference_resolves(page)
    assert "请输入持证人完整姓名" in page  # the name field's hint, never shown before
    invalid = client.post(url, {"number": "", "name": ""}).content.decode()
    parser = assert_every_reference_resolves(invalid)
    assert any(i.endswith("_error") for i in parser.ids)
