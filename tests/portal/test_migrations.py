"""The migrations match the models, and record workflow states as the plain columns they are (portal.fields)."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.models import CharField
from django_fsm import FSMField

from portal.fields import StateField


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits with status 1 on any change
    assert "No changes detected" in out.getvalue()


def test_workflow_states_are_fsm_fields_in_the_models_and_char_fields_in_the_migrations():
    machines = [(model, field) for model in apps.get_models() for field in model._meta.concrete_fields
                if isinstance(field, FSMField)]
    assert len(machines) >= 15
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    for model, field in machines:
        assert type(field) is StateField, f"{model.__name__}.{field.name}: declare it as portal.fields.StateField"
        historical = state.models[model._meta.app_label, model._meta.model_name].get_field(field.name)
        assert type(historical) is CharField, f"{model.__name__}.{field.name} is {type(historical)} in migrations"
        assert (historical.max_length, historical.default, historical.choices) == (
            field.max_length, field.default, list(field.choices)), model.__name__
