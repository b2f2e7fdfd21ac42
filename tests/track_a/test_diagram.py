from applications.track_a.diagram import OUTPUT, generate


def test_the_committed_diagram_is_generated_from_the_code():
    assert OUTPUT.read_text(encoding="utf-8") == generate(), "run: python manage.py track_a_diagram"
    text = generate()
    assert "submitted --> city_hrss_approved" in text and "city_edu_approved --> city_approved" in text
    assert "recognised --> authorised" in text and "filed --> approved" in text
