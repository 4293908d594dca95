"""Rosters and their setup over REST: reads through selectors, writes through services, scoped to
the caller. A state conflict answers 409, refused rights 403, a row out of scope 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.api_policy import KeysetPagination
from records.models import Employee

from .. import access, selectors, services, setup_services
from ..filters import (
    AssignmentFilter,
    LabourRulesFilter,
    PreferenceFilter,
    RequirementFilter,
    ScheduleFilter,
    ShiftTypeFilter,
    TimeOffFilter,
)
from ..models import Schedule
from . import serializers


@extend_schema(tags=["staffing"])
class StaffingViewSet(ScopedModelViewSet):
    """Scoped viewset of this app (schema tag)."""


    def answer(self, obj, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(self.reload(obj), context=self.get_serializer_context()).data)


# Setup ------------------------------------------------------------------------------------------


class ShiftTypeViewSet(StaffingViewSet):
    """A unit's shift types. Heads of the unit and operations managers change them; schedulers read."""

    serializer_class = serializers.ShiftTypeSerializer
    filterset_class = ShiftTypeFilter
    selector = staticmethod(selectors.shift_type_list)
    create_service = update_service = staticmethod(setup_services.save_shift_type)


class RequirementViewSet(StaffingViewSet):
    """How many people a unit needs on each shift: per weekday, or overridden for one date."""

    serializer_class = serializers.RequirementSerializer
    filterset_class = RequirementFilter
    selector = staticmethod(selectors.requirement_list)
    create_service = update_service = staticmethod(setup_services.save_requirement)


class LabourRulesViewSet(StaffingViewSet):
    """Labour rules: the hospital default, a unit's, or one employee's contract, with limits per shift type.
    Empty fields fall back employee → unit → hospital."""

    serializer_class = serializers.LabourRulesSerializer
    filterset_class = LabourRulesFilter
    selector = staticmethod(selectors.labour_rules_list)
    create_service = update_service = staticmethod(setup_services.save_labour_rules)
    update_check = staticmethod(setup_services.require_rules_manager)


# Schedules ----------------------------------------------------------------------------------------


def create_schedule(*, actor, data):
    return services.create_schedule(actor=actor, **data)


class ScheduleViewSet(StaffingViewSet):
    """Rosters and their approval: draft → submitted → approved → published (a rejection returns it to
    draft; a revision reopens a published roster). A state conflict answers 409."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.ScheduleSerializer
    filterset_class = ScheduleFilter
    selector = staticmethod(selectors.schedule_list)
    create_service = staticmethod(create_schedule)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the draft to the unit's heads for approval."""
        data = self._input(serializers.CommentSerializer)
        return self.answer(services.submit_schedule(actor=request.user, schedule=self.get_object(), **data))

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted roster (a head of the unit or an operations manager, not its submitter)."""
        data = self._input(serializers.CommentSerializer)
        return self.answer(services.approve_schedule(actor=request.user, schedule=self.get_object(), **data))

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send a submitted roster back to draft, saying why."""
        data = self._input(serializers.ReasonSerializer)
        return self.answer(services.reject_schedule(actor=request.user, schedule=self.get_object(), **data))

    @extend_schema(request=None, responses=serializers.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an approved roster to its staff."""
        return self.answer(services.publish_schedule(actor=request.user, schedule=self.get_object()))

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Reopen a published roster as the next revision's draft; it must be approved again."""
        data = self._input(serializers.ReasonSerializer)
        return self.answer(services.start_revision(actor=request.user, schedule=self.get_object(), **data))

    @extend_schema(request=None, responses=serializers.CopyResultSerializer)
    @action(detail=True, methods=["post"], url_path="copy-previous")
    def copy_previous(self, request, pk=None):
        """Fill the draft from the unit's previous roster; shifts that would break a hard rule are skipped
        and explained."""
        schedule = self.get_object()
        copied, skipped = services.copy_previous_roster(actor=request.user, schedule=schedule)
        result = {"schedule": self.reload(schedule), "copied": copied, "skipped": skipped}
        return Response(serializers.CopyResultSerializer(result, context=self.get_serializer_context()).data)

    @extend_schema(responses=serializers.CoverageRowSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def coverage(self, request, pk=None):
        """Required vs assigned people per day, shift type and skill."""
        checks = selectors.schedule_checks(self.get_object())
        return Response(serializers.CoverageRowSerializer(checks.coverage, many=True).data)

    @extend_schema(responses=serializers.ViolationSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def violations(self, request, pk=None):
        """Every labour rule the roster breaks: hard (refused) and soft (warnings)."""
        checks = selectors.schedule_checks(self.get_object())
        return Response(serializers.ViolationSerializer(checks.violations, many=True).data)


# Assignments ---------------------------------------------------------------------------------------


def rule_errors(*, actor, schedule: Schedule, changes) -> list[str]:
    """The hard-rule errors the service would answer for `changes`, saving nothing."""
    try:
        services.set_cells(actor=actor, schedule=schedule, changes=changes, dry_run=True)
    except DjangoValidationError as error:
        if any(e.code == services.CONFLICT for e in getattr(error, "error_list", [])):
            raise
        return error.messages
    return []


def write_cells(*, actor, schedule: Schedule, changes) -> dict:
    """Save cells through the service; the counts come from the roster as it stood under its lock."""
    written = services.write_cells(actor=actor, schedule=schedule, changes=changes)
    employees = {c.employee.pk: c.employee for c in changes}
    return {
        "schedule": schedule.pk,
        "created": written.created,
        "updated": written.updated,
        "cleared": written.cleared,
        "unchanged": written.unchanged,
        "warnings": selectors.describe_violations(written.warnings, employees),
    }


class AssignmentViewSet(StaffingViewSet):
    """Roster cells (shift assignments). Staff see their own shifts of published rosters. Write one cell
    with POST, or a whole roster at once with POST bulk/."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilter
    selector = staticmethod(selectors.assignment_list)
    pagination_class = KeysetPagination  # hundreds of thousands of cells: pages start after a key, not an offset
    keyset = selectors.ASSIGNMENT_ORDER

    def list(self, request, *args, **kwargs):
        """Cells as plain rows, written as AssignmentSerializer writes them."""
        rows = self.paginate_queryset(selectors.assignment_rows(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response([serializers.assignment_row(row) for row in rows])

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.AssignmentWriteSerializer
        if self.action == "bulk":
            return serializers.RosterBulkSerializer
        return serializers.AssignmentSerializer

    @extend_schema(
        request=serializers.AssignmentWriteSerializer,
        responses={201: serializers.RosterWriteResultSerializer, 200: serializers.RosterWriteResultSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Set one cell (or clear it with a null shift type). 201 when a shift was added, else 200."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = write_cells(actor=request.user, **serializer.validated_data)
        body = serializers.RosterWriteResultSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK)

    @extend_schema(
        request=serializers.RosterBulkSerializer,
        responses={
            200: serializers.RosterWriteResultSerializer,
            400: OpenApiResponse(
                description="Nothing saved. `cells` maps a cell's index to its field errors; "
                "`non_field_errors` lists the hard rules the good cells would break."
            ),
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Set (or clear) many cells of one roster at once, all or nothing. Every error is listed."""
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            errors = dict(serializer.errors)
            parsed = serializer.parsed
            if parsed.schedule is not None and parsed.changes:
                found = rule_errors(actor=request.user, schedule=parsed.schedule, changes=parsed.changes)
                if found:
                    errors["non_field_errors"] = [*errors.get("non_field_errors", []), *found]
            raise exceptions.ValidationError(errors)
        result = write_cells(actor=request.user, **serializer.validated_data)
        return Response(serializers.RosterWriteResultSerializer(result).data)


# Time off and preferences ------------------------------------------------------------------------------


def _employee_or_own(actor, employee: Employee | None) -> Employee:
    employee = employee or Employee.objects.filter(user_id=actor.pk).first()
    if employee is None:
        raise DjangoValidationError({"employee": "Choose the employee: you have no staff record of your own."})
    return employee


def request_time_off(*, actor, data):
    data = dict(data)
    return services.request_time_off(
        actor=actor,
        employee=_employee_or_own(actor, data.pop("employee", None)),
        kind=data.pop("kind", "vacation"),
        **data,
    )


class TimeOffViewSet(StaffingViewSet):
    """Time off requests: staff ask for themselves; the unit's heads approve or deny."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.TimeOffSerializer
    filterset_class = TimeOffFilter
    selector = staticmethod(selectors.time_off_list)
    create_service = staticmethod(request_time_off)

    def _decide(self, approve: bool, serializer_class=serializers.NoteSerializer):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        time_off = self.get_object()
        try:
            decided = services.decide_time_off(
                actor=self.request.user, time_off=time_off, approve=approve, **data.validated_data
            )
        except DjangoValidationError as error:
            if not services.is_rostered_refusal(error):
                raise
            shifts = serializers.RosteredShiftSerializer(
                selectors.rostered_shifts(time_off), many=True, context=self.get_serializer_context()
            )
            return Response({"non_field_errors": error.messages, "rostered_shifts": shifts.data}, status=400)
        return self.answer(decided)

    @extend_schema(
        request=serializers.TimeOffApprovalSerializer,
        responses={
            200: serializers.TimeOffSerializer,
            400: OpenApiResponse(
                description="Refused. When the person is rostered on those days, `rostered_shifts` lists each "
                "shift in date order with its roster, and `non_field_errors` says the way forward."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a request (a head of the employee's unit; never your own). Refused while the person is
        rostered on those days; with `remove_draft_shifts`, their shifts on draft rosters are removed."""
        return self._decide(True, serializers.TimeOffApprovalSerializer)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.TimeOffSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        """Deny a request, with a note for the employee."""
        return self._decide(False)

    @extend_schema(request=None, responses=serializers.RosteredShiftSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="rostered-shifts", pagination_class=None, filter_backends=[])
    def rostered_shifts(self, request, pk=None):
        """The shifts the person holds on the days of the request, in date order, with their rosters: what
        an approval would clash with. For those who see the person's rosters."""
        time_off = self.get_object()
        if not access.can_schedule(request.user, time_off.employee.department):
            raise exceptions.NotFound
        shifts = selectors.rostered_shifts(time_off)
        return Response(
            serializers.RosteredShiftSerializer(shifts, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=serializers.TimeOffSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw a request (requested or approved)."""
        return self.answer(services.cancel_time_off(actor=request.user, time_off=self.get_object()))


def set_preference(*, actor, data):
    data = dict(data)
    return services.set_preference(actor=actor, employee=_employee_or_own(actor, data.pop("employee", None)), **data)


class PreferenceViewSet(StaffingViewSet):
    """Shifts staff would like (or rather not) work; a second preference for the same shift and day
    replaces the first."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    serializer_class = serializers.PreferenceSerializer
    filterset_class = PreferenceFilter
    selector = staticmethod(selectors.preference_list)
    create_service = staticmethod(set_preference)

    def perform_destroy(self, instance):
        services.remove_preference(actor=self.request.user, preference=instance)
