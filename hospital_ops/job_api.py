"""The one status endpoint of background jobs: GET /api/v1/jobs/<id>/, POST /api/v1/jobs/<id>/cancel/."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import jobs
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    scope = serializers.CharField(read_only=True, help_text='"hospital" or a department id.')
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    cancel_requested = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "kind", "kind_label", "scope", "owner", "status", "progress", "message", "result", "error",
            "created_at", "started_at", "finished_at", "cancel_requested", "can_cancel",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_kind_label(self, job) -> str:
        return jobs.kind_of(job).label

    @extend_schema_field(serializers.BooleanField())
    def get_cancel_requested(self, job) -> bool:
        return job.cancel_requested_at is not None

    @extend_schema_field(serializers.BooleanField(help_text="The kind allows it and the job has not finished."))
    def get_can_cancel(self, job) -> bool:
        return jobs.kind_of(job).cancellable and not job.is_finished


class JobAccess(permissions.BasePermission):
    """Signed in; an integration's token follows the jobs of the apps it holds a scope for (the
    queryset leaves the others out, so they answer 404)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A background job's status, progress and result, for its owner and those who may see its scope."""

    serializer_class = JobSerializer
    permission_classes = [JobAccess]

    def get_queryset(self):
        queryset = Job.objects.visible_to(self.request.user).select_related("owner")
        token = self.request.auth
        if token is not None and hasattr(token, "allows"):
            write = self.request.method not in permissions.SAFE_METHODS
            queryset = queryset.filter(
                kind__in=[key for key, kind in jobs.KINDS.items() if token.allows(kind.app, write=write)]
            )
        return queryset

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stop the job, where its kind allows it: a queued job at once, a running one at its next step."""
        job = jobs.request_cancel(job=self.get_object(), actor=request.user)
        return Response(JobSerializer(job, context=self.get_serializer_context()).data)


job_detail = JobViewSet.as_view({"get": "retrieve"})
job_cancel = JobViewSet.as_view({"post": "cancel"})
