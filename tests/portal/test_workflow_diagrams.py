"""One generator for every workflow diagram (applications.diagrams): the committed files are what the code gives,
and every state machine in the portal is drawn."""

from django.apps import apps
from django.core.management import call_command
from django_fsm import FSMField

from applications import diagrams


def test_the_committed_diagrams_are_generated_from_the_code():
    assert not diagrams.stale(), "run: python manage.py workflow_diagrams"
    call_command("workflow_diagrams", check=True)


def test_every_state_machine_is_drawn():
    drawn = {(s.model, s.field_name) for d in diagrams.DOCUMENTS.values() for s in d.sections}
    machines = {(m, f.name) for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, FSMField)}
    assert machines - drawn == set()


def test_edges_carry_the_portal_s_words_and_who_acts():
    text = diagrams.render(diagrams.DOCUMENTS["rounds_workflow"])
    markdown = next(iter(text.values()))
    assert "open --> candidates_notice" in markdown and "results_notice --> finalised" in markdown
    assert "| 转换 | 从 | 到 | 谁可以操作 | 说明 |" in markdown
    track_b = diagrams.render(diagrams.DOCUMENTS["track_b_workflow"])
    assert len(track_b) == 2 and any(str(p).endswith(".dot") for p in track_b)
    assert "申报单位经办人" in next(iter(track_b.values()))
