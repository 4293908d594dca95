"""Shift types, staffing requirements, labour rules, schedules (rosters), assignments, time off and
shift preferences."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import ALL, Scope, ScopedQuerySet, hospital_zone, roles
from hospital_ops.validators import operating_date
from records.models import CredentialType, Department, Employee, Skill, code_validator

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f77b4."))

NOTE_MAX_LENGTH = 2000  # comments, reasons and notes people type: forms and the API accept exactly this


def note_field(verbose_name, **kwargs):
    """Free text a person types, of at most NOTE_MAX_LENGTH characters (the model refuses more)."""
    return models.TextField(
        verbose_name, blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)], **kwargs
    )


class UnitScopedQuerySet(ScopedQuerySet):
    """Rows of a unit: seen by whoever sees the unit."""

    scope = Scope(departments=("department",))


class ShiftType(models.Model):
    department = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="shift_types"
    )
    code = models.CharField(_("code"), max_length=8, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    paid_minutes = models.PositiveIntegerField(_("paid minutes"), validators=[MaxValueValidator(24 * 60)])
    is_night = models.BooleanField(_("night shift"), default=False)
    colour = models.CharField(_("colour"), max_length=7, default="#4c78a8", validators=[colour_validator])
    forbidden_successors = models.ManyToManyField(
        "self",
        verbose_name=_("may not be followed next day by"),
        symmetrical=False,
        blank=True,
        related_name="forbidden_predecessors",
    )
    required_skill = models.ForeignKey(
        Skill, verbose_name=_("required skill"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    required_credential = models.ForeignKey(
        CredentialType,
        verbose_name=_("required credential"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[forbidden_successors])

    class Meta:
        ordering = ["department", "start_time", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "code"],
                name="shift_type_code_unique_in_unit",
                violation_error_message=_("This unit already has a shift type with this code."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=1440),
                name="shift_type_length_between_15_min_and_24_h",
                violation_error_message=_("A shift lasts between 15 minutes and 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(paid_minutes__lte=F("duration_minutes")),
                name="shift_type_paid_within_length",
                violation_error_message=_("Paid minutes cannot exceed the shift's length."),
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def span_on(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Real start and end (in UTC) of this shift worked on `day`.

        Wall-clock start in the hospital's zone plus elapsed minutes: a night shift across a
        daylight-saving change lasts its real length and ends at another wall-clock time. UTC,
        because Python subtracts two datetimes of one zone by wall clock."""
        starts = dt.datetime.combine(day, self.start_time, tzinfo=hospital_zone()).astimezone(dt.UTC)
        return starts, starts + dt.timedelta(minutes=self.duration_minutes)


class StaffingRequirement(models.Model):
    """How many people a unit needs on a shift: a weekday pattern, or an override for one date."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="staffing_requirements")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Leave empty to count everyone on the shift."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                 (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))],
    )
    on_date = models.DateField(_("on date"), null=True, blank=True, validators=[operating_date])
    required_count = models.PositiveSmallIntegerField(_("required"))
    under_weight = models.PositiveIntegerField(_("weight per person short"), default=100)
    over_weight = models.PositiveIntegerField(_("weight per person over"), default=1)

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "on_date", "weekday", "shift_type__start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(on_date__isnull=True))
                | (Q(weekday__isnull=True) & Q(on_date__isnull=False)),
                name="requirement_weekday_or_date",
                violation_error_message=_("Give either a weekday or a date, not both."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6),
                name="requirement_weekday_valid",
                violation_error_message=_("Weekday must be 0 (Monday) to 6 (Sunday)."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "weekday"],
                condition=Q(skill__isnull=True, weekday__isnull=False),
                name="requirement_unique_weekday",
                violation_error_message=_("This shift already has a requirement for that weekday."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "skill", "weekday"],
                condition=Q(skill__isnull=False, weekday__isnull=False),
                name="requirement_unique_weekday_skill",
                violation_error_message=_("This shift already has a requirement for that weekday and skill."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "on_date"],
                condition=Q(skill__isnull=True, on_date__isnull=False),
                name="requirement_unique_date",
                violation_error_message=_("This shift already has a requirement for that date."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "skill", "on_date"],
                condition=Q(skill__isnull=False, on_date__isnull=False),
                name="requirement_unique_date_skill",
                violation_error_message=_("This shift already has a requirement for that date and skill."),
            ),
        ]

    def __str__(self):
        when = self.on_date or self.get_weekday_display()
        return f"{self.shift_type.code} {when}: {self.required_count}"

    def clean(self):
        if self.shift_type_id and self.department_id and self.shift_type.department_id != self.department_id:
            raise ValidationError({"shift_type": _("Choose a shift type of this unit.")})


class LabourRulesQuerySet(ScopedQuerySet):
    """The hospital default is seen by everyone who works with rosters; a unit's rules by whoever sees
    the unit; a contract by whoever sees the person's department, and by the person."""

    scope = Scope(
        departments=("department", "employee__department"), owner="employee__user", shared=Q(scope="hospital")
    )


class LabourRules(models.Model):
    """Labour rules: the hospital default (no department, no employee), a unit's, or one employee's
    contract. Empty fields fall back, field by field: employee → unit → hospital."""

    class Scope(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital default")
        DEPARTMENT = "department", _("Unit")
        EMPLOYEE = "employee", _("Employee contract")

    RULE_FIELDS = (
        "min_rest_hours", "max_minutes_per_period", "min_minutes_per_period", "max_weekly_minutes",
        "min_consecutive_days", "max_consecutive_days", "min_consecutive_days_off", "max_weekends_per_period",
        "max_consecutive_nights",
    )

    scope = models.CharField(_("applies to"), max_length=12, choices=Scope.choices)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="labour_rules"
    )
    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, null=True, blank=True, related_name="labour_rules"
    )
    min_rest_hours = models.DecimalField(
        _("minimum rest between shifts (hours)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(48)],
    )
    max_minutes_per_period = models.PositiveIntegerField(_("maximum worked minutes in a period"), null=True, blank=True)
    min_minutes_per_period = models.PositiveIntegerField(_("minimum worked minutes in a period"), null=True, blank=True)
    max_weekly_minutes = models.PositiveIntegerField(
        _("maximum minutes a week (overtime threshold)"), null=True, blank=True
    )
    min_consecutive_days = models.PositiveSmallIntegerField(
        _("minimum consecutive working days"), null=True, blank=True
    )
    max_consecutive_days = models.PositiveSmallIntegerField(
        _("maximum consecutive working days"), null=True, blank=True
    )
    min_consecutive_days_off = models.PositiveSmallIntegerField(
        _("minimum consecutive days off"), null=True, blank=True
    )
    max_weekends_per_period = models.PositiveSmallIntegerField(
        _("maximum working weekends in a period"), null=True, blank=True
    )
    max_consecutive_nights = models.PositiveSmallIntegerField(_("maximum nights in a row"), null=True, blank=True)

    objects = LabourRulesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("labour rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="hospital") & Q(department__isnull=True) & Q(employee__isnull=True))
                | (Q(scope="department") & Q(department__isnull=False) & Q(employee__isnull=True))
                | (Q(scope="employee") & Q(employee__isnull=False) & Q(department__isnull=True)),
                name="labour_rules_scope_matches",
                violation_error_message=_("Hospital rules name no one; unit rules a unit; contract rules an employee."),
            ),
            models.UniqueConstraint(
                fields=["scope"], condition=Q(scope="hospital"), name="labour_rules_one_hospital_default",
                violation_error_message=_("There is already a hospital default."),
            ),
            models.UniqueConstraint(
                fields=["department"], condition=Q(department__isnull=False), name="labour_rules_one_per_unit",
                violation_error_message=_("This unit already has its rules."),
            ),
            models.CheckConstraint(
                condition=Q(min_minutes_per_period__isnull=True)
                | Q(max_minutes_per_period__isnull=True)
                | Q(min_minutes_per_period__lte=F("max_minutes_per_period")),
                name="labour_rules_min_minutes_within_max",
                violation_error_message=_("The minimum worked minutes cannot exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(min_consecutive_days__isnull=True)
                | Q(max_consecutive_days__isnull=True)
                | Q(min_consecutive_days__lte=F("max_consecutive_days")),
                name="labour_rules_min_run_within_max",
                violation_error_message=_("The minimum run of working days cannot exceed the maximum."),
            ),
        ]

    def __str__(self):
        if self.scope == self.Scope.EMPLOYEE:
            return f"Contract of {self.employee}"
        if self.scope == self.Scope.DEPARTMENT:
            return f"Rules of {self.department}"
        return "Hospital default rules"


class ShiftTypeLimit(models.Model):
    """At most `max_shifts` of a shift type in a schedule period, for the rules it belongs to."""

    rules = models.ForeignKey(LabourRules, on_delete=models.CASCADE, related_name="shift_limits")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="+")
    max_shifts = models.PositiveSmallIntegerField(_("maximum shifts in a period"))

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "shift_type"], name="shift_limit_unique",
                violation_error_message=_("This shift type already has a limit here."),
            )
        ]

    def __str__(self):
        return f"{self.shift_type.code} ≤ {self.max_shifts}"


class Schedule(models.Model):
    """A unit's roster for a period: draft → submitted → approved → published; a rejection sends it
    back to draft with a reason; a published roster is amended by a new revision, which goes
    through approval again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    department = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="schedules"
    )
    start_date = models.DateField(_("first day"), validators=[operating_date])
    end_date = models.DateField(_("last day"), validators=[operating_date])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = note_field(_("reason for rejection"))
    approval_comment = note_field(_("comment on approval"))
    revision_reason = note_field(_("reason for the revision"))
    first_approved_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When the roster's first revision was approved.")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    comment = note_field(_("comment"))

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "department"]
        # On PostgreSQL, migration 0002 adds exclusion constraints: a unit's roster periods never
        # overlap, and an employee is never in two shifts at once (see services for SQLite).
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="schedule_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__lte=F("start_date") + dt.timedelta(days=62)),
                name="schedule_at_most_nine_weeks",
                violation_error_message=_("A roster covers at most nine weeks."),
            ),
            models.UniqueConstraint(
                fields=["department", "start_date"],
                name="schedule_one_per_unit_and_start",
                violation_error_message=_("This unit already has a roster starting that day."),
            ),
        ]

    def __str__(self):
        return f"{self.department.code} {date_format(self.start_date)}–{date_format(self.end_date)}"

    def get_absolute_url(self):
        return reverse("staffing:schedule-detail", args=[self.pk])

    @property
    def days(self) -> list[dt.date]:
        return [self.start_date + dt.timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class AssignmentQuerySet(ScopedQuerySet):
    """Rosters' cells: seen by whoever sees the roster's unit; staff see their own published shifts."""

    scope = Scope(
        departments=("schedule__department",),
        owner="employee__user",
        owner_when=Q(schedule__status=Schedule.Status.PUBLISHED),
    )

    def visible_to(self, user):
        """The same rows as `scope` declares, asked on the cell's own columns (schedule_id, employee_id
        against small subqueries) rather than as an OR across joined tables, so the table's indexes
        serve a department head's list as they serve a manager's."""
        if user is None or not user.is_authenticated or roles().is_board_only(user):
            return self.none()
        ids = roles().visible_department_ids(user, include_finance=False)
        if ids is ALL:
            return self.all()
        own = Employee.objects.filter(user_id=user.pk).values("pk")
        published = Schedule.objects.filter(status=Schedule.Status.PUBLISHED).values("pk")
        condition = Q(employee_id__in=own, schedule_id__in=published)
        if ids:
            condition |= Q(schedule_id__in=Schedule.objects.filter(department_id__in=ids).values("pk"))
        return self.filter(condition)


class ShiftAssignment(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="assignments")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assignments")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="assignments")
    date = models.DateField(_("date"), validators=[operating_date])
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "starts_at"]
        indexes = [
            models.Index(fields=["schedule", "employee", "date"]),
            models.Index(fields=["employee", "starts_at"]),
            models.Index(fields=["date", "starts_at", "id"], name="assignment_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"],
                name="assignment_one_shift_a_day",
                violation_error_message=_("This employee already has a shift that day."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="assignment_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.employee.full_name} {self.shift_type.code} {self.date}"

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = self.shift_type.span_on(self.date)
        super().save(*args, **kwargs)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class PublishedShift(models.Model):
    """What staff see of a roster: its shifts as last published. Written when a roster is published,
    kept unchanged while a revision is drafted and approved, replaced when the revision is published,
    so My shifts and calendar feeds never show a draft, nor go blank during an amendment."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="published_shifts")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="published_shifts")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["employee", "starts_at"]), models.Index(fields=["schedule"])]

    def __str__(self):
        return f"{self.employee.full_name} {self.shift_type.code} {self.date} (published)"

    @property
    def uid(self) -> str:
        """Stable across republications: a changed shift on the same day updates the calendar event."""
        return f"shift-{self.schedule_id}-{self.employee_id}-{self.date:%Y%m%d}"


class EmployeeOwnedQuerySet(ScopedQuerySet):
    """A person's own requests: seen by them and by whoever sees their department."""

    scope = Scope(departments=("employee__department",), owner="employee__user")


class TimeOff(models.Model):
    class Kind(models.TextChoices):
        VACATION = "vacation", _("Vacation")
        SICK = "sick", _("Sick leave")
        TRAINING = "training", _("Training")
        PERSONAL = "personal", _("Personal")
        DAY_OFF = "day_off", _("Fixed day off")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="time_off")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VACATION)
    start_date = models.DateField(_("from"), validators=[operating_date])
    end_date = models.DateField(_("to (inclusive)"), validators=[operating_date])
    note = note_field(_("note"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = note_field(_("decision note"))

    objects = EmployeeOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("time off")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["employee", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="time_off_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__lte=F("start_date") + dt.timedelta(days=366)),
                name="time_off_at_most_a_year",
                violation_error_message=_("A request covers at most a year."),
            ),
        ]

    def __str__(self):
        return f"{self.employee.full_name} {self.get_kind_display()} {self.start_date}–{self.end_date}"


class ShiftPreference(models.Model):
    """I want (or would rather not) work shift X on day D; the priority is what it costs to ignore."""

    class Kind(models.TextChoices):
        WANT = "want", _("Would like to work")
        AVOID = "avoid", _("Would rather not work")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="shift_preferences")
    date = models.DateField(_("date"), validators=[operating_date])
    shift_type = models.ForeignKey(ShiftType, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("preference"), max_length=8, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 (nice to have) to 10 (very important)."),
    )

    objects = EmployeeOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "shift_type__start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date", "shift_type"],
                name="preference_unique",
                violation_error_message=_("You already have a preference for this shift that day."),
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=10),
                name="preference_priority_1_to_10",
                violation_error_message=_("Priority runs from 1 to 10."),
            ),
        ]

    def __str__(self):
        return f"{self.employee.full_name} {self.get_kind_display()} {self.shift_type.code} {self.date}"


class CalendarFeed(models.Model):
    """A secret, revocable iCal feed URL of one employee's published shifts."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["token"])

    def __str__(self):
        return f"Calendar of {self.employee.full_name}"

    def get_absolute_url(self):
        return reverse("staffing:ical-feed", args=[self.token])

from .scheduler_models import CellLock, Generation, GeneratorSettings, OpenShift, SwapRequest  # noqa: E402,F401,I001
from .ratio_models import HppdTarget, StaffingRatio  # noqa: E402,F401,I001
