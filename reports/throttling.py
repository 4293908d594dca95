"""Ten report requests an hour per user, counted in Django's default cache, for the API and the page alike."""

from __future__ import annotations

import math

from rest_framework.throttling import UserRateThrottle

RATE = "10/hour"


class ReportRequestThrottle(UserRateThrottle):
    scope = "report_requests"
    rate = RATE

    def get_cache_key(self, request, view):
        # The same key whether the request came through the API or the page form.
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def refusal(wait: float | None) -> str:
    minutes = max(1, math.ceil((wait or 60) / 60))
    return (
        f"You have requested 10 reports in the last hour, the most allowed. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, or find earlier reports in the archive."
    )


def allow_page_request(request) -> tuple[bool, str]:
    """(allowed, refusal message) for a report request made through the page form."""
    throttle = ReportRequestThrottle()
    if throttle.allow_request(request, None):
        return True, ""
    return False, refusal(throttle.wait())
