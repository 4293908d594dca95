"""Beds, stays and ADT events over REST. Beds and stays are read (and beds kept) through the scoped
viewsets; ADT events from the hospital's systems come in at `adt/`, stored as received and applied once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.serializers import ModelSerializer, UserNameField, VisiblePrimaryKeyField, choice_field
from records.models import Department

from .. import access, adt, bed_selectors, bed_services
from ..models import AdtEvent, Bed, PatientStay, Room

MAX_BODY_CHARS = 20_000


class BedSerializer(ModelSerializer):
    room = VisiblePrimaryKeyField(model=Room)
    unit = VisiblePrimaryKeyField(model=Department, required=False)
    kind = choice_field(Bed.Kind, "BedKind", required=False)
    status = serializers.CharField(read_only=True)
    status_changed_by = UserNameField()
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Bed
        fields = [
            "id", "name", "room", "unit", "label", "kind", "isolation", "negative_pressure", "oxygen", "telemetry",
            "bariatric", "is_staffed", "is_active", "status", "status_changed_at", "status_changed_by",
            "status_reason", "blocked_until",
        ]
        read_only_fields = ["status_changed_at", "status_reason", "blocked_until"]


class BedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(bed_services.MANUAL_STATUSES))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class StaySerializer(ModelSerializer):
    bed_name = serializers.SerializerMethodField()

    class Meta:
        model = PatientStay
        fields = [
            "id", "encounter_number", "mrn", "unit", "bed", "bed_name", "status", "needs_kind", "needs_isolation",
            "waiting_since", "waiting_location", "admitted_at", "discharged_at", "expected_discharge",
        ]
        read_only_fields = fields

    def get_bed_name(self, stay) -> str:
        return str(stay.bed) if stay.bed_id else ""


def create_bed(*, actor, data):
    return bed_services.save_bed(actor=actor, data=data)


def update_bed(*, actor, data, bed):
    return bed_services.save_bed(actor=actor, data=data, instance=bed)


@extend_schema(tags=["facilities"])
class BedViewSet(ScopedModelViewSet):
    """Beds of the units the caller sees, with their status. Heads of the unit and hospital-wide roles add
    and change beds, and block or release them (`status/`)."""

    serializer_class = BedSerializer
    selector = staticmethod(bed_selectors.bed_list)
    create_service = staticmethod(create_bed)
    update_service = staticmethod(update_bed)
    object_name = "bed"
    filterset_fields = ["unit", "status", "kind", "room"]

    @extend_schema(request=BedStatusSerializer, responses=BedSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        bed = self.get_object()
        form = BedStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        bed = bed_services.change_bed_status(actor=request.user, bed=bed, **form.validated_data)
        return Response(BedSerializer(self.reload(bed), context=self.get_serializer_context()).data)


@extend_schema(tags=["facilities"])
class StayViewSet(viewsets.ReadOnlyModelViewSet):
    """Patient stays (pseudonymous: encounter number and MRN as received) in the caller's units. Every read
    is recorded in the stay access log."""

    serializer_class = StaySerializer
    filterset_fields = ["unit", "status", "bed"]

    def get_queryset(self):
        return bed_selectors.stay_list(self.request.user).order_by("pk")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if response.status_code == 200 and isinstance(data, dict):
            rows = data.get("results", [data])
            numbers = [row.get("encounter_number") for row in rows if isinstance(row, dict)]
            bed_selectors.record_stay_access(request.user, request.path, numbers)
        return response


class AdtEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=adt.EVENTS)
    event_id = serializers.CharField(max_length=80)
    event_time = serializers.DateTimeField()
    encounter_number = serializers.CharField(max_length=40)
    mrn = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    bed = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    expected_discharge = serializers.DateField(required=False, allow_null=True, default=None)
    needs_kind = serializers.ChoiceField(choices=Bed.Kind.choices, required=False, allow_blank=True, default="")
    needs_isolation = serializers.BooleanField(required=False, allow_null=True, default=None)
    waiting_location = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    def validate_event_time(self, value):
        try:
            adt.check_time(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(" ".join(error.messages)) from error
        return value

    def validate(self, data):
        if data["event"] in ("admit", "pre-admit") and not data["mrn"]:
            raise serializers.ValidationError({"mrn": "An admission needs the patient's MRN."})
        if data["event"] == "pre-admit" and not data["unit"]:
            raise serializers.ValidationError({"unit": "A pre-admission needs the unit the patient waits for."})
        if data["event"] == "admit" and not (data["bed"] or data["unit"]):
            raise serializers.ValidationError({"bed": "An admission needs a bed (or a unit to wait for one)."})
        if data["event"] == "transfer" and not data["bed"]:
            raise serializers.ValidationError({"bed": "A transfer needs the bed the patient moves to."})
        expected = data.get("expected_discharge")
        if expected is not None and not 2000 <= expected.year <= 2100:
            raise serializers.ValidationError({"expected_discharge": "Choose a date between 2000 and 2100."})
        return data

    def message(self) -> adt.AdtMessage:
        data = dict(self.validated_data)
        return adt.AdtMessage(sender_event_id=data.pop("event_id"), **data)


class AdtResultSerializer(serializers.ModelSerializer):
    event_id = serializers.CharField(source="sender_event_id")
    stay = StaySerializer(read_only=True, allow_null=True)

    class Meta:
        model = AdtEvent
        fields = ["id", "event_id", "event_type", "event_time", "encounter_number", "received_at", "outcome",
                  "detail", "stay"]


@extend_schema(tags=["facilities"])
class AdtView(APIView):
    """Admission, transfer and discharge events from the hospital's systems. 201: applied; 200: a repeat of
    an event id already received (the first result); 409: refused, with the reason (an event older than the
    last one applied to its encounter, a bed already taken…); 400: malformed. Every event is stored as
    received, whatever the answer."""

    api_app = "facilities"

    @extend_schema(
        request=AdtEventSerializer,
        responses={201: AdtResultSerializer, 200: AdtResultSerializer, 409: AdtResultSerializer,
                   400: OpenApiResponse(description="Malformed event")},
    )
    def post(self, request):
        if not access.can_send_adt(request.user):
            raise exceptions.PermissionDenied("Only the hospital's integration accounts send ADT events.")
        body = request.body.decode("utf-8", errors="replace")[:MAX_BODY_CHARS]
        data = request.data
        form = AdtEventSerializer(data=data if isinstance(data, dict) else {})
        if not isinstance(data, dict) or not form.is_valid():
            errors = form.errors if isinstance(data, dict) else {"non_field_errors": ["Send one event object."]}
            event_id = data.get("event_id") if isinstance(data, dict) and isinstance(data.get("event_id"), str) else ""
            stored = adt.store_malformed(channel=AdtEvent.Channel.REST, body=body, detail=str(errors),
                                         actor=request.user, sender_event_id=event_id[:80])
            if stored.outcome != AdtEvent.Outcome.MALFORMED:
                return Response(AdtResultSerializer(stored).data, status=status.HTTP_200_OK)
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            outcome = adt.receive(form.message(), channel=AdtEvent.Channel.REST, body=body, actor=request.user)
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied() from denied
        answer = AdtResultSerializer(outcome.event).data
        if outcome.repeated:
            return Response(answer, status=status.HTTP_200_OK)
        return Response(answer, status=status.HTTP_201_CREATED if outcome.applied else status.HTTP_409_CONFLICT)
