"""Reference data (the occupation fixture), the code counter row, and the generated workflow diagram."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from applications import diagrams
from applications.track_b.diagram import DOCUMENT
from applications.track_b.models import FilingCodeCounter
from portal.identifiers import validate_occupation_code
from portal.models import Occupation

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "occupations.json"
ROWS = json.loads(FIXTURE.read_text(encoding="utf-8"))

# Spot checks against the 2022 dictionary (中华人民共和国职业分类大典（2022年版）).
KNOWN = {"6-31-01-03": "电工", "4-12-01-01": "汽车维修工", "6-18-02-04": "焊工", "6-20-01-01": "装配钳工",
         "6-31-01-02": "机修钳工", "6-31-07-01": "工业机器人系统运维员", "6-31-07-03": "工业机器人系统操作员",
         "4-04-05-05": "人工智能训练师", "6-25-04-09": "物联网安装调试员", "6-22-02-01": "汽车装调工"}


def test_fixture_codes_are_well_formed_unique_and_skill_occupations():
    codes = [r["fields"]["code"] for r in ROWS]
    for code in codes:
        validate_occupation_code(code)
        assert code[0] in "46", f"{code}: skill occupations of the pilot are in 大类 4 or 6"
    assert len(set(codes)) == len(codes) and len({r["pk"] for r in ROWS}) == len(ROWS)
    assert all(r["fields"]["is_skill"] for r in ROWS)
    names = {r["fields"]["code"]: r["fields"]["name"] for r in ROWS}
    for code, name in KNOWN.items():
        assert names[code] == name


def test_fixture_covers_the_three_focus_fields():
    focus = {r["fields"]["focus"] for r in ROWS}
    assert {"nev", "im", "de"} <= focus
    for field in ("nev", "im", "de"):
        assert sum(r["fields"]["focus"] == field for r in ROWS) >= 5


def test_migration_loaded_the_occupations_and_the_counter(db):
    assert Occupation.objects.filter(code__in=[r["fields"]["code"] for r in ROWS]).count() == len(ROWS)
    assert FilingCodeCounter.objects.filter(pk="34").exists()


@pytest.mark.django_db(transaction=True)
def test_fixture_loads_with_loaddata_on_an_empty_table():
    Occupation.objects.all().delete()
    call_command("loaddata", "occupations", verbosity=0)
    call_command("loaddata", "occupations", verbosity=0)  # again: nothing duplicated
    assert Occupation.objects.count() == len(ROWS)
    # the sequence moved past the fixture's keys: new rows still get ids
    extra = Occupation.objects.create(code="6-99-00-00", name="测试职业")
    assert extra.pk > max(r["pk"] for r in ROWS)


def test_workflow_diagram_is_up_to_date():
    assert not diagrams.stale([DOCUMENT]), "run: python manage.py workflow_diagrams"
