"""Fixtures of the evaluation tests: private files in a temporary MEDIA_ROOT, and graduates on top of
the shared ``world`` (never added to tests/conftest.py)."""

import pytest
from celery import Task
from kombu.exceptions import OperationalError

from portal.celery import app
from tests.evaluation.access_cases import eval_data


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ev(world):
    """The world plus graduates: ``own`` (of world.inst, linked to world.student), ``other`` (of other_inst)…"""
    return eval_data(world)


class Broker:
    """``down()``: publishing raises as with Redis unreachable (PortalTask turns that into "not sent");
    ``up()``: back, tasks run in-process again."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def down(self):
        def refuse(self, *args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        self.monkeypatch.setattr(Task, "apply_async", refuse)
        app.conf.task_always_eager = False

    def up(self):
        self.monkeypatch.undo()
        app.conf.task_always_eager = True


@pytest.fixture
def broker(monkeypatch):
    switch = Broker(monkeypatch)
    yield switch
    switch.up()
