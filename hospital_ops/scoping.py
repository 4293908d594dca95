"""Who may see which rows: one declaration per model, one `visible_to(user)` built from it.

A model's queryset class names its `scope`: the relations through which a row belongs to a
department (the user sees it when they see that department), the user account that owns it (its
owner sees it), rows everyone with a role sees (a hospital default), or a hospital-wide catalogue.
`visible_to(user)` is derived from that declaration, as NetBox derives every list from `restrict()`.

The roles themselves (which departments a user sees) belong to the people records; this package
imports no app, so it reads them through the module named by the `HOSPITAL_ROLES` setting, which
offers `visible_department_ids(user, include_finance=...)` (ALL or a set of ids) and
`is_board_only(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

ALL = object()  # no department restriction: the user sees every department


@cache
def roles():
    """The module that answers what a user's roles cover (`settings.HOSPITAL_ROLES`)."""
    return import_string(settings.HOSPITAL_ROLES)


def hospital_zone() -> ZoneInfo:
    """The hospital's own time zone (`HOSPITAL_TIME_ZONE`): shifts, days and periods are read in it."""
    return ZoneInfo(settings.HOSPITAL_TIME_ZONE)


def within(department, field: str = "department") -> Q:
    """Rows whose department (reached through `field`; "" for departments themselves) is `department` or
    one of its units, by its materialised path; every row for None (the whole hospital)."""
    if department is None:
        return Q()
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}path__startswith": department.path})


@dataclass(frozen=True)
class Scope:
    """How a model's rows are scoped.

    departments: paths to a department (`"department"`, `"employee__department"`; `""` is the row
        itself, for departments): whoever sees that department sees the row.
    owner: path to the owning user (`"employee__user"`): the owner sees the row, and, if
        `owner_when` is given, only the rows matching it (a nurse sees their published shifts).
    shared: rows every user with a role in the suite sees (the hospital's default labour rules).
    hospital_wide: a catalogue every signed-in user may read (skills, job titles).
    finance: finance officers see every row (budgets are kept by cost centre).
    board: board members with no other role still see these rows (most models: no).
    """

    departments: tuple[str, ...] = ()
    owner: str = ""
    owner_when: Q | None = None
    shared: Q | None = None
    hospital_wide: bool = False
    finance: bool = False
    board: bool = False

    def restrict(self, queryset: models.QuerySet, user) -> models.QuerySet:
        if user is None or not user.is_authenticated:
            return queryset.none()
        if self.hospital_wide:
            return queryset.all()
        source = roles()
        if not self.board and source.is_board_only(user):
            return queryset.none()
        ids = source.visible_department_ids(user, include_finance=self.finance)
        if ids is ALL:
            return queryset.all()
        condition = Q(pk__in=[])
        for path in self.departments:
            if ids:
                condition |= Q(**{f"{path}__in" if path else "pk__in": ids})
        if self.owner:
            condition |= Q(**{f"{self.owner}_id": user.pk}) & (self.owner_when or Q())
        if self.shared is not None:
            condition |= self.shared
        return queryset.filter(condition)


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` follows the model's `scope` declaration."""

    scope = Scope()

    def visible_to(self, user):
        return self.scope.restrict(self, user)
