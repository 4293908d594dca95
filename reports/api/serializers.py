from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ReportKind, ReportRun


@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(ReportKind.values)})$",
                      "description": ", ".join(ReportKind.values)})
class ReportKindField(serializers.ChoiceField):
    """The report type, described inline: "kind" names other choice sets elsewhere in the API."""

    def __init__(self, **kwargs):
        super().__init__(choices=ReportKind.choices, **kwargs)


class ReportRunSerializer(serializers.ModelSerializer):
    kind = ReportKindField(read_only=True)
    scope_label = serializers.CharField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    workbook_url = serializers.SerializerMethodField(help_text="The full named list (Excel), when the run has one.")
    job = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The background job building it: /api/v1/jobs/<id>/."
    )

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "period", "period_start", "period_end", "scope", "scope_label", "status", "progress",
            "requested_by", "requested_at", "started_at", "finished_at", "size", "sha256", "pages", "error",
            "attempts", "provisional", "job", "status_url", "download_url", "workbook_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_status_url(self, run) -> str:
        return self.context["request"].build_absolute_uri(reverse("reports-api:run-detail", args=[run.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, run) -> str | None:
        if run.status != ReportRun.Status.SUCCEEDED:
            return None
        return self.context["request"].build_absolute_uri(reverse("reports-api:run-download", args=[run.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_workbook_url(self, run) -> str | None:
        if run.status != ReportRun.Status.SUCCEEDED or not run.workbook:
            return None
        return self.context["request"].build_absolute_uri(reverse("reports-api:run-full-list", args=[run.pk]))


class ReportRequestSerializer(serializers.Serializer):
    kind = ReportKindField()
    period = serializers.RegexField(r"^\d{4}-(\d{2}|W\d{2})$", help_text="2026-03 for a month, 2026-W09 for a week.")
    scope = serializers.RegexField(r"^(hospital|\d+)$", help_text='"hospital" or a department id.')
    regenerate = serializers.BooleanField(
        default=False, help_text="Build a report that already exists again, replacing its file."
    )


class ReportRunAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    status_url = serializers.URLField()
    queued = serializers.BooleanField(help_text="False when an existing run answered the request.")
