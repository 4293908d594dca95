"""Every change to inspections: scheduled inspections opened when due, conducting one (results, notes,
photos), the findings that failures open, their corrective actions under the four-eyes rule, escalation
of overdue actions, and modification recommendations."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from simple_history.utils import bulk_create_with_history

from hospital_ops.history import save_checked
from hospital_ops.scoping import hospital_zone
from records import access as roles

from . import access, equipment_services
from .models import (
    Finding,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSchedule,
    InspectionTemplate,
    Recommendation,
    Shift,
    TemplateItem,
)

logger = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PHOTOS_PER_RESULT = 6
DEFAULT_ACTION_DAYS = {Finding.Severity.CRITICAL: 2, Finding.Severity.MAJOR: 14, Finding.Severity.MINOR: 30}


def _today() -> dt.date:
    return timezone.localdate(timezone=hospital_zone())


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def due_date_on_or_before(schedule: InspectionSchedule, day: dt.date) -> dt.date | None:
    if day < schedule.starts_on:
        return None
    due, n = schedule.starts_on, 0
    while True:
        following = _add_months(schedule.starts_on, (n + 1) * schedule.every_months)
        if following > day:
            return due
        due, n = following, n + 1


def generate_scheduled_inspections(*, day: dt.date | None = None) -> int:
    """Open the inspections due by `day` (once per schedule, due date and shift; missed days catch up)."""
    day = day or _today()
    for attempt in range(2):
        try:
            with transaction.atomic():
                schedules = list(InspectionSchedule.objects.select_for_update(of=("self",)).filter(
                    is_active=True, template__is_active=True, starts_on__lte=day,
                ).select_related("department").order_by("pk"))
                wanted, buildings = [], {}
                for schedule in schedules:
                    building_id = schedule.building_id or _building_of(schedule)
                    if building_id is None:
                        logger.warning("Inspection schedule %s skipped: unit %s has no rooms, so no building.",
                                       schedule.pk, schedule.department_id)
                        continue
                    buildings[schedule.pk] = building_id
                    due = due_date_on_or_before(schedule, day)
                    shifts = Shift.values if schedule.per_shift else [""]
                    wanted += [(schedule, due, shift) for shift in shifts]
                existing = set(Inspection.objects.filter(schedule__in=schedules, due_on__in={d for _s, d, _h in wanted})
                               .values_list("schedule_id", "due_on", "shift"))
                fresh = [
                    Inspection(template_id=s.template_id, schedule=s, building_id=buildings[s.pk],
                               department=s.department, due_on=due, shift=shift)
                    for s, due, shift in wanted if (s.pk, due, shift) not in existing
                ]
                if fresh:
                    bulk_create_with_history(fresh, Inspection, default_change_reason="scheduled")
                return len(fresh)
        except IntegrityError:
            if attempt:
                raise
    return 0


def _building_of(schedule: InspectionSchedule) -> int | None:
    room = schedule.department.rooms.select_related("floor").order_by("pk").first()
    return room.floor.building_id if room else None


def _require_inspector(actor) -> None:
    if not access.can_conduct_inspections(actor):
        raise PermissionDenied


@transaction.atomic
def start_inspection(*, actor, inspection: Inspection) -> Inspection:
    """The inspector begins: one result row per checklist item, to be answered."""
    _require_inspector(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Inspection.Status.SCHEDULED:
        if inspection.status == Inspection.Status.IN_PROGRESS:
            return inspection
        raise ValidationError(_("This inspection is already completed."), code="conflict")
    inspection.status, inspection.inspector = Inspection.Status.IN_PROGRESS, actor
    inspection.started_at = timezone.now()
    save_checked(inspection, "started")
    items = inspection.template.items.filter(is_active=True).order_by("area", "position", "pk")
    bulk_create_with_history([InspectionResult(inspection=inspection, item=item) for item in items], InspectionResult,
                             default_change_reason="checklist")
    return inspection


def _open_result(actor, result: InspectionResult) -> InspectionResult:
    _require_inspector(actor)
    result = InspectionResult.objects.select_for_update().select_related("inspection", "item").get(pk=result.pk)
    if result.inspection.status != Inspection.Status.IN_PROGRESS:
        raise ValidationError(_("Only an inspection in progress takes answers."), code="conflict")
    return result


@transaction.atomic
def record_result(*, actor, result: InspectionResult, outcome: str, note: str = "") -> InspectionResult:
    result = _open_result(actor, result)
    if outcome == InspectionResult.Outcome.FAIL and not note.strip():
        raise ValidationError({"note": _("Say what failed.")})
    result.outcome, result.note = outcome, note.strip()
    return save_checked(result, f"answered {outcome}")


def _check_photo(upload) -> tuple[str, str]:
    """The photo's real type (read from its content, not its name), or a ValidationError."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("A photo is at most %(mb)s MB.") % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)}})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError({"photo": _("The file is not a JPEG, PNG or WebP photo.")}) from error
    finally:
        upload.seek(0)
    if kind not in PHOTO_TYPES:
        raise ValidationError({"photo": _("The file is not a JPEG, PNG or WebP photo.")})
    return PHOTO_TYPES[kind]


@transaction.atomic
def add_photo(*, actor, result: InspectionResult, upload) -> InspectionPhoto:
    """A photo of what the inspector saw, stored through Django's storage under a name of our choosing."""
    result = _open_result(actor, result)
    content_type, extension = _check_photo(upload)
    if result.photos.count() >= PHOTOS_PER_RESULT:
        raise ValidationError({"photo": _("At most %(n)s photos per item.") % {"n": PHOTOS_PER_RESULT}})
    photo = InspectionPhoto(result=result, content_type=content_type, size=upload.size, uploaded_by=actor)
    photo.image.save(f"{timezone.now():%Y%m%d%H%M%S}.{extension}", upload, save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    return photo


@transaction.atomic
def complete_inspection(*, actor, inspection: Inspection, severities: dict[int, str] | None = None) -> list[Finding]:
    """Close the inspection once every item is answered; each failure opens a finding whose corrective
    action is owned by the department's head (or the inspector, for a building) and due by its severity."""
    _require_inspector(actor)
    inspection = (Inspection.objects.select_for_update(of=("self",)).select_related("department", "building")
                  .get(pk=inspection.pk))
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise ValidationError(_("Only an inspection in progress can be completed."), code="conflict")
    results = list(inspection.results.select_related("item"))
    unanswered = [r for r in results if not r.outcome]
    if unanswered:
        raise ValidationError(_("%(n)s items are still unanswered.") % {"n": len(unanswered)})
    inspection.status, inspection.completed_at = Inspection.Status.COMPLETED, timezone.now()
    save_checked(inspection, "completed")
    owner = None
    if inspection.department_id:
        owner = roles.heads_of(inspection.department).order_by("pk").first()
    severities = severities or {}
    today = _today()
    findings = []
    for result in results:
        if result.outcome != InspectionResult.Outcome.FAIL:
            continue
        severity = severities.get(result.pk, Finding.Severity.MAJOR)
        finding = Finding(
            inspection=inspection, result=result, area=result.item.area, severity=severity,
            building=inspection.building, department=inspection.department,
            location=str(inspection.department.name if inspection.department_id else inspection.building.name),
            regulation_reference=result.item.regulation_reference,
            description=f"{result.item.text}: {result.note}"[:4000],
            owner=owner or actor, due_on=today + dt.timedelta(days=DEFAULT_ACTION_DAYS[severity]),
        )
        findings.append(save_checked(finding, "opened"))
    return findings


def _lock_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("department").get(pk=finding.pk)


@transaction.atomic
def plan_action(*, actor, finding: Finding, action: str, owner, due_on: dt.date, severity: str | None = None,
                open_work_order_for=None) -> Finding:
    """Set a finding's corrective action (what, who, by when); optionally open a work order on an asset."""
    finding = _lock_finding(finding)
    if not (access.can_conduct_inspections(actor) or access.can_complete_action(actor, finding)):
        raise PermissionDenied
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(_("The action of this finding is already done."), code="conflict")
    finding.action, finding.owner, finding.due_on = action, owner, due_on
    if severity:
        finding.severity = severity
    if open_work_order_for is not None:
        asset = open_work_order_for
        if finding.department_id and not asset.department.path.startswith(finding.department.path):
            raise ValidationError(_("Choose equipment of the finding's department."))
        finding.work_order = equipment_services.open_corrective_work_order(
            reported_by=actor, asset=asset, title=f"Finding F-{finding.pk}: {action}"[:200],
            description=finding.description, priority="high" if finding.severity != "minor" else "normal",
        )
    return save_checked(finding, "action planned")


@transaction.atomic
def complete_action(*, actor, finding: Finding, note: str) -> Finding:
    """The owner (or the department's head) says the corrective action is done."""
    finding = _lock_finding(finding)
    if not access.can_complete_action(actor, finding):
        raise PermissionDenied
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(_("The action of this finding is already done."), code="conflict")
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    finding.status, finding.done_by, finding.done_at, finding.done_note = (
        Finding.Status.ACTION_DONE, actor, timezone.now(), note.strip())
    return save_checked(finding, "action done")


@transaction.atomic
def verify_finding(*, actor, finding: Finding) -> Finding:
    """Someone other than whoever did the action checks it and closes the finding."""
    finding = _lock_finding(finding)
    if finding.done_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than whoever did the action verifies it."))
    if not access.can_verify_finding(actor, finding):
        raise PermissionDenied
    if finding.status != Finding.Status.ACTION_DONE:
        raise ValidationError(_("Only a finding whose action is done can be verified."), code="conflict")
    finding.status, finding.verified_by, finding.verified_at = Finding.Status.CLOSED, actor, timezone.now()
    return save_checked(finding, "verified and closed")


@transaction.atomic
def reopen_finding(*, actor, finding: Finding, reason: str) -> Finding:
    """The verifier finds the action not done: back to open."""
    finding = _lock_finding(finding)
    if not access.can_verify_finding(actor, finding):
        raise PermissionDenied
    if finding.status != Finding.Status.ACTION_DONE:
        raise ValidationError(_("Only a finding whose action is done can be sent back."), code="conflict")
    finding.status, finding.done_by, finding.done_at = Finding.Status.OPEN, None, None
    return save_checked(finding, f"sent back: {reason}")


def escalate_overdue_actions(*, day: dt.date | None = None) -> int:
    """E-mail the owners of open corrective actions past due, and the heads of their departments, once a
    finding (escalated_at marks it; a finding whose due date moves is escalated again when overdue)."""
    day = day or _today()
    with transaction.atomic():
        overdue = list(
            Finding.objects.select_for_update(of=("self",))
            .filter(status=Finding.Status.OPEN, due_on__lt=day, escalated_at__isnull=True)
            .select_related("owner", "department", "building")
        )
        if not overdue:
            return 0
        messages = []
        for finding in overdue:
            addresses = {finding.owner.email} if finding.owner and finding.owner.email else set()
            if finding.department_id:
                addresses |= set(roles.heads_of(finding.department).values_list("email", flat=True))
            body = (
                f"The corrective action for finding F-{finding.pk} ({finding.get_severity_display()}, "
                f"{finding.get_area_display()}) was due on {finding.due_on:%Y-%m-%d} and is not done.\n\n"
                f"{finding.description}\n\n{settings.SITE_URL}{finding.get_absolute_url()}\n"
            )
            messages += [(f"Overdue corrective action: F-{finding.pk}", body, settings.DEFAULT_FROM_EMAIL, [a])
                         for a in sorted(a for a in addresses if a)]
        now = timezone.now()
        for finding in overdue:
            finding.escalated_at = now
            finding._change_reason = "escalated"
            finding.save(update_fields=["escalated_at"])
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(overdue)


# Recommendations ------------------------------------------------------------------------------------------


@transaction.atomic
def propose_recommendation(*, actor, title: str, justification: str, estimated_cost: Decimal, finding=None,
                           building=None, department=None, asset=None) -> Recommendation:
    if not access.can_propose_recommendation(actor):
        raise PermissionDenied
    if finding is not None:
        building, department = building or finding.building, department or finding.department
    recommendation = Recommendation(title=title, justification=justification, estimated_cost=estimated_cost,
                                    finding=finding, building=building, department=department, asset=asset,
                                    proposed_by=actor)
    return save_checked(recommendation, "proposed")


@transaction.atomic
def decide_recommendation(*, actor, recommendation: Recommendation, to: str) -> Recommendation:
    """proposed → approved → done, by a hospital-wide role."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not access.can_decide_recommendation(actor):
        raise PermissionDenied
    steps = {Recommendation.Status.PROPOSED: Recommendation.Status.APPROVED,
             Recommendation.Status.APPROVED: Recommendation.Status.DONE}
    if steps.get(recommendation.status) != to:
        raise ValidationError(_("This recommendation cannot move to %(to)s now.") % {"to": to}, code="conflict")
    recommendation.status, recommendation.decided_by, recommendation.decided_at = to, actor, timezone.now()
    return save_checked(recommendation, to)


# Templates, their checklist items, and schedules ----------------------------------------------------------

TEMPLATE_FIELDS = ("name", "purpose", "description", "is_active")
ITEM_FIELDS = ("area", "position", "text", "regulation_reference", "guidance", "is_active")
SCHEDULE_FIELDS = ("template", "building", "department", "every_months", "per_shift", "starts_on", "is_active")


def _assign(obj, fields, data) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


@transaction.atomic
def save_template(*, actor, data: dict, instance: InspectionTemplate | None = None) -> InspectionTemplate:
    """Create or change an inspection template. A template leaves use only once no active schedule opens
    inspections from it; inspections already done keep it."""
    _require_inspector(actor)
    if instance is not None:
        instance = InspectionTemplate.objects.select_for_update().get(pk=instance.pk)
    template = instance or InspectionTemplate()
    _assign(template, TEMPLATE_FIELDS, data)
    if template.pk and not template.is_active:
        schedules = template.schedules.filter(is_active=True).count()
        if schedules:
            raise ValidationError(_("%(n)s active schedules use this template: stop them first.") % {"n": schedules})
    try:
        with transaction.atomic():
            return save_checked(template, "created" if template.pk is None else "updated")
    except IntegrityError as error:
        raise ValidationError(_("A template with this name already exists.")) from error


@transaction.atomic
def save_template_item(*, actor, data: dict, template: InspectionTemplate | None = None,
                       instance: TemplateItem | None = None) -> TemplateItem:
    """Add a checklist item to a template (placed last in its area unless a position is given) or change
    one. Inspections already started keep the items they were given."""
    _require_inspector(actor)
    if instance is not None:
        instance = TemplateItem.objects.select_for_update().get(pk=instance.pk)
    item = instance or TemplateItem(template=template)
    _assign(item, ITEM_FIELDS, data)
    if item.pk is None and data.get("position") is None:
        last = (TemplateItem.objects.filter(template=item.template, area=item.area)
                .order_by("-position").values_list("position", flat=True).first())
        item.position = 0 if last is None else last + 1
    return save_checked(item, "added" if item.pk is None else "updated")


@transaction.atomic
def remove_template_item(*, actor, item: TemplateItem) -> bool:
    """Remove a checklist item. An item some inspection has answered is kept for that record and only
    leaves use; returns whether it was deleted."""
    _require_inspector(actor)
    item = TemplateItem.objects.select_for_update().get(pk=item.pk)
    if InspectionResult.objects.filter(item=item).exists():
        if item.is_active:
            item.is_active = False
            save_checked(item, "taken out of use")
        return False
    item._change_reason = "removed"
    item.delete()
    return True


@transaction.atomic
def save_schedule(*, actor, data: dict, instance: InspectionSchedule | None = None) -> InspectionSchedule:
    """Create or change a recurring inspection of one building or one unit. Only a template in use can be
    scheduled; the daily job opens the inspections as they fall due."""
    _require_inspector(actor)
    if instance is not None:
        instance = InspectionSchedule.objects.select_for_update().get(pk=instance.pk)
    schedule = instance or InspectionSchedule()
    previous_template = schedule.template_id if schedule.pk else None
    _assign(schedule, SCHEDULE_FIELDS, data)
    if schedule.template_id and schedule.template_id != previous_template and not schedule.template.is_active:
        raise ValidationError({"template": _("This template is not in use.")})
    return save_checked(schedule, "scheduled" if schedule.pk is None else "updated")
