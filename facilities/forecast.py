"""A unit's census for the next fortnight: exponential smoothing with weekly seasonality (statsmodels'
ETS, additive error and season), with a 95 % prediction interval. Fitted on the recent midnight census."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

HORIZON = 14
HISTORY = 84  # twelve weeks of midnight census to learn from
MIN_HISTORY = 21


@dataclass
class ForecastDay:
    day: dt.date
    expected: float
    low: float
    high: float


def forecast(history: list[float], *, last_day: dt.date, horizon: int = HORIZON) -> list[ForecastDay]:
    """The next `horizon` days after `last_day`, from daily `history` ending on `last_day`. Too short a
    history (under three weeks) gives the weekday means instead, with the observed spread."""
    history = [float(v) for v in history[-HISTORY:]]
    days = [last_day + dt.timedelta(days=n) for n in range(1, horizon + 1)]
    if len(history) < MIN_HISTORY or max(history, default=0) == min(history, default=0):
        level = sum(history) / len(history) if history else 0.0
        spread = (max(history) - min(history)) / 2 if history else 0.0
        return [ForecastDay(day, level, max(0.0, level - spread), level + spread) for day in days]
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    index = pd.date_range(end=pd.Timestamp(last_day), periods=len(history), freq="D")
    series = pd.Series(history, index=index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short, flat series
        fitted = ETSModel(series, error="add", trend=None, seasonal="add", seasonal_periods=7).fit(disp=False)
        frame = fitted.get_prediction(start=len(series), end=len(series) + horizon - 1).summary_frame(alpha=0.05)
    return [
        ForecastDay(day, *(max(0.0, float(row[column])) for column in ("mean", "pi_lower", "pi_upper")))
        for day, (_, row) in zip(days, frame.iterrows(), strict=True)
    ]
