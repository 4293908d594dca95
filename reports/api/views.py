"""Report runs over REST: list and read (scoped), request (202 + status URL), download (recorded)."""

import django_filters
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from .. import selectors, services
from ..models import ReportKind, ReportRun
from ..throttling import ReportRequestThrottle, refusal
from ..views import XLSX, serve_download, serve_workbook
from . import serializers


class ReportRunFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, help_text=", ".join(ReportKind.values))

    class Meta:
        model = ReportRun
        fields = ["kind", "status", "period", "scope"]


class PDFRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the file itself goes out as a FileResponse."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XLSXRenderer(PDFRenderer):
    """Lets a client ask for the workbook's type; the file goes out as a FileResponse."""

    media_type = XLSX
    format = "xlsx"


class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Report runs the caller may see, newest period first."""

    api_app = "reports"
    serializer_class = serializers.ReportRunSerializer
    filterset_class = ReportRunFilter

    def get_queryset(self):
        return selectors.run_list(self.request.user)

    def get_throttles(self):
        return [ReportRequestThrottle()] if self.action == "create" else []

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait=wait, detail=refusal(wait))

    def handle_exception(self, exc):
        """Errors answer in JSON, also to a client that asked for the PDF."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return response

    @extend_schema(
        request=serializers.ReportRequestSerializer,
        responses={202: serializers.ReportRunAcceptedSerializer},
        description="Queue a report (or find the one already queued or built for that type, period and scope). "
        "Poll `status_url` for progress; ten requests an hour per user.",
    )
    def create(self, request):
        form = serializers.ReportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        run, queued = services.request_report(requested_by=request.user, **form.validated_data)
        status_url = request.build_absolute_uri(reverse("reports-api:run-detail", args=[run.pk]))
        body = {"id": run.pk, "status": run.status, "progress": run.progress, "status_url": status_url,
                "queued": queued}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report PDF.")},
        description="The PDF of a finished run. Each download is recorded (who, when, from where).",
    )
    @action(detail=True, methods=["get"], url_path="download", renderer_classes=[JSONRenderer, PDFRenderer])
    def download(self, request, pk=None) -> FileResponse:
        return serve_download(request, self.get_object())

    @extend_schema(
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The named list, Excel.")},
        description="The full named list built beside the PDF in the same run (compliance reports); 404 for "
        "runs without one. Each download is recorded.",
    )
    @action(detail=True, methods=["get"], url_path="full-list", renderer_classes=[JSONRenderer, XLSXRenderer])
    def full_list(self, request, pk=None) -> FileResponse:
        return serve_workbook(request, self.get_object())
