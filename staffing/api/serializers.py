"""Shapes of rosters and their setup in the API. They check types and references only: every rule
(rights, states, labour rules, coverage) lives in the services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from hospital_ops.filters import LARGEST_ID
from hospital_ops.serializers import ModelSerializer, UserNameField, VisiblePrimaryKeyField, choice_field
from records.models import Department, Employee

from .. import rules, selectors
from ..models import (
    NOTE_MAX_LENGTH,
    LabourRules,
    Schedule,
    ShiftAssignment,
    ShiftPreference,
    ShiftType,
    ShiftTypeLimit,
    StaffingRequirement,
    TimeOff,
)
from ..services import CellChange

MAX_CELLS = 20_000  # a large unit (300 people) over the longest roster (63 days)


def visible_shift_type(**kwargs):
    return VisiblePrimaryKeyField(model=ShiftType, selector=selectors.shift_type_list, **kwargs)


# Setup ------------------------------------------------------------------------------------------


class ShiftTypeSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    department_code = serializers.CharField(source="department.code", read_only=True)
    forbidden_successors = visible_shift_type(
        many=True, required=False, help_text=_("Shift types of the same unit that may not follow this one next day.")
    )

    class Meta:
        model = ShiftType
        fields = [
            "id",
            "department",
            "department_code",
            "code",
            "name",
            "start_time",
            "duration_minutes",
            "paid_minutes",
            "is_night",
            "colour",
            "forbidden_successors",
            "required_skill",
            "required_credential",
            "is_active",
        ]
        validators = []  # the model's own constraints answer duplicates, with their messages


class RequirementSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(
        model=Department, required=False, help_text=_("Defaults to the shift type's unit.")
    )
    shift_type = visible_shift_type()
    shift_type_code = serializers.CharField(source="shift_type.code", read_only=True)
    skill_code = serializers.CharField(source="skill.code", read_only=True, allow_null=True)

    class Meta:
        model = StaffingRequirement
        fields = [
            "id",
            "department",
            "shift_type",
            "shift_type_code",
            "skill",
            "skill_code",
            "weekday",
            "on_date",
            "required_count",
            "under_weight",
            "over_weight",
        ]
        validators = []


class ShiftLimitSerializer(serializers.ModelSerializer):
    shift_type = visible_shift_type()
    shift_type_code = serializers.CharField(source="shift_type.code", read_only=True)

    class Meta:
        model = ShiftTypeLimit
        fields = ["shift_type", "shift_type_code", "max_shifts"]
        validators = []

    def validate(self, attrs):
        # The rows replace every limit, so each is whole even in a PATCH of the rules.
        missing = {name: [_("This field is required.")] for name in ("shift_type", "max_shifts") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class LabourRulesSerializer(serializers.ModelSerializer):
    scope = choice_field(LabourRules.Scope, "LabourRulesScope")
    department = VisiblePrimaryKeyField(model=Department, required=False, allow_null=True)
    employee = VisiblePrimaryKeyField(model=Employee, required=False, allow_null=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True, allow_null=True)
    shift_limits = ShiftLimitSerializer(
        many=True, required=False, help_text=_("Replaces every limit when given; leave out to keep them.")
    )

    class Meta:
        model = LabourRules
        fields = ["id", "scope", "department", "employee", "employee_name", *LabourRules.RULE_FIELDS, "shift_limits"]
        validators = []


# Schedules ----------------------------------------------------------------------------------------


class ScheduleSerializer(serializers.ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    department_code = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status = choice_field(Schedule.Status, "ScheduleStatus", read_only=True)
    created_by_name = UserNameField(source="created_by")
    submitted_by_name = UserNameField(source="submitted_by")
    decided_by_name = UserNameField(source="decided_by")

    class Meta:
        model = Schedule
        fields = [
            "id",
            "department",
            "department_code",
            "department_name",
            "start_date",
            "end_date",
            "status",
            "revision",
            "comment",
            "created_by",
            "created_by_name",
            "created_at",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "rejection_reason",
            "approval_comment",
            "revision_reason",
            "published_at",
        ]
        read_only_fields = [
            "revision",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "approval_comment",
            "revision_reason",
            "published_at",
        ]
        validators = []  # overlapping periods are refused by the service, with its message


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)


class TimeOffApprovalSerializer(NoteSerializer):
    remove_draft_shifts = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Take the person's shifts on those days off their draft rosters (the cells stay open for "
                    "cover) and approve. Refused while any of the shifts is on a roster past draft."),
    )


class RosteredShiftSerializer(serializers.Serializer):
    """A shift the person holds on a day of the request, with its roster."""

    date = serializers.DateField()
    shift_type = serializers.IntegerField(source="shift_type.pk")
    shift_code = serializers.CharField(source="shift_type.code")
    shift_name = serializers.CharField(source="shift_type.name")
    schedule = serializers.HyperlinkedRelatedField(view_name="staffing-api:schedule-detail", read_only=True)
    schedule_id = serializers.IntegerField(source="schedule.pk")
    schedule_page = serializers.SerializerMethodField()
    schedule_status = serializers.CharField(
        source="schedule.status", help_text=_("The roster's status, as `status` of a schedule.")
    )
    published = serializers.BooleanField(help_text=_("Staff see it on the roster as last published."))
    removable = serializers.BooleanField(help_text=_("Removed by an approval with remove_draft_shifts."))
    how_to_remove = serializers.CharField(help_text=_("What to change first when it is not removable."))

    def get_schedule_page(self, shift) -> str:
        request = self.context.get("request")
        path = shift.schedule.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CopyResultSerializer(serializers.Serializer):
    schedule = ScheduleSerializer()
    copied = serializers.IntegerField(help_text=_("Shifts copied from the unit's previous roster."))
    skipped = serializers.ListField(
        child=serializers.CharField(), help_text=_("Why some shifts were not copied (time off, rules…).")
    )


class ViolationSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=rules.Rule.choices(), help_text=_("The rule's code in the catalogue."))
    severity = serializers.ChoiceField(
        choices=[(rules.HARD, _("Refused")), (rules.SOFT, _("Warning"))],
        help_text=_("hard: the roster cannot be saved or approved; soft: a warning."),
    )
    employee = serializers.IntegerField(source="employee_id")
    employee_name = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    message = serializers.CharField()


class CoverageRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    shift_type = serializers.IntegerField(source="shift_type_id")
    shift_type_code = serializers.CharField()
    skill = serializers.IntegerField(source="skill_id", allow_null=True)
    skill_code = serializers.CharField(allow_null=True)
    required = serializers.IntegerField()
    assigned = serializers.IntegerField()
    gap = serializers.IntegerField(help_text=_("People missing."))
    over = serializers.IntegerField(help_text=_("People above the requirement."))
    source = serializers.CharField(
        help_text=_('"fixed", or "census" / "forecast" when a staffing ratio turned that census into `required`.')
    )
    census = serializers.FloatField(allow_null=True, help_text=_("The census a ratio read (forecast: its point)."))


# Assignments ---------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    shift_type_code = serializers.CharField(source="shift_type.code", read_only=True)
    department = serializers.IntegerField(source="schedule.department_id", read_only=True)

    class Meta:
        model = ShiftAssignment
        fields = [
            "id",
            "schedule",
            "department",
            "employee",
            "employee_name",
            "shift_type",
            "shift_type_code",
            "date",
            "starts_at",
            "ends_at",
        ]
        read_only_fields = fields


def _datetime(value) -> str:
    """A moment as DRF's DateTimeField writes it: in the current time zone, ISO 8601, UTC as Z."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def assignment_row(row: dict) -> dict:
    """One cell from `selectors.assignment_rows`, with AssignmentSerializer's fields and format."""
    return {
        "id": row["id"],
        "schedule": row["schedule_id"],
        "department": row["schedule__department_id"],
        "employee": row["employee_id"],
        "employee_name": f"{row['employee__first_name']} {row['employee__last_name']}",
        "shift_type": row["shift_type_id"],
        "shift_type_code": row["shift_type__code"],
        "date": row["date"].isoformat(),
        "starts_at": _datetime(row["starts_at"]),
        "ends_at": _datetime(row["ends_at"]),
    }


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "nullable": True,
        "description": "The shift type's code in the roster's unit (text, e.g. \"D\") or its id (number); "
        "null clears the cell.",
    }
)
class ShiftTypeReferenceField(serializers.Field):
    """A shift type by code (text) or id (number), or null; resolved against the roster's unit."""

    default_error_messages = {"invalid": _("Give a shift type code (text) or id (number), or null to clear the cell.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int) and 0 < data <= LARGEST_ID:
            return data
        if isinstance(data, str) and data.strip():
            return data.strip().upper()
        self.fail("invalid")

    def to_representation(self, value):
        return value


class RosterCellSerializer(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    date = serializers.DateField()
    shift_type = ShiftTypeReferenceField()


@dataclass
class ParsedCells:
    """What parsed of a roster request, kept even when other parts were wrong, so the rules can
    still be checked on the good cells and every error listed at once."""

    schedule: Schedule | None = None
    changes: list[CellChange] = field(default_factory=list)


def resolve_cells(schedule: Schedule, user, parsed: list[tuple[int, dict]]):
    """Turn parsed cells into changes: employees the caller can see, shift types of the roster's
    unit (by id or code), each (employee, day) once. Returns (changes, {index: field errors})."""
    wanted = {cell["employee"] for _index, cell in parsed}
    employees = Employee.objects.visible_to(user).in_bulk(wanted)
    by_id, by_code = {}, {}
    for shift_type in ShiftType.objects.filter(department_id=schedule.department_id):
        by_id[shift_type.pk], by_code[shift_type.code] = shift_type, shift_type
    changes, errors, seen = [], {}, {}
    for index, cell in parsed:
        problems = {}
        employee = employees.get(cell["employee"])
        if employee is None:
            problems["employee"] = [_("No such employee.")]
        reference = cell["shift_type"]
        shift_type = None
        if reference is not None:
            shift_type = (by_id if isinstance(reference, int) else by_code).get(reference)
            if shift_type is None:
                problems["shift_type"] = [
                    _("%(unit)s has no shift type “%(ref)s”.") % {"unit": schedule.department.code, "ref": reference}
                ]
        key = (cell["employee"], cell["date"])
        if key in seen:
            problems.setdefault("date", []).append(
                _("Cell %(first)s already sets this employee's shift for that day.") % {"first": seen[key]}
            )
        seen.setdefault(key, index)
        if problems:
            errors[index] = problems
        else:
            changes.append(CellChange(employee, cell["date"], shift_type))
    return changes, errors


class RosterBulkSerializer(serializers.Serializer):
    """A whole roster (or any part of it) in one request, validated as a whole."""

    schedule = VisiblePrimaryKeyField(model=Schedule)
    cells = RosterCellSerializer(many=True, max_length=MAX_CELLS, allow_empty=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = ParsedCells()

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        errors = {}
        try:
            self.parsed.schedule = self.fields["schedule"].run_validation(data.get("schedule", empty))
        except serializers.ValidationError as error:
            errors["schedule"] = error.detail
        cells = data.get("cells", empty)
        if cells is empty:
            errors["cells"] = [_("This field is required.")]
        elif not isinstance(cells, list) or not cells:
            errors["cells"] = [_("Send a non-empty list of cells.")]
        elif len(cells) > MAX_CELLS:
            errors["cells"] = [_("Send at most %(max)s cells at a time.") % {"max": MAX_CELLS}]
        else:
            parsed, cell_errors = [], {}
            child = self.fields["cells"].child
            for index, raw in enumerate(cells):
                try:
                    parsed.append((index, child.run_validation(raw)))
                except serializers.ValidationError as error:
                    cell_errors[index] = error.detail
            if self.parsed.schedule is not None and parsed:
                self.parsed.changes, reference_errors = resolve_cells(
                    self.parsed.schedule, self.context["request"].user, parsed
                )
                cell_errors.update(reference_errors)
            if cell_errors:
                errors["cells"] = {str(index): cell_errors[index] for index in sorted(cell_errors)}
        if errors:
            raise serializers.ValidationError(errors)
        return {"schedule": self.parsed.schedule, "changes": self.parsed.changes}


class AssignmentWriteSerializer(RosterCellSerializer):
    """One roster cell: set (or, with a null shift type, clear) an employee's shift on a day."""

    schedule = VisiblePrimaryKeyField(model=Schedule)

    def validate(self, attrs):
        changes, errors = resolve_cells(attrs["schedule"], self.context["request"].user, [(0, attrs)])
        if errors:
            raise serializers.ValidationError(errors[0])
        return {"schedule": attrs["schedule"], "changes": changes}


class RosterWriteResultSerializer(serializers.Serializer):
    schedule = serializers.IntegerField()
    created = serializers.IntegerField(help_text=_("Cells that had no shift and now have one."))
    updated = serializers.IntegerField(help_text=_("Cells whose shift changed."))
    cleared = serializers.IntegerField(help_text=_("Cells whose shift was removed."))
    unchanged = serializers.IntegerField()
    warnings = ViolationSerializer(many=True, help_text=_("Soft rules the changed rows break (saved anyway)."))


# Time off and preferences ----------------------------------------------------------------------------


class TimeOffSerializer(serializers.ModelSerializer):
    employee = VisiblePrimaryKeyField(
        model=Employee, required=False, help_text=_("Defaults to the caller's own staff record.")
    )
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    kind = choice_field(TimeOff.Kind, "TimeOffKind", required=False)
    status = choice_field(TimeOff.Status, "TimeOffStatus", read_only=True)
    requested_by_name = UserNameField(source="requested_by")
    decided_by_name = UserNameField(source="decided_by")

    class Meta:
        model = TimeOff
        fields = [
            "id",
            "employee",
            "employee_name",
            "kind",
            "start_date",
            "end_date",
            "note",
            "status",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = ["requested_by", "requested_at", "decided_by", "decided_at", "decision_note"]


class PreferenceSerializer(serializers.ModelSerializer):
    employee = VisiblePrimaryKeyField(
        model=Employee, required=False, help_text=_("Defaults to the caller's own staff record.")
    )
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    shift_type = visible_shift_type()
    shift_type_code = serializers.CharField(source="shift_type.code", read_only=True)
    kind = choice_field(ShiftPreference.Kind, "ShiftPreferenceKind")

    class Meta:
        model = ShiftPreference
        fields = ["id", "employee", "employee_name", "date", "shift_type", "shift_type_code", "kind", "priority"]
        validators = []  # a second preference for the same shift and day replaces the first
