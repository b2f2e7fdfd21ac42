from applications import diagrams
from applications.track_a.diagram import DOCUMENT


def test_the_committed_diagram_is_generated_from_the_code():
    assert not diagrams.stale([DOCUMENT]), "run: python manage.py workflow_diagrams"
    text = diagrams.markdown(DOCUMENT)
    assert "submitted --> city_hrss_approved" in text and "city_edu_approved --> city_approved" in text
    assert "recognised --> authorised" in text and "filed --> approved" in text
