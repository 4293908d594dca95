"""ADT events from the hospital's systems, whatever the channel (REST or HL7 v2): one shape, one way to
store and apply them.

Every event is stored as received before anything else; the sender's event id makes a repeat answer
with the first result and change nothing; an event older than the last one applied to its encounter is
refused with the reason (the sender re-sends in order, or a person corrects the stay)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Department

from . import bed_services
from .models import AdtEvent, Bed, PatientStay

EVENTS = ("admit", "transfer", "discharge", "cancel-admit", "cancel-discharge", "cancel-transfer", "pre-admit",
          "update")
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_SLACK = dt.timedelta(days=1)


@dataclass
class AdtMessage:
    event: str
    sender_event_id: str
    event_time: dt.datetime
    encounter_number: str
    mrn: str = ""
    unit: str = ""
    room: str = ""
    bed: str = ""
    expected_discharge: dt.date | None = None
    needs_kind: str = ""
    needs_isolation: bool | None = None
    waiting_location: str = ""


@dataclass
class Outcome:
    event: AdtEvent
    repeated: bool

    @property
    def applied(self) -> bool:
        return self.event.outcome == AdtEvent.Outcome.APPLIED


def check_time(at: dt.datetime) -> None:
    if timezone.is_naive(at):
        raise ValidationError({"event_time": _("Give the event time with its UTC offset.")})
    if not EARLIEST <= at <= timezone.now() + FUTURE_SLACK:
        raise ValidationError({"event_time": _("The event time is not a plausible time for this event.")})


def _find_bed(message: AdtMessage) -> Bed:
    beds = Bed.objects.select_related("unit", "room").filter(is_active=True)
    if message.unit:
        beds = beds.filter(unit__code=message.unit)
    label = message.bed
    if message.room:
        beds = beds.filter(room__number=message.room)
    elif "-" in label:
        room, label = label.rsplit("-", 1)
        beds = beds.filter(room__number=room)
    found = list(beds.filter(label=label)[:2])
    if len(found) != 1:
        where = "/".join(part for part in (message.unit, message.room, message.bed) if part)
        raise ValidationError({"bed": _("No single bed matches %(where)s.") % {"where": where or "?"}})
    return found[0]


def _find_stay(message: AdtMessage) -> PatientStay:
    stay = PatientStay.objects.filter(encounter_number=message.encounter_number).first()
    if stay is None:
        raise ValidationError(
            {"encounter_number": _("No stay has encounter number %(enc)s.") % {"enc": message.encounter_number}}
        )
    return stay


def _find_unit(message: AdtMessage) -> Department:
    unit = Department.objects.filter(code=message.unit, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit": _("No active unit has code %(code)s.") % {"code": message.unit or "?"}})
    return unit


def apply(message: AdtMessage, *, actor) -> PatientStay:
    """Apply one event through the bed services; a refusal raises ValidationError."""
    check_time(message.event_time)
    at, kind = message.event_time, message.event
    if kind == "pre-admit":
        return bed_services.pre_admit(
            actor=actor, encounter_number=message.encounter_number, mrn=message.mrn, unit=_find_unit(message), at=at,
            needs_kind=message.needs_kind, needs_isolation=bool(message.needs_isolation),
            waiting_location=message.waiting_location, expected_discharge=message.expected_discharge,
        )
    if kind == "admit":
        if not message.bed:
            message.event = "pre-admit"  # admitted to a unit with no bed yet: waiting for one
            return apply(message, actor=actor)
        return bed_services.admit(
            actor=actor, encounter_number=message.encounter_number, mrn=message.mrn, bed=_find_bed(message), at=at,
            expected_discharge=message.expected_discharge,
        )
    stay = _find_stay(message)
    if kind == "transfer":
        return bed_services.transfer(actor=actor, stay=stay, bed=_find_bed(message), at=at)
    if kind == "discharge":
        return bed_services.discharge(actor=actor, stay=stay, at=at)
    if kind == "cancel-admit":
        return bed_services.cancel_admit(actor=actor, stay=stay, at=at)
    if kind == "cancel-discharge":
        return bed_services.cancel_discharge(actor=actor, stay=stay, at=at)
    if kind == "cancel-transfer":
        return bed_services.cancel_transfer(actor=actor, stay=stay, at=at)
    if kind == "update":
        return bed_services.update_stay(
            actor=actor, stay=stay, at=at, expected_discharge=message.expected_discharge, mrn=message.mrn,
            needs_kind=message.needs_kind or None, needs_isolation=message.needs_isolation,
        )
    raise ValidationError({"event": _("Unknown event %(event)s.") % {"event": kind}})


def _explain(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("Not allowed.")
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                         for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def store_malformed(*, channel: str, body: str, detail: str, actor=None, sender_event_id: str = "") -> AdtEvent:
    """Keep what could not be read, with why, so nothing sent is ever lost."""
    existing = AdtEvent.objects.filter(sender_event_id=sender_event_id).first() if sender_event_id else None
    return existing or AdtEvent.objects.create(
        channel=channel, body=body, outcome=AdtEvent.Outcome.MALFORMED, detail=detail[:2000],
        received_by=actor if getattr(actor, "pk", None) else None,
    )


def receive(message: AdtMessage, *, channel: str, body: str, actor=None) -> Outcome:
    """Store the event as received and apply it once. A repeat of a sender event id answers the first
    result, whoever sent it first."""
    existing = AdtEvent.objects.filter(sender_event_id=message.sender_event_id).first()
    if existing is not None:
        return Outcome(existing, repeated=True)
    try:
        with transaction.atomic():
            event = AdtEvent.objects.create(
                channel=channel, sender_event_id=message.sender_event_id, event_type=message.event,
                event_time=message.event_time, encounter_number=message.encounter_number, body=body,
                outcome=AdtEvent.Outcome.APPLIED, received_by=actor if getattr(actor, "pk", None) else None,
            )
            try:
                with transaction.atomic():
                    stay = apply(message, actor=actor)
            except (ValidationError, PermissionDenied) as error:
                event.outcome, event.detail = AdtEvent.Outcome.REFUSED, _explain(error)[:2000]
                event.stay = PatientStay.objects.filter(encounter_number=message.encounter_number).first()
            else:
                event.stay = stay
                event.detail = _("%(event)s applied to %(enc)s.") % {"event": message.event, "enc": stay}
            event.save(update_fields=["outcome", "detail", "stay"])
    except IntegrityError:
        # The same event id arrived twice at once; the first one stored wins.
        existing = AdtEvent.objects.filter(sender_event_id=message.sender_event_id).first()
        if existing is None:
            raise
        return Outcome(existing, repeated=True)
    return Outcome(event, repeated=False)
