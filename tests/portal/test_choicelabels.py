"""portal.choicelabels: the labels the list pages show are Django's, for every value of every model using it."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from portal.choicelabels import ChoiceLabels, choice_labels

MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceLabels)]


def test_the_busy_models_use_it():
    names = {m.__name__ for m in MODELS}
    assert {"Graduate", "StoredVerdict", "Institution", "Certificate", "Session", "FilingApplication"} <= names
    for model in MODELS:  # bound to the mixin's method, not Django's (the mixin comes first in the bases)
        assert model._get_FIELD_display is ChoiceLabels._get_FIELD_display, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_value_gets_djangos_label(model):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields, model
    for field in fields:
        assert choice_labels(field) is not None, (model, field.name)  # the table, not Django's rebuild
        for value, _label in field.flatchoices:
            instance = model(**{field.attname: value})
            ours = getattr(instance, f"get_{field.name}_display")()
            assert ours == models.Model._get_FIELD_display(instance, field), (model, field.name, value)
            assert isinstance(ours, str)
        stray = model(**{field.attname: "no-such-value"})  # a value outside the choices shows as it is
        assert getattr(stray, f"get_{field.name}_display")() == "no-such-value"


def test_labels_are_translated_when_shown_not_when_cached():
    from portal.models import Institution

    field = Institution._meta.get_field("kind")
    value, label = field.flatchoices[0]
    with translation.override("en"):
        choice_labels(field)  # the table is built under another language
    with translation.override("zh-hans"):
        assert Institution(kind=value).get_kind_display() == str(label)


def test_computed_choices_keep_djangos_way():
    field = models.CharField(choices=lambda: [("a", "甲")])
    assert choice_labels(field) is None
