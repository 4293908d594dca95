"""Shapes of census-driven staffing in the API: ratios, HPPD targets and the HPPD measure. They check types
and references only; the model's constraints and the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hospital_ops.serializers import ModelSerializer, VisiblePrimaryKeyField, choice_field
from records.models import Department

from ..models import HppdTarget, StaffingRatio
from ..ratio_forms import MAX_MONTHS
from .serializers import visible_shift_type


class RatioSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(
        model=Department, required=False, help_text=_("Defaults to the shift type's unit.")
    )
    shift_type = visible_shift_type()
    shift_type_code = serializers.CharField(source="shift_type.code", read_only=True)
    skill_code = serializers.CharField(source="skill.code", read_only=True, allow_null=True)
    basis = choice_field(StaffingRatio.Basis, "RatioBasis", required=False)

    class Meta:
        model = StaffingRatio
        fields = ["id", "department", "shift_type", "shift_type_code", "skill", "skill_code", "basis",
                  "patients_per_person", "hours_per_patient_day", "share_percent", "minimum", "effective_from",
                  "effective_until", "under_weight", "over_weight"]
        validators = []  # the model's own constraints answer duplicates, with their messages


class HppdTargetSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    department_code = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = HppdTarget
        fields = ["id", "department", "department_code", "effective_from", "hours_per_patient_day"]
        validators = []


class HppdQuerySerializer(serializers.Serializer):
    start = serializers.DateField(input_formats=["%Y-%m"], help_text=_("First month, as 2026-01."))
    end = serializers.DateField(input_formats=["%Y-%m"], help_text=_("Last month (inclusive), as 2026-06."))
    department = VisiblePrimaryKeyField(model=Department, required=False,
                                        help_text=_("A department and its units; leave out for all you run."))

    def validate(self, attrs):
        start, end = attrs["start"], attrs["end"]
        if end < start:
            raise serializers.ValidationError({"end": _("The last month cannot be before the first.")})
        if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            raise serializers.ValidationError({"end": _("Ask for at most %(n)s months.") % {"n": MAX_MONTHS}})
        return attrs


class HppdRowSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="unit.pk")
    department_code = serializers.CharField(source="unit.code")
    month = serializers.DateField()
    nursing_hours = serializers.DecimalField(source="figure.hours", max_digits=12, decimal_places=2)
    patient_days = serializers.IntegerField(source="figure.patient_days")
    hours_per_patient_day = serializers.DecimalField(source="figure.actual", max_digits=8, decimal_places=2,
                                                     allow_null=True)
    target = serializers.DecimalField(source="figure.target", max_digits=8, decimal_places=2, allow_null=True)
