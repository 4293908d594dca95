"""Serializers of the auto-scheduler's API: generation runs, open shifts and swap requests."""

from rest_framework import serializers

from records.models import Employee

from ..models import Generation, OpenShift, Schedule, ShiftAssignment, ShiftType, SwapRequest
from ..scheduler_models import MAX_TIME_LIMIT, MIN_TIME_LIMIT


class GenerationSerializer(serializers.ModelSerializer):
    job = serializers.PrimaryKeyRelatedField(read_only=True)
    progress = serializers.IntegerField(source="job.progress", read_only=True)
    message = serializers.CharField(source="job.message", read_only=True)

    class Meta:
        model = Generation
        fields = ["id", "schedule", "mode", "keep", "time_limit", "fairness_weight", "state", "job", "progress",
                  "message", "score", "score_before", "best_bound", "hard_violations", "seconds", "trace",
                  "explanation", "before", "after", "absent", "created_at", "decided_at"]
        read_only_fields = [f for f in fields if f not in ("schedule", "keep", "time_limit")]


class GenerateSerializer(serializers.Serializer):
    schedule = serializers.PrimaryKeyRelatedField(queryset=Schedule.objects.all())
    keep = serializers.ChoiceField(choices=Generation.Keep.choices, default=Generation.Keep.ALL)
    time_limit = serializers.IntegerField(min_value=MIN_TIME_LIMIT, max_value=MAX_TIME_LIMIT, default=60)


class FindCoverSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    time_limit = serializers.IntegerField(min_value=MIN_TIME_LIMIT, max_value=MAX_TIME_LIMIT, default=30)


class OpenShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpenShift
        fields = ["id", "schedule", "shift_type", "date", "note", "status", "claimed_by", "claimed_at",
                  "posted_at", "decided_at"]
        read_only_fields = ["status", "claimed_by", "claimed_at", "posted_at", "decided_at"]
        extra_kwargs = {"schedule": {"queryset": Schedule.objects.all()},
                        "shift_type": {"queryset": ShiftType.objects.all()}}


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class SwapSerializer(serializers.ModelSerializer):
    class Meta:
        model = SwapRequest
        fields = ["id", "assignment", "offered_by", "offered_to", "in_return", "taken_by", "status", "note",
                  "refusal", "created_at", "decided_at"]
        read_only_fields = ["offered_by", "taken_by", "status", "refusal", "created_at", "decided_at"]
        extra_kwargs = {"assignment": {"queryset": ShiftAssignment.objects.all()},
                        "in_return": {"queryset": ShiftAssignment.objects.all()},
                        "offered_to": {"queryset": Employee.objects.all()}}
