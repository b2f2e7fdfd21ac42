"""templates/django/forms/widgets/select.html: the same markup as Django's own select widget, options inline."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer


class Disabling(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            option["attrs"]["disabled"] = True
        option["attrs"]["data-n"] = f"{index}<>"
        return option


CHOICES = [("", "—"), ("a", "甲 & 乙"), ("组", [("b", "丙"), ("c", '"丁"')]), (3, "三")]


def _squeeze(html):
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("widget, value", [
    (forms.Select(choices=CHOICES, attrs={"id": "x", "required": True}), "c"),
    (forms.Select(choices=CHOICES), 3),
    (forms.SelectMultiple(choices=CHOICES), ["a", "c"]),
    (forms.NullBooleanSelect(), True),
    (Disabling(choices=CHOICES), "a"),
])
def test_same_markup_as_djangos(widget, value):
    assert "TemplatesSetting" in type(get_default_renderer()).__name__
    ours = widget.render("f", value)
    djangos = widget.render("f", value, renderer=DjangoTemplates())
    assert _squeeze(ours) == _squeeze(djangos)
    assert "<option" in ours
