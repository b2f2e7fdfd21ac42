import pytest

from tests.track_b.factories import ensure_reference_data


@pytest.fixture(autouse=True)
def _track_b_reference_data(db):
    ensure_reference_data()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded and generated files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
