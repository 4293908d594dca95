"""The nightly job fits the census forecast of every unit staffed by ratio, so a roster page read afterwards
finds it in the cache and fits nothing."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache

from facilities import census_outlook, forecast
from staffing.models import StaffingRatio
from staffing.tasks import warm_census_forecasts
from tests.staffing.factories import ShiftTypeFactory

pytestmark = pytest.mark.django_db


def test_the_nightly_job_fits_each_ratio_unit_once_and_the_day_reuses_it(hospital):
    cache.clear()
    shift = ShiftTypeFactory(department=hospital.ward, code="D", start_time=dt.time(7), duration_minutes=480)
    StaffingRatio.objects.create(department=hospital.ward, shift_type=shift, basis="patients",
                                 patients_per_person=Decimal("5"), effective_from=dt.date(2026, 1, 1))
    fits = mock.Mock(wraps=forecast.forecast)
    with mock.patch.object(forecast, "forecast", fits):
        assert warm_census_forecasts() == 1
        assert fits.call_count == 1
        today = census_outlook.timezone.localdate(census_outlook.timezone.now(), census_outlook.hospital_zone())
        census_outlook.census_by_day(unit_ids=[hospital.ward.pk], start=today, end=today + dt.timedelta(days=27))
        assert fits.call_count == 1  # read from the cache
