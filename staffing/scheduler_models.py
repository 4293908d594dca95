"""The auto-scheduler's records: cell locks, generation runs and each unit's generator settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.models import Job
from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import operating_date
from records.models import Department, Employee

from .models import Schedule, UnitScopedQuerySet

MIN_TIME_LIMIT, MAX_TIME_LIMIT, DEFAULT_TIME_LIMIT = 5, 600, 60
MAX_FAIRNESS_WEIGHT = 1000


class RosterScopedQuerySet(ScopedQuerySet):
    """Rows of a roster: seen by whoever sees the roster's unit."""

    scope = Scope(departments=("schedule__department",))


class CellLock(models.Model):
    """A roster cell (a person on a day, worked or free) the generator must leave as it is."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="cell_locks")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"), validators=[operating_date])
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)

    objects = RosterScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "employee", "date"], name="cell_lock_unique",
                violation_error_message=_("This cell is already locked."),
            )
        ]

    def __str__(self):
        return f"Lock {self.employee_id} {self.date} on roster {self.schedule_id}"


class Generation(models.Model):
    """One run of the generator on a draft roster: queued → running → proposed (its cells written as
    draft cells) → accepted or discarded (the cells from before put back); or failed (no roster within
    the rules, explained) or cancelled before any roster was found."""

    class Keep(models.TextChoices):
        ALL = "all", _("All filled cells")
        LOCKED = "locked", _("Only locked cells")
        NONE = "none", _("Nothing (start afresh)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PROPOSED = "proposed", _("Ready to review")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("No roster found")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (State.QUEUED, State.RUNNING, State.PROPOSED)

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="generations")
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    class Mode(models.TextChoices):
        GENERATE = "generate", _("Generate")
        REPAIR = "repair", _("Find cover")

    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.GENERATE)
    absent = models.JSONField(default=list, blank=True, help_text=_("Repair: [employee, date] no longer available."))
    keep = models.CharField(_("cells to keep"), max_length=8, choices=Keep.choices, default=Keep.ALL)
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (seconds)"), default=DEFAULT_TIME_LIMIT,
        validators=[MinValueValidator(MIN_TIME_LIMIT), MaxValueValidator(MAX_TIME_LIMIT)],
    )
    fairness_weight = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_FAIRNESS_WEIGHT)])
    # The price of each labour-limit breach for this run; empty: the unit keeps its labour limits as hard.
    limit_weight = models.PositiveSmallIntegerField(null=True, blank=True,
                                                    validators=[MaxValueValidator(MAX_FAIRNESS_WEIGHT)])
    seed = models.PositiveIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempt = models.PositiveSmallIntegerField(default=0, help_text=_("Runs started; only the latest may write."))
    before = models.JSONField(default=list, blank=True, help_text=_("Cells before the run."))
    after = models.JSONField(default=list, blank=True, help_text=_("The cells the run wrote."))
    score = models.PositiveIntegerField(null=True, blank=True)
    score_before = models.PositiveIntegerField(null=True, blank=True)
    best_bound = models.PositiveIntegerField(null=True, blank=True)
    hard_violations = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    trace = models.JSONField(default=list, blank=True, help_text=_("[elapsed, best score] while it ran."))
    explanation = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RosterScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["trace"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule"], condition=Q(state__in=["queued", "running", "proposed"]),
                name="generation_one_open_per_roster",
                violation_error_message=_("This roster is already being generated, or a result awaits a decision."),
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gte=MIN_TIME_LIMIT) & Q(time_limit__lte=MAX_TIME_LIMIT),
                name="generation_time_limit_sane",
                violation_error_message=_("The time limit is between 5 and 600 seconds."),
            ),
        ]

    def __str__(self):
        return f"Generation {self.pk} of roster {self.schedule_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class GeneratorSettings(models.Model):
    """A unit's settings for the generator: how much an uneven spread of nights, weekends and public
    holidays (against each person's FTE share) weighs against coverage (100 per person short)."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="generator_settings")
    fairness_weight = models.PositiveSmallIntegerField(
        _("fairness weight"), default=10, validators=[MaxValueValidator(MAX_FAIRNESS_WEIGHT)],
        help_text=_("Price of each shift away from a fair share; a person short on a shift costs 100."),
    )
    labour_limits_hard = models.BooleanField(
        _("treat soft labour limits as hard"), default=False,
        help_text=_("Never break a shift limit, hours, runs of days, days off, nights or weekends; otherwise "
                    "each breach is weighed against the rest."),
    )
    labour_limit_weight = models.PositiveSmallIntegerField(
        _("labour limit weight"), default=50, validators=[MaxValueValidator(MAX_FAIRNESS_WEIGHT)],
        help_text=_("Price of each breach of a soft labour limit; a person short on a shift costs 100."),
    )

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("generator settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fairness_weight__lte=MAX_FAIRNESS_WEIGHT), name="generator_fairness_weight_sane",
                violation_error_message=_("The fairness weight is at most 1000."),
            ),
            models.CheckConstraint(
                condition=Q(labour_limit_weight__lte=MAX_FAIRNESS_WEIGHT), name="generator_limit_weight_sane",
                violation_error_message=_("The labour limit weight is at most 1000."),
            ),
        ]

    def __str__(self):
        return f"Generator settings of {self.department}"

    @property
    def limit_weight(self) -> int | None:
        """What the generator pays per labour-limit breach; None when they are kept as hard."""
        return None if self.labour_limits_hard else self.labour_limit_weight


class OpenShift(models.Model):
    """An unfilled shift a head posts (from the coverage row or a repair): eligible staff claim it, the
    first eligible claim wins under a lock, and the head approves it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Claimed, awaiting approval")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="open_shifts")
    shift_type = models.ForeignKey("staffing.ShiftType", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), validators=[operating_date])
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RosterScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "shift_type"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "withdrawn"]) | Q(claimed_by__isnull=False),
                name="open_shift_claimed_has_claimant",
                violation_error_message=_("A claimed or filled shift names who took it."),
            ),
        ]

    def __str__(self):
        return f"Open {self.shift_type_id} on {self.date} ({self.status})"


class SwapScopedQuerySet(ScopedQuerySet):
    """Swaps: seen by whoever sees the roster of the shift offered."""

    scope = Scope(departments=("assignment__schedule__department",))


class SwapRequest(models.Model):
    """A staff member offers one of their published shifts to a named colleague or to anyone eligible;
    a colleague accepts; the head approves; both rosters change in one transaction."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted, awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    assignment = models.ForeignKey("staffing.ShiftAssignment", on_delete=models.CASCADE, related_name="+")
    offered_by = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    offered_to = models.ForeignKey(Employee, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                   help_text=_("Empty: anyone eligible."))
    in_return = models.ForeignKey("staffing.ShiftAssignment", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", help_text=_("The taker's shift given back, for a two-way swap."))
    taken_by = models.ForeignKey(Employee, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal = models.CharField(_("reason refused"), max_length=500, blank=True)

    objects = SwapScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status__in=["offered", "accepted"]),
                name="swap_one_open_offer_per_shift",
                violation_error_message=_("This shift is already offered."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "withdrawn"]) | Q(taken_by__isnull=False) | Q(status="refused"),
                name="swap_accepted_names_taker",
                violation_error_message=_("An accepted swap names who takes the shift."),
            ),
        ]

    def __str__(self):
        return f"Swap of assignment {self.assignment_id} ({self.status})"
