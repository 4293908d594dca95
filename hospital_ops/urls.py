from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import job_api, views

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("records/", include("records.urls")),
    path("staffing/", include("staffing.urls")),
    path("facilities/", include("facilities.urls")),
    path("finance/", include("finance.urls")),
    path("api/v1/records/", include("records.api.urls")),
    path("api/v1/staffing/", include("staffing.api.urls")),
    path("api/v1/facilities/", include("facilities.api.urls")),
    path("api/v1/finance/", include("finance.api.urls")),
    path("api/v1/reports/", include("reports.api.urls")),
    path("api/v1/jobs/<int:pk>/", job_api.job_detail, name="job-detail"),
    path("api/v1/jobs/<int:pk>/cancel/", job_api.job_cancel, name="job-cancel"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "hospital_ops.views.page_not_found"
handler500 = "hospital_ops.views.server_error"
