"""The census forecast on synthetic data with a weekly pattern: within one patient on average, and the
truth inside the interval."""

import datetime as dt
import random

from facilities.forecast import forecast

WEEK = [24, 25, 25, 24, 22, 17, 16]  # Monday … Sunday: fewer patients at weekends


def synthetic(days, seed=7):
    rng = random.Random(seed)
    start = dt.date(2026, 1, 5)  # a Monday
    return [WEEK[(start + dt.timedelta(days=n)).weekday()] + rng.gauss(0, 0.8) for n in range(days)], start


def test_it_learns_the_weekly_pattern_within_a_patient():
    values, start = synthetic(84 + 14)
    history, truth = values[:84], values[84:]
    result = forecast(history, last_day=start + dt.timedelta(days=83))
    assert [day.day for day in result][0] == start + dt.timedelta(days=84)
    error = sum(abs(day.expected - actual) for day, actual in zip(result, truth, strict=True)) / len(truth)
    assert error < 1.0, error
    inside = sum(day.low <= actual <= day.high for day, actual in zip(result, truth, strict=True))
    assert inside >= 12  # a 95 % interval holds nearly every day
    assert all(day.high - day.low < 8 for day in result)


def test_a_short_history_falls_back_to_its_mean():
    result = forecast([10, 12, 11], last_day=dt.date(2026, 1, 3))
    assert len(result) == 14 and result[0].expected == 11 and result[0].low == 10
