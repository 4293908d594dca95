"""Report periods: a calendar month ("2026-03") or an ISO week ("2026-W09")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hospital_ops.validators import EARLIEST_OPERATING_DATE, LATEST_DATE

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(f"{year:04d}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, last))

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        start = dt.date.fromisocalendar(year, week, 1)
        return cls(f"{year:04d}-W{week:02d}", start, start + dt.timedelta(days=6))

    @classmethod
    def parse(cls, value: str) -> Period:
        """The period `value` names, within the dates the suite operates on; else a ValidationError."""
        value = (value or "").strip()
        period = None
        try:
            if match := _MONTH.match(value):
                period = cls.month(int(match[1]), int(match[2]))
            elif match := _WEEK.match(value):
                period = cls.week(int(match[1]), int(match[2]))
        except ValueError:
            pass
        if period is None:
            raise ValidationError(
                _("Give the period as a month (2026-03) or an ISO week (2026-W09)."), code="invalid_period"
            )
        if period.start < EARLIEST_OPERATING_DATE or period.end > LATEST_DATE:
            raise ValidationError(
                _("Choose a period between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_OPERATING_DATE.year, "latest": LATEST_DATE.year},
                code="invalid_period",
            )
        return period

    @classmethod
    def month_of(cls, day: dt.date) -> Period:
        return cls.month(day.year, day.month)

    @classmethod
    def week_of(cls, day: dt.date) -> Period:
        year, week, _ = day.isocalendar()
        return cls.week(year, week)

    @property
    def is_month(self) -> bool:
        return "W" not in self.key

    @property
    def label(self) -> str:
        if self.is_month:
            return f"{self.start:%B %Y}"
        return f"Week {self.start.isocalendar()[1]}, {date_format(self.start, 'j M')} – {date_format(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        day = self.start - dt.timedelta(days=1)
        return Period.month_of(day) if self.is_month else Period.week_of(day)

    def months_back(self, count: int) -> list[Period]:
        """The `count` months ending with this period's month, oldest first."""
        months = [Period.month_of(self.start)]
        while len(months) < count:
            months.insert(0, months[0].previous())
        return months

    def __str__(self):
        return self.key


def last_closed_month(today: dt.date) -> Period:
    return Period.month_of(today.replace(day=1) - dt.timedelta(days=1))


def last_closed_week(today: dt.date) -> Period:
    return Period.week_of(today - dt.timedelta(days=today.weekday() + 1))
