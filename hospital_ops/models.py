"""Shared models that every app may use. This module imports no app of the suite: users are
settings.AUTH_USER_MODEL and departments "records.Department"."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scoping import Scope, ScopedQuerySet


class JobQuerySet(ScopedQuerySet):
    """Its owner's jobs, and the jobs of every department the user may see (the whole hospital's for
    managers); anyone else finds nothing (404)."""

    scope = Scope(departments=("department",), owner="owner")


class Job(models.Model):
    """A piece of background work (a report built, a roster drafted by the auto-scheduler, an import):
    queued → running (progress %, a message) → succeeded (a result), failed (the error) or cancelled.
    Its scope is a department, or the whole hospital when there is none. Change it through
    hospital_ops.jobs, which keeps its history (progress is not audited)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("What the job does, as registered in hospital_ops.jobs.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text=_("Who asked for it; empty for scheduled work."),
    )
    department = models.ForeignKey(
        "records.Department", verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty for the whole hospital."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancel_requested_at = models.DateTimeField(_("cancel requested at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["progress", "message"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="job_progress_at_most_100",
                violation_error_message=_("Progress runs from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} job {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def scope(self) -> str:
        return "hospital" if self.department_id is None else str(self.department_id)


class DataChange(models.Model):
    """One transaction that wrote to a table whose data cached pages are drawn from (recorded by a database
    trigger in that transaction: see hospital_ops.data_version). Not audited: it is the audit's opposite,
    a counter."""

    txid = models.BigIntegerField(_("transaction"))
    topic = models.CharField(_("topic"), max_length=40, help_text=_("The app of the tables written."))

    class Meta:
        verbose_name = _("data change")
        constraints = [models.UniqueConstraint(fields=["txid", "topic"], name="data_change_once_per_topic")]

    def __str__(self):
        return f"transaction {self.txid} ({self.topic})"


class DataGeneration(models.Model):
    """A new one each time the recorded data changes are forgotten (hospital_ops.data_version.prune)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("data generation")

    def __str__(self):
        return f"data generation {self.number}"
