"""The auto-scheduler's API: generation runs (start, find cover, accept, discard, cancel), open shifts
(post, claim, decide) and swap requests (offer, accept, decide). Writes go through the services;
another department's rows are not found (404)."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from records.models import Employee

from .. import access, cover_services, generation_services, selectors
from ..models import Generation, OpenShift, ShiftAssignment, SwapRequest
from . import scheduler_serializers as s
from .views import StaffingViewSet


def _own_employee(user) -> Employee:
    employee = Employee.objects.filter(user_id=user.pk).first()
    if employee is None:
        raise exceptions.PermissionDenied("Only staff with an employee record can do this.")
    return employee


def generation_list(user):
    if not access.uses_rosters(user):
        return Generation.objects.none()
    schedules = selectors.schedule_list(user)
    return Generation.objects.filter(schedule__in=schedules).select_related("job").order_by("-created_at", "-pk")


def open_shift_list(user):
    own = Employee.objects.filter(user_id=user.pk).values_list("department_id", flat=True)
    mine = Q(schedule__department_id__in=list(own), status__in=[OpenShift.Status.OPEN, OpenShift.Status.CLAIMED])
    mine |= Q(claimed_by__user_id=user.pk)
    return (OpenShift.objects.filter(Q(pk__in=OpenShift.objects.visible_to(user).values("pk")) | mine)
            .order_by("date", "pk"))


def swap_list(user):
    own = Employee.objects.filter(user_id=user.pk).values_list("department_id", flat=True)
    mine = (Q(offered_by__user_id=user.pk) | Q(offered_to__user_id=user.pk) | Q(taken_by__user_id=user.pk)
            | Q(offered_to__isnull=True, status=SwapRequest.Status.OFFERED,
                assignment__schedule__department_id__in=list(own)))
    return (SwapRequest.objects.filter(Q(pk__in=SwapRequest.objects.visible_to(user).values("pk")) | mine)
            .order_by("-created_at", "-pk"))


class GenerationViewSet(StaffingViewSet):
    """Runs of the auto-scheduler on draft rosters. POST starts one (one open run per roster: 409 for a
    second); its job's progress is at /api/v1/jobs/<job>/."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = s.GenerationSerializer
    selector = staticmethod(generation_list)

    @extend_schema(request=s.GenerateSerializer, responses=s.GenerationSerializer)
    def create(self, request, *args, **kwargs):
        data = s.GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = selectors.schedule_list(request.user).filter(pk=data.validated_data["schedule"].pk).first()
        if schedule is None:
            raise exceptions.NotFound()
        run = generation_services.start_generation(
            actor=request.user, schedule=schedule, keep=data.validated_data["keep"],
            time_limit=data.validated_data["time_limit"])
        return Response(self.get_serializer(self.reload(run)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FindCoverSerializer, responses=s.GenerationSerializer)
    @action(detail=False, methods=["post"], url_path="find-cover")
    def find_cover(self, request):
        """Re-optimise a roster without one person for some days, moving as few people as possible; a
        published roster is reopened as a revision. The head accepts the result."""
        data = s.FindCoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = selectors.schedule_list(request.user).filter(pk=request.data.get("schedule") or 0).first() \
            if str(request.data.get("schedule", "")).isdigit() else None
        if schedule is None:
            raise exceptions.NotFound()
        run = cover_services.find_cover(actor=request.user, schedule=schedule, **data.validated_data)
        return Response(self.get_serializer(self.reload(run)).data, status=status.HTTP_201_CREATED)

    def _act(self, service):
        return self.answer(service(actor=self.request.user, generation=self.get_object()))

    @extend_schema(request=None, responses=s.GenerationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(generation_services.accept_generation)

    @extend_schema(request=None, responses=s.GenerationSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return self._act(generation_services.discard_generation)

    @extend_schema(request=None, responses=s.GenerationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(generation_services.cancel_generation)


class OpenShiftViewSet(StaffingViewSet):
    """Unfilled shifts a head posts; eligible staff claim them (the first wins) and the head decides."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = s.OpenShiftSerializer
    queryset = OpenShift.objects.none()  # the schema's model; rows come from the selector
    selector = staticmethod(open_shift_list)

    def perform_create(self, serializer):
        data = serializer.validated_data
        schedule = selectors.schedule_list(self.request.user).filter(pk=data["schedule"].pk).first()
        if schedule is None:
            raise exceptions.NotFound()
        serializer.instance = cover_services.post_open_shift(
            actor=self.request.user, schedule=schedule, shift_type=data["shift_type"], day=data["date"],
            note=data.get("note", ""))

    @extend_schema(request=None, responses=s.OpenShiftSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        employee = _own_employee(request.user)
        return self.answer(cover_services.claim_open_shift(actor=request.user, open_shift=self.get_object(),
                                                           employee=employee))

    @extend_schema(request=s.DecisionSerializer, responses=s.OpenShiftSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(cover_services.decide_open_shift(actor=request.user, open_shift=self.get_object(),
                                                            approve=data.validated_data["approve"]))


class SwapViewSet(StaffingViewSet):
    """Shift swaps: offer one of one's published shifts, a colleague accepts, the head decides."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = s.SwapSerializer
    queryset = SwapRequest.objects.none()  # the schema's model; rows come from the selector
    selector = staticmethod(swap_list)

    def perform_create(self, serializer):
        data = serializer.validated_data
        mine = ShiftAssignment.objects.filter(pk=data["assignment"].pk, employee__user_id=self.request.user.pk).first()
        if mine is None:
            raise exceptions.NotFound()
        serializer.instance = cover_services.offer_swap(
            actor=self.request.user, assignment=mine, to=data.get("offered_to"), in_return=data.get("in_return"),
            note=data.get("note", ""))

    @extend_schema(request=None, responses=s.SwapSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        employee = _own_employee(request.user)
        return self.answer(cover_services.accept_swap(actor=request.user, swap=self.get_object(), employee=employee))

    @extend_schema(request=s.DecisionSerializer, responses=s.SwapSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(cover_services.decide_swap(actor=request.user, swap=self.get_object(),
                                                      approve=data.validated_data["approve"]))
