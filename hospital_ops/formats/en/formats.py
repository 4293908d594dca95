"""How every page shows dates and times: "2 Dec 2026", "2 Dec 2026, 14:05", the 24-hour clock.

Django reads these through FORMAT_MODULE_PATH before its own English formats ("Dec. 2, 2026"), so a
bare `{{ day }}` or `{{ day|date }}` looks the same as any other date in the suite. Templates name a
format only for a shorter or longer form of the same style ("Wed 2 Dec", "December 2026").
Input formats are Django's own (ISO dates first).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
