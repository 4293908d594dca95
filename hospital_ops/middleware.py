"""Request logging with a request id, and session lifetime limits."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger("hospital_ops.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-_.]{8,64}$")


class RequestLogMiddleware:
    """One line per request: id, method, path (no query string), status, user id, duration.

    Query strings can carry names typed into a search box, so they never reach the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        response["X-Request-ID"] = request.id
        logger.info(
            "request_id=%s method=%s path=%s status=%s user=%s ms=%.1f",
            request.id, request.method, request.path, response.status_code, user_id, elapsed_ms,
        )
        return response


class SessionTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all."""

    SIGNED_IN_AT = "_signed_in_at"
    SEEN_AT = "_seen_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = timezone.now().timestamp()
            signed_in_at = request.session.setdefault(self.SIGNED_IN_AT, now)
            seen_at = request.session.get(self.SEEN_AT, now)
            idle = now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_old = now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_old:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?expired=1")
            if now - seen_at > 30 or self.SEEN_AT not in request.session:
                request.session[self.SEEN_AT] = now  # written at most every 30 s
        return self.get_response(request)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SessionTimeoutMiddleware.SIGNED_IN_AT] = now
        request.session[SessionTimeoutMiddleware.SEEN_AT] = now
