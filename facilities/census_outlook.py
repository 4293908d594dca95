"""A unit's census by day as staffing reads it: the midnight census counted for the days gone, the forecast's
point value (facilities/forecast.py) for today and the days ahead.

The forecast learns from the last twelve weeks up to yesterday; a roster reaching past its fortnight reads the
same model further on (without trend, its point value repeats the weekly pattern; only its interval widens).
A fit is cached for the day, keyed on the history it learned from, so a late admission refits it; a job warms
the cache each night (staffing.tasks.warm_census_forecasts)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from hospital_ops.scoping import hospital_zone

from . import census, forecast

CENSUS, FORECAST = "census", "forecast"
MAX_AHEAD = 400  # days ahead a forecast is read for; further out, no census is known
CACHE_SECONDS = 6 * 3600
FIT_STEP = 91  # days: forecasts are fitted a quarter at a time


@dataclass(frozen=True)
class CensusDay:
    """A unit's census on a day, and where it came from (the midnight census, or the forecast)."""

    value: float
    source: str


def census_by_day(*, unit_ids, start: dt.date, end: dt.date, today: dt.date | None = None
                  ) -> dict[int, dict[dt.date, CensusDay]]:
    """{unit id: {day: CensusDay}} for each day of [start, end] and each of `unit_ids`: one query, plus one
    forecast fit per unit when the period reaches today (cached)."""
    unit_ids = sorted(set(unit_ids))
    if not unit_ids or end < start:
        return {}
    today = today or timezone.localdate(timezone.now(), hospital_zone())
    yesterday = today - dt.timedelta(days=1)
    ahead = end >= today
    first = min(start, yesterday - dt.timedelta(days=forecast.HISTORY - 1)) if ahead else start
    counted = census.midnight_census(start=first, end=min(end, yesterday), unit_ids=unit_ids) if first <= yesterday \
        else {}
    result: dict[int, dict[dt.date, CensusDay]] = {}
    for unit_id in unit_ids:
        days = counted.get(unit_id, {})
        row = result[unit_id] = {}
        day = start
        while day <= min(end, yesterday):
            row[day] = CensusDay(float(days.get(day, 0)), CENSUS)
            day += dt.timedelta(days=1)
        if ahead:
            history = [days.get(yesterday - dt.timedelta(days=n), 0) for n in range(forecast.HISTORY - 1, -1, -1)]
            for point in cached_forecast(unit_id, history, yesterday, (min(end, today + dt.timedelta(days=MAX_AHEAD))
                                                                       - yesterday).days):
                if start <= point.day <= end:
                    row[point.day] = CensusDay(round(point.expected, 2), FORECAST)
    return result


def cached_forecast(scope, history: list[int], last_day: dt.date, needed: int = forecast.HORIZON
                    ) -> list[forecast.ForecastDay]:
    """The forecast of at least `needed` days after `last_day` from the census `history` of `scope` (a unit id,
    or any name for a set of units), fitted in whole quarters so that every roster of the coming quarter (and
    the nightly warm-up, staffing.tasks.warm_census_forecasts) shares one fit per unit and day. The fit is cached
    for the day, keyed on the history, so a late admission refits it; its first days are those of a fit of
    just those days (the model does not depend on the horizon)."""
    digest = hashlib.sha1(",".join(map(str, history)).encode(), usedforsecurity=False).hexdigest()[:16]
    key = f"census-forecast:{scope}:{last_day}:{digest}"
    points = cache.get(key)
    if points is None or len(points) < needed:
        horizon = max(forecast.HORIZON, -(-needed // FIT_STEP) * FIT_STEP)
        points = forecast.forecast(history, last_day=last_day, horizon=horizon)
        cache.set(key, points, CACHE_SECONDS)
    return points
