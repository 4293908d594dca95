"""Views that belong to no app: sign-in, health check, a job's progress panel and the plain error pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """A `next` pointing back at the sign-in page would loop for someone signed in: go home instead."""
        url = super().get_redirect_url()
        return "" if url.split("?")[0] == self.request.path else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context


@login_required
@require_GET
def job_progress(request, pk: int):
    """A background job's progress panel, polled by HTMX while it runs (404 outside the user's scope)."""
    from .models import Job

    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    return render(request, "partials/job_progress.html", {
        "job": job, "poll_url": reverse("job-progress", args=[job.pk]), "done_template": "partials/job_result.html",
    })


@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 when the database (and Redis, if configured) answer, else 503."""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        state["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            state["redis"] = "ok"
        except Exception:  # noqa: BLE001
            state["redis"] = "unavailable"
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
