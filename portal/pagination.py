"""Pagination for lists that grow without bound (the audit log; any list of a province's rows).

``CappedPaginator`` counts at most ``cap`` rows: ``SELECT COUNT(*) FROM (… LIMIT cap + 1)`` stops early, where
Django's ``Paginator`` counts the whole filtered table on every page view. Past the cap the pager says "N+"
and the last reachable page is the cap's; filters narrow the list further.
"""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _unordered(self):
        """The list without its ORDER BY: a count needs no order, and an ordered slice must read in index order."""
        order_by = getattr(self.object_list, "order_by", None)
        return order_by() if order_by is not None else self.object_list

    @cached_property
    def _counted(self):
        """Rows counted up to ``cap + 1``: one query tells both the count and whether there are more."""
        return self._unordered[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @cached_property
    def capped(self):
        """True when there are more rows than counted."""
        return self._counted > self.cap
