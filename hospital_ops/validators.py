"""The one sane range for dates that people and integrations type.

A person's record reaches back a lifetime (hire dates, credentials issued decades ago); what the suite
operates (rosters, time off, preferences, staffing requirements, reports) starts in 2000. Nothing is
planned past 2100. Used as model validators, so forms, the API and services all refuse the same dates."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = dt.date(1900, 1, 1)  # the earliest date in anyone's record
EARLIEST_OPERATING_DATE = dt.date(2000, 1, 1)  # the earliest roster, request or report
LATEST_DATE = dt.date(2100, 12, 31)


@deconstructible
class SaneDateValidator:
    """Refuses a date outside [earliest, latest]."""

    message = _("Choose a date between %(earliest)s and %(latest)s.")
    code = "date_out_of_range"

    def __init__(self, earliest: dt.date = EARLIEST_DATE, latest: dt.date = LATEST_DATE):
        self.earliest, self.latest = earliest, latest

    def __call__(self, value):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date) and not (self.earliest <= value <= self.latest):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat(), "value": value},
            )

    def __eq__(self, other):
        return isinstance(other, SaneDateValidator) and (other.earliest, other.latest) == (self.earliest, self.latest)


record_date = SaneDateValidator()  # hire, termination, credential and skill dates
operating_date = SaneDateValidator(EARLIEST_OPERATING_DATE)  # rosters, time off, preferences, reports
