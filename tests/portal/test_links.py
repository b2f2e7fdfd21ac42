"""portal.links: a row's link is the URL reverse() gives."""

import pytest
from django.urls import reverse

from portal.links import link_rows, pk_url


@pytest.mark.parametrize("viewname", ["evaluation:graduate_detail", "certificates:detail", "institution_detail"])
def test_the_same_url_as_reverse(viewname):
    url = pk_url(viewname)
    for pk in (1, 7, 42, 2_147_483_646, 2_147_483_647):
        assert url(pk) == reverse(viewname, args=[pk])


def test_rows_get_their_links():
    class Row:
        def __init__(self, pk):
            self.pk = pk

    rows = link_rows(iter([Row(3), Row(11)]), "institution_detail")
    assert [r.url for r in rows] == [reverse("institution_detail", args=[3]), reverse("institution_detail", args=[11])]
