"""Fixtures of the evaluation tests: private files in a temporary MEDIA_ROOT, and graduates on top of
the shared ``world`` (never added to tests/conftest.py)."""

import pytest

from tests.evaluation.access_cases import eval_data


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ev(world):
    """The world plus graduates: ``own`` (of world.inst, linked to world.student), ``other`` (of other_inst)…"""
    return eval_data(world)
