"""Filter building blocks shared by every app's FilterSets."""

import django_filters

LARGEST_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row id in a query string: a whole number a database can hold, else a clear 400, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
