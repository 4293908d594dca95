"""Equipment, work orders, usage sessions and findings over REST: reads through selectors, writes through
services, scoped to the caller. A state conflict answers 409, a refused right 403, a row out of scope 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.serializers import ModelSerializer, UserNameField, VisiblePrimaryKeyField, choice_field
from records.models import Department

from .. import access, inspection_selectors, inspection_services
from .. import equipment_selectors as selectors
from .. import equipment_services as services
from ..equipment_filters import AssetFilter, WorkOrderFilter
from ..models import Asset, Criticality, Finding, Room, UsageSession, WorkOrder


class AssetSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    room = VisiblePrimaryKeyField(model=Room, required=False, allow_null=True)
    criticality = choice_field(Criticality, "AssetCriticality", required=False)
    status = choice_field(Asset.Status, "AssetStatus", required=False)
    kind_name = serializers.CharField(source="kind.name", read_only=True)

    class Meta:
        model = Asset
        fields = ["id", "tag", "kind", "kind_name", "manufacturer", "model_name", "serial_number", "department",
                  "room", "criticality", "acquired_on", "acquisition_cost", "expected_life_years", "status", "notes"]
        validators = []  # rules between rows are the service's (and the database's) to answer


def save_asset(*, actor, data, instance=None):
    return services.save_asset(actor=actor, data=data, instance=instance)


class AssetViewSet(ScopedModelViewSet):
    """The equipment register. Heads keep their departments' assets; technicians and managers all."""

    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    selector = staticmethod(selectors.asset_list)
    create_service = update_service = staticmethod(save_asset)


class WorkOrderSerializer(ModelSerializer):
    asset = VisiblePrimaryKeyField(model=Asset)
    priority = choice_field(WorkOrder.Priority, "WorkOrderPriority", required=False)
    kind = choice_field(WorkOrder.Kind, "WorkOrderKind", read_only=True)
    status = choice_field(WorkOrder.Status, "WorkOrderStatus", read_only=True)
    assigned_to = UserNameField()
    completed_by = UserNameField()
    verified_by = UserNameField()

    class Meta:
        model = WorkOrder
        fields = ["id", "asset", "kind", "plan", "due_on", "priority", "status", "title", "description",
                  "takes_out_of_service", "assigned_to", "completed_by", "verified_by", "created_at", "assigned_at",
                  "started_at", "completed_at", "verified_at", "downtime_start", "downtime_end", "labour_hours",
                  "parts_cost", "notes"]
        read_only_fields = ["plan", "due_on", "created_at", "assigned_at", "started_at", "completed_at",
                            "verified_at", "downtime_start", "downtime_end", "labour_hours", "parts_cost", "notes"]


class HoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CompleteSerializer(serializers.Serializer):
    labour_hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=2000)
    parts_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, max_value=99999999,
                                          required=False, default=0)
    notes = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


def report_fault(*, actor, data):
    return services.report_fault(actor=actor, **data)


class WorkOrderViewSet(ScopedModelViewSet):
    """Work orders: report a fault (POST), then assign → start → hold → complete → verify."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = WorkOrderSerializer
    filterset_class = WorkOrderFilter
    selector = staticmethod(selectors.work_order_list)
    create_service = staticmethod(report_fault)

    def _answer(self, order):
        return Response(self.get_serializer(self.reload(order)).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=None, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Take the work order (assigned to the caller)."""
        return self._answer(services.assign_work_order(actor=request.user, work_order=self.get_object(),
                                                       assignee=request.user))

    @extend_schema(request=None, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start (or resume) the work: the asset goes under maintenance."""
        return self._answer(services.start_work_order(actor=request.user, work_order=self.get_object()))

    @extend_schema(request=HoldSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Put on hold (waiting for parts)."""
        data = self._input(HoldSerializer)
        return self._answer(services.hold_work_order(actor=request.user, work_order=self.get_object(), **data))

    @extend_schema(request=CompleteSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete with labour hours and parts cost: the asset returns to service."""
        data = self._input(CompleteSerializer)
        return self._answer(services.complete_work_order(actor=request.user, work_order=self.get_object(), **data))

    @extend_schema(request=None, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Accept completed work (not by whoever completed it)."""
        return self._answer(services.verify_work_order(actor=request.user, work_order=self.get_object()))


class UsageSessionSerializer(ModelSerializer):
    asset = VisiblePrimaryKeyField(model=Asset)

    class Meta:
        model = UsageSession
        fields = ["id", "sender_id", "asset", "starts_at", "ends_at", "exam_type"]
        validators = []
        extra_kwargs = {"sender_id": {"validators": []}}  # a known sender id is skipped, not refused

    def validate_starts_at(self, value):
        if not 2000 <= value.year <= 2100:
            raise serializers.ValidationError("Choose a time between 2000 and 2100.")
        return value

    def validate_ends_at(self, value):
        return self.validate_starts_at(value)


class UsageBatchSerializer(serializers.Serializer):
    sessions = UsageSessionSerializer(many=True, max_length=5000, allow_empty=False)


class UsageResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()


class UsageSessionViewSet(ScopedModelViewSet):
    """Usage sessions of diagnostic equipment. POST `{"sessions": [...]}` (up to 5,000); a sender id
    already known is skipped, so a resend changes nothing; overlapping sessions of one asset are refused."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = UsageSessionSerializer
    selector = staticmethod(lambda user: UsageSession.objects.visible_to(user).order_by("-starts_at", "-pk"))

    @extend_schema(request=UsageBatchSerializer, responses={201: UsageResultSerializer})
    def create(self, request, *args, **kwargs):
        batch = UsageBatchSerializer(data=request.data, context=self.get_serializer_context())
        batch.is_valid(raise_exception=True)
        if not access.can_browse_equipment(request.user):
            raise PermissionDenied
        result = services.record_usage_sessions(actor=request.user, rows=list(batch.validated_data["sessions"]))
        return Response(result, status=status.HTTP_201_CREATED)


class FindingSerializer(ModelSerializer):
    owner = UserNameField()
    done_by = UserNameField()
    verified_by = UserNameField()

    class Meta:
        model = Finding
        fields = ["id", "inspection", "area", "severity", "status", "building", "department", "location",
                  "regulation_reference", "description", "action", "owner", "due_on", "work_order", "done_by",
                  "done_at", "done_note", "verified_by", "verified_at", "created_at"]
        read_only_fields = fields


class DoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspection findings (read) and their corrective actions: done by the owner, verified by someone else.
    Findings are opened by completing an inspection, never posted; out of scope is 404."""

    serializer_class = FindingSerializer

    def get_queryset(self):
        return inspection_selectors.finding_list(self.request.user)

    @extend_schema(request=DoneSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """The corrective action is done."""
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = inspection_services.complete_action(actor=request.user, finding=self.get_object(),
                                                      note=data.validated_data["note"])
        return Response(self.get_serializer(finding).data)

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verify the done action and close the finding (four eyes)."""
        finding = inspection_services.verify_finding(actor=request.user, finding=self.get_object())
        return Response(self.get_serializer(finding).data)
