"""Report schedules (data, not code), report runs (one row per type, period and scope) and downloads."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from records.models import Department

from . import access

HOSPITAL = "hospital"  # the scope of a whole-hospital run; a department's run has its id as scope


class ReportKind(models.TextChoices):
    BOARD = "board", _("Monthly board report")
    COMPLIANCE = "compliance", _("Compliance report")
    DEPARTMENT_ACTIVITY = "activity", _("Department activity report")
    VARIANCE = "variance", _("Monthly variance report")
    UTILISATION = "utilisation", _("Monthly utilisation report")
    FACILITIES = "facilities", _("Monthly facilities and equipment report")


class ReportSchedule(models.Model):
    """A report built automatically each period, and who is told when it is ready."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly (on the 1st, for the month just ended)")
        WEEKLY = "weekly", _("Weekly (on Monday, for the week just ended)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_schedules",
        help_text=_("Leave empty for the whole hospital."),
    )
    each_department = models.BooleanField(
        _("one report per department"),
        default=False,
        help_text=_("Build one report for each top-level department instead of one for the scope."),
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), blank=True, related_name="report_schedules"
    )
    recipient_roles = models.ManyToManyField(
        Group, verbose_name=_("recipient roles"), blank=True, related_name="report_schedules",
        help_text=_("Everyone holding one of these roles is told."),
    )
    notify_department_heads = models.BooleanField(
        _("tell the department's heads"), default=False,
        help_text=_("Heads of the report's department are told too."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to pause the schedule."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[recipients, recipient_roles])

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(each_department=False) | Q(department__isnull=True),
                name="report_schedule_each_department_is_hospital_wide",
                violation_error_message=_("One report per department covers the whole hospital: leave the "
                                          "department empty."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:schedule-edit", args=[self.pk])


class ReportRunQuerySet(ScopedQuerySet):
    """Managers see every run; department heads and schedulers the runs of departments they see;
    board members (whatever else they are) the finished board reports of the hospital too."""

    scope = Scope(departments=("department",), board=True)

    def visible_to(self, user):
        runs = super().visible_to(user)
        if access.BOARD_MEMBER in access.group_names(user) and not access.is_hospital_wide(user):
            runs = runs | self.filter(
                kind=ReportKind.BOARD, scope=HOSPITAL, status=ReportRun.Status.SUCCEEDED, provisional=False
            )
        return runs


class ReportRun(models.Model):
    """One report for one period and scope: queued → running → succeeded (PDF stored) or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-03 for a month, 2026-W09 for a week."))
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    scope = models.CharField(_("scope"), max_length=20, help_text=_('"hospital" or a department id.'))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="report_runs"
    )
    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=255)
    workbook = models.FileField(
        _("full list (Excel)"), upload_to="reports/", blank=True, max_length=255,
        help_text=_("Built with the PDF in the same run when the report has a named list (compliance)."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    job = models.OneToOneField(
        "hospital_ops.Job", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="report_run", help_text=_("The background job that builds it (status endpoint, history)."),
    )
    provisional = models.BooleanField(
        _("provisional"), default=False,
        help_text=_("Built before its period ended: its figures stop short of the period's end."),
    )

    objects = ReportRunQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["-period_start", "kind", "scope"]
        indexes = [models.Index(fields=["kind", "status", "-period_start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "scope"],
                name="report_run_one_per_kind_period_scope",
                violation_error_message=_("This report already exists for this period and scope."),
            ),
            models.CheckConstraint(
                condition=(Q(scope=HOSPITAL) & Q(department__isnull=True))
                | (~Q(scope=HOSPITAL) & Q(department__isnull=False)),
                name="report_run_scope_matches_department",
                violation_error_message=_("A hospital report names no department; a department report names one."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="report_run_progress_at_most_100",
                violation_error_message=_("Progress runs from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} ({self.scope_label})"

    def get_absolute_url(self):
        return reverse("reports:run-detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        return self.department.name if self.department_id else str(_("Whole hospital"))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def message(self) -> str:
        """What the progress panel says beside the status."""
        if self.status == self.Status.QUEUED:
            if self.attempts:
                return f"Waiting for a worker (attempt {self.attempts + 1}; the last one failed: {self.error})…"
            return "Waiting for a worker…"
        if self.status == self.Status.RUNNING:
            return f"Building the report: {self.progress}%"
        if self.status == self.Status.FAILED:
            return f"after {self.attempts} attempt{'s' if self.attempts != 1 else ''}."
        return ""

    @property
    def download_name(self) -> str:
        scope = self.department.code.lower() if self.department_id else "hospital"
        return f"{self.kind}-report-{scope}-{self.period}.pdf"

    @property
    def workbook_download_name(self) -> str:
        return self.download_name.removesuffix(".pdf") + "-full-list.xlsx"


class ReportDownload(models.Model):
    """Who took a copy of a report, when and from where."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text=_("The version of the file handed out."))

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.user} took {self.run} at {self.downloaded_at:%Y-%m-%d %H:%M}"
