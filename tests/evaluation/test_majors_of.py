"""``selectors.majors_of`` walks an index from one major to the next instead of a DISTINCT over every record
(issue #16: the graduate list and the run form at 10× data). It must name exactly the majors a DISTINCT names, in
the same order, for every scope the pages ask: one school, several, all; one year or every year with records."""

import pytest

from evaluation import selectors
from evaluation.models import Graduate
from tests.conftest import make_institution
from tests.evaluation.factories import GraduateFactory

pytestmark = pytest.mark.django_db


YEARS = [2026, 2025, 2024]  # what selectors.cohort_years gives for the schools below


def distinct_majors(ids, year=None):
    qs = Graduate.objects.all()
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    if year:
        qs = qs.filter(graduation_year=year)
    return list(qs.order_by("major").values_list("major", flat=True).distinct())


@pytest.fixture
def schools():
    a, b, c, empty = (make_institution(name) for name in ("甲学院", "乙学院", "丙学院", "丁学院"))
    rows = [  # (school, year, major, how many records)
        (a, 2025, "车辆工程", 3), (a, 2025, "机械工程", 1), (a, 2024, "车辆工程", 2), (a, 2024, "自动化", 1),
        (b, 2025, "自动化", 2), (b, 2025, "土木工程", 1), (b, 2026, "电气工程及其自动化", 1),
        (c, 2024, "机械工程", 4), (c, 2024, "机械", 1),  # a major that is a prefix of another
    ]
    for school, year, major, n in rows:
        GraduateFactory.create_batch(n, institution=school, graduation_year=year, major=major)
    return a, b, c, empty


def test_every_scope_names_the_majors_a_distinct_names(schools):
    a, b, c, empty = schools
    scopes = [None, [a.pk], [b.pk], [a.pk, c.pk], [a.pk, b.pk, c.pk, empty.pk], [empty.pk]]
    for ids in scopes:
        assert selectors.majors_of(ids, YEARS) == distinct_majors(ids), ids
        for year in (2024, 2025, 2026, 2030):
            assert selectors.majors_of(ids, [year]) == distinct_majors(ids, year), (ids, year)


def test_the_answers_themselves(schools):
    a, b, c, empty = schools
    assert selectors.majors_of([a.pk], YEARS) == sorted({"车辆工程", "机械工程", "自动化"})
    assert selectors.majors_of([a.pk], [2024]) == sorted({"车辆工程", "自动化"})
    assert selectors.majors_of(None, [2026]) == ["电气工程及其自动化"]
    assert selectors.majors_of([c.pk], YEARS) == sorted({"机械", "机械工程"})
    assert selectors.majors_of([empty.pk], YEARS) == []
    assert selectors.majors_of([], YEARS) == []
    assert selectors.majors_of([a.pk], []) == []
    assert len(selectors.majors_of(None, YEARS)) == 6
    assert selectors.majors_of([a.pk], [10**12]) == []  # a year typed in the query string, far out of range
    assert selectors.majors_of(None, [10**30, 2026]) == ["电气工程及其自动化"]


def test_the_years_are_those_cohort_years_lists(schools):
    assert selectors.cohort_years(None) == YEARS


def test_one_query_however_many_schools(schools, django_assert_num_queries):
    a, b, c, empty = schools
    with django_assert_num_queries(1):
        selectors.majors_of([a.pk, b.pk, c.pk, empty.pk], YEARS)
