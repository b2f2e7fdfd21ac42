import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock(monkeypatch):
    """``clock.set(date)`` moves the portal's today (``evaluation.rounds.clock.today``)."""
    from evaluation.rounds import clock as portal_clock

    class Clock:
        def set(self, day):
            monkeypatch.setattr(portal_clock, "today", lambda: day)
            return day

    return Clock()
