"""The chargemaster: codes, prices effective from a date (never overlapping), and bulk % changes that take
effect when finance approves them."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from .. import access, selectors
from ..models import ChargeCode, ChargeRate, RateChange


def _require(actor) -> None:
    if not access.can_manage_rates(actor):
        raise PermissionDenied(_("Only finance keeps the chargemaster."))


@transaction.atomic
def create_charge_code(*, actor, data: dict) -> ChargeCode:
    _require(actor)
    return save_checked(ChargeCode(**data), "created")


@transaction.atomic
def update_charge_code(*, actor, data: dict, code: ChargeCode) -> ChargeCode:
    _require(actor)
    code = ChargeCode.objects.select_for_update().get(pk=code.pk)
    for name, value in data.items():
        setattr(code, name, value)
    return save_checked(code, "changed")


def _set_price(code: ChargeCode, price: Decimal, valid_from: dt.date, reason: str) -> ChargeRate:
    """With the code locked: the rate in force on `valid_from` ends the day before, and the new price runs until
    the next rate already set (if any). A rate starting that very day is refused: change it instead."""
    if ChargeRate.objects.filter(code=code, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("%(code)s already has a price from %(d)s.") % {
            "code": code.code, "d": valid_from}})
    current = ChargeRate.objects.filter(code=code, valid_from__lt=valid_from).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).first()
    following = ChargeRate.objects.filter(code=code, valid_from__gt=valid_from).order_by("valid_from").first()
    if current is not None:
        current.valid_to = valid_from - dt.timedelta(days=1)
        save_checked(current, f"ended by the price from {valid_from}")
    rate = ChargeRate(code=code, price=price, valid_from=valid_from,
                      valid_to=following.valid_from - dt.timedelta(days=1) if following else None)
    overlap = ChargeRate.objects.filter(code=code, valid_from__lte=rate.valid_to or dt.date.max).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if overlap.exists():
        raise ValidationError(_("That period overlaps another price of %(code)s.") % {"code": code.code})
    try:
        with transaction.atomic():
            return save_checked(rate, reason)
    except IntegrityError:
        raise ValidationError(_("That period overlaps another price of %(code)s.") % {"code": code.code},
                              code="conflict") from None


@transaction.atomic
def set_price(*, actor, code: ChargeCode, price, valid_from: dt.date) -> ChargeRate:
    _require(actor)
    code = ChargeCode.objects.select_for_update().get(pk=code.pk)
    return _set_price(code, Decimal(price), valid_from, f"price set by {actor.get_username()}")


@transaction.atomic
def propose_rate_change(*, actor, data: dict) -> RateChange:
    _require(actor)
    change = RateChange(proposed_by=actor, **data)
    if change.effective_from and change.effective_from <= timezone.localdate():
        raise ValidationError({"effective_from": _("A bulk change takes effect from a future date.")})
    save_checked(change, "proposed")
    if not selectors.codes_of_change(change).exists():
        raise ValidationError(_("No active code matches that department or range."))
    return change


@transaction.atomic
def decide_rate_change(*, actor, change: RateChange, approve: bool) -> RateChange:
    """Finance (not the proposer) approves: every matching code gets its price × (1 + N %) from the date."""
    change = RateChange.objects.select_for_update().get(pk=change.pk)
    if change.status != RateChange.Status.PROPOSED:
        raise ValidationError(_("This change was already decided."), code="conflict")
    if not access.can_approve_rate_change(actor, change):
        raise PermissionDenied(_("Another finance officer than its proposer decides a bulk change."))
    change.decided_by, change.decided_at = actor, timezone.now()
    if approve:
        codes = list(selectors.codes_of_change(change).select_for_update().order_by("pk"))
        factor = 1 + Decimal(change.percent) / 100
        for code in codes:
            current = selectors.rate_on(code, change.effective_from)
            if current is None:
                continue
            new_price = (current.price * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
            _set_price(code, new_price, change.effective_from, f"bulk change {change.pk}")
        change.status = RateChange.Status.APPROVED
    else:
        change.status = RateChange.Status.REJECTED
    return save_checked(change, change.status)
