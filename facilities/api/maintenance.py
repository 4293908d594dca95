"""Preventive maintenance plans and operating hours over REST, scoped like the equipment register: reads
through selectors, writes through services. A plan for one asset, or an asset's hours, out of the caller's
scope is a 404; a refused right is a 403."""

from __future__ import annotations

from rest_framework import serializers

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.serializers import ModelSerializer, VisiblePrimaryKeyField

from .. import equipment_selectors as selectors
from .. import equipment_services as services
from ..equipment_filters import MaintenancePlanFilter, OperatingHoursFilter
from ..models import Asset, MaintenancePlan, OperatingHours


class MaintenancePlanSerializer(ModelSerializer):
    asset = VisiblePrimaryKeyField(model=Asset, required=False, allow_null=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True, allow_null=True, default=None)
    asset_tag = serializers.CharField(source="asset.tag", read_only=True, allow_null=True, default=None)

    class Meta:
        model = MaintenancePlan
        fields = ["id", "name", "kind", "kind_name", "asset", "asset_tag", "tasks", "interval_days", "interval_hours",
                  "starts_on", "is_active"]
        validators = []  # rules between fields are the model's (and the database's) to answer


class MaintenancePlanViewSet(ScopedModelViewSet):
    """Preventive maintenance plans, per kind of equipment or per asset (every N days or N hours of use).
    Everyone with a role reads the plans of what they see; clinical engineering (technicians) and
    hospital-wide roles write them. A plan is stopped (`is_active: false`), never deleted."""

    serializer_class = MaintenancePlanSerializer
    filterset_class = MaintenancePlanFilter
    selector = staticmethod(selectors.maintenance_plan_list)
    create_service = update_service = staticmethod(services.save_maintenance_plan)


class OperatingHoursSerializer(ModelSerializer):
    asset = VisiblePrimaryKeyField(model=Asset)
    asset_tag = serializers.CharField(source="asset.tag", read_only=True)

    class Meta:
        model = OperatingHours
        fields = ["id", "asset", "asset_tag", "weekday", "opens", "hours"]
        validators = []  # one row per asset and weekday: the service answers a second one


class OperatingHoursViewSet(ScopedModelViewSet):
    """When each diagnostic asset is staffed to run, per weekday (0 is Monday): from `opens` for `hours`.
    Its heads, technicians and hospital-wide roles keep them; DELETE closes the weekday."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    serializer_class = OperatingHoursSerializer
    filterset_class = OperatingHoursFilter
    selector = staticmethod(selectors.operating_hours_list)
    create_service = update_service = staticmethod(services.save_operating_hours)

    def perform_destroy(self, instance):
        services.remove_operating_hours(actor=self.request.user, instance=instance)
