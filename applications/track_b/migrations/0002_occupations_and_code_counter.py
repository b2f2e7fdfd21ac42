"""Reference data for Track B: the occupations of the 2022 dictionary the pilot focuses on
(fixtures/occupations.json, also loadable with ``manage.py loaddata occupations``) and the province's
filing-code counter row."""

import json
from pathlib import Path

from django.core.management.color import no_style
from django.db import migrations

OCCUPATIONS = Path(__file__).resolve().parents[3] / "fixtures" / "occupations.json"


def load_occupations(apps, schema_editor):
    Occupation = apps.get_model("portal", "Occupation")
    for row in json.loads(OCCUPATIONS.read_text(encoding="utf-8")):
        fields = dict(row["fields"])
        code = fields.pop("code")
        existing = Occupation.objects.filter(code=code).first()
        if existing is not None:
            Occupation.objects.filter(pk=existing.pk).update(**fields)
        elif not Occupation.objects.filter(pk=row["pk"]).exists():
            Occupation.objects.create(pk=row["pk"], code=code, **fields)
        else:
            Occupation.objects.create(code=code, **fields)
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), [Occupation])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create_counter(apps, schema_editor):
    FilingCodeCounter = apps.get_model("track_b", "FilingCodeCounter")
    FilingCodeCounter.objects.get_or_create(province="34", defaults={"last_sequence": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("track_b", "0001_initial"),
        ("portal", "0003_expert_pool_and_occupations"),
    ]

    operations = [
        migrations.RunPython(load_occupations, migrations.RunPython.noop),
        migrations.RunPython(create_counter, migrations.RunPython.noop),
    ]
