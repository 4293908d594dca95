"""Expenditure requests: raised, approved up the chain with the budget checked under lock, then ordered,
received and paid. Every step keeps history and tells the next person."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from .. import access, selectors
from ..models import (
    AmountRaise,
    Approval,
    Attachment,
    AuthorisationBand,
    BudgetLine,
    ExpenditureLine,
    ExpenditureRequest,
    Period,
)
from .setup import first_of_month

MAX_LINES = 50
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


def bands() -> list[AuthorisationBand]:
    return list(AuthorisationBand.objects.order_by("level"))


def required_level(total: Decimal, chain: list[AuthorisationBand]) -> int:
    """The lowest level whose limit covers `total` (the top level when none does)."""
    if not chain:
        raise ValidationError(_("No authorisation bands are set up: finance must set them first."))
    for band in chain:
        if band.limit is None or total <= band.limit:
            return band.level
    return chain[-1].level


def _band(chain, level: int) -> AuthorisationBand | None:
    return next((band for band in chain if band.level == level), None)


def money(value) -> str:
    return f"{Decimal(value):,.2f}"


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def _clean_lines(lines) -> list[ExpenditureLine]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one line with an account and an amount.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("A request has at most %(n)s lines.") % {"n": MAX_LINES}})
    built = []
    for number, line in enumerate(lines, start=1):
        item = ExpenditureLine(account=line["account"], description=line.get("description") or "",
                               amount=line["amount"])
        if not item.account.is_active:
            raise ValidationError({"lines": _("Line %(n)s: account %(a)s is closed.") % {
                "n": number, "a": item.account}})
        try:
            item.full_clean(exclude=["request"])
        except ValidationError as error:
            message = _("Line %(n)s: %(e)s") % {"n": number, "e": " ".join(error.messages)}
            raise ValidationError({"lines": [message]}) from None
        built.append(item)
    return built


def _open_month(month) -> None:
    period = Period.objects.filter(month=month).first()
    if period is None:
        raise ValidationError({"month": _("No fiscal period covers %(m)s.") % {"m": date_format(month, "F Y")}})
    if period.is_closed:
        raise ValidationError({"month": _("%(p)s is closed: charge the request to an open month.") % {"p": period}})


@transaction.atomic
def raise_expenditure(*, actor, data: dict) -> ExpenditureRequest:
    """Ask to spend: department, month charged, vendor, justification and lines (account, amount)."""
    department = data["department"]
    if not access.can_raise_expenditure(actor, department):
        raise PermissionDenied(_("Only heads of %(d)s and managers raise its expenditure.") % {"d": department.name})
    month = first_of_month(data["month"])
    _open_month(month)
    lines = _clean_lines(data.get("lines"))
    total = sum((line.amount for line in lines), Decimal("0"))
    request = ExpenditureRequest(
        department=department, month=month, vendor=data.get("vendor", ""),
        justification=data.get("justification", ""), total=total, raised_by=actor,
        required_level=required_level(total, bands()),
    )
    save_checked(request, "raised")
    for line in lines:
        line.request = request
    ExpenditureLine.objects.bulk_create(lines)
    _notify_next(request)
    return request


@transaction.atomic
def update_expenditure(*, actor, data: dict, request: ExpenditureRequest) -> ExpenditureRequest:
    """Change a request still awaiting approval. Its approvals start again; whoever raises the total may
    no longer approve it."""
    request = ExpenditureRequest.objects.select_for_update().get(pk=request.pk)
    if not access.can_edit_expenditure(actor, request):
        raise PermissionDenied(_("Only who raised it or a head of its department changes a request."))
    if request.status != ExpenditureRequest.Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be changed."), code="conflict")
    for name in ("vendor", "justification"):
        if name in data:
            setattr(request, name, data[name])
    if "month" in data:
        request.month = first_of_month(data["month"])
        _open_month(request.month)
    if "lines" in data:
        lines = _clean_lines(data["lines"])
        total = sum((line.amount for line in lines), Decimal("0"))
        if total > request.total:
            AmountRaise.objects.create(request=request, raised_by=actor, old_total=request.total, new_total=total)
        request.total = total
        request.lines.all().delete()
        for line in lines:
            line.request = request
        ExpenditureLine.objects.bulk_create(lines)
        request.approvals.all().delete()
        request.required_level = required_level(total, bands())
        request.escalation_reason = ""
    save_checked(request, f"changed by {actor.get_username()}")
    _notify_next(request)
    return request


def _shortfalls(request: ExpenditureRequest) -> list[str]:
    """Each account line of the request that would overspend its budget, explained. Called with the
    budget lines locked."""
    wanted: dict[int, Decimal] = {}
    names = {}
    for line in request.lines.select_related("account"):
        wanted[line.account_id] = wanted.get(line.account_id, Decimal("0")) + line.amount
        names[line.account_id] = line.account
    problems = []
    for account_id, amount in sorted(wanted.items()):
        left = selectors.remaining(department_id=request.department_id, account_id=account_id, month=request.month,
                                   excluding=request.pk)
        if amount > left:
            problems.append(_("%(account)s has %(left)s left in %(month)s; this request needs %(amount)s.") % {
                "account": names[account_id], "left": money(left), "month": date_format(request.month, "F Y"),
                "amount": money(amount),
            })
    return problems


def _lock_budget(request: ExpenditureRequest) -> None:
    """Lock the budget lines this request draws on (primary-key order), so two approvals against one
    line are decided one after the other and never overspend it."""
    account_ids = list(request.lines.values_list("account_id", flat=True))
    list(
        BudgetLine.objects.select_for_update()
        .filter(budget__department_id=request.department_id, budget__status="approved", month=request.month,
                account_id__in=account_ids)
        .order_by("pk").values_list("pk", flat=True)
    )


@transaction.atomic
def approve_expenditure(*, request: ExpenditureRequest, approver, reason: str = "") -> ExpenditureRequest:
    """Approve at the next level of the chain. The final level checks the budget atomically; over budget,
    the approval needs a written reason and passes the request to the next level (the top level may
    approve over budget with its reason)."""
    request = ExpenditureRequest.objects.select_for_update().get(pk=request.pk)
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    approvals = list(request.approvals.select_related("approver"))
    if request.status != ExpenditureRequest.Status.REQUESTED:
        last = approvals[-1] if approvals else None
        detail = (_(" by %(who)s at %(when)s") % {"who": _who(last.approver), "when": date_format(
            timezone.localtime(last.approved_at), "j M Y H:i")}) if last and request.status != "denied" else ""
        raise ValidationError(_("This request is already %(status)s%(detail)s.") % {
            "status": request.get_status_display().lower(), "detail": detail}, code="conflict")
    chain = bands()
    if request.raised_by_id == approver.pk:
        raise PermissionDenied(_("Nobody approves their own request."))
    if request.raises.filter(raised_by=approver).exists():
        raise PermissionDenied(_("You raised this request's amount, so someone else must approve it."))
    if any(a.approver_id == approver.pk for a in approvals):
        raise PermissionDenied(_("You have already approved this request at another level."))
    held = access.authority_level(approver, request.department, chain)
    if held == 0:
        raise PermissionDenied(_("You hold no level of the authorisation chain for this department."))
    next_level = max((a.level for a in approvals), default=0) + 1
    if held < next_level:
        done = next((a for a in approvals if a.level == held), None)
        if done is not None:
            raise ValidationError(_("Level %(level)s was already approved by %(who)s.") % {
                "level": held, "who": _who(done.approver)}, code="conflict")
        raise PermissionDenied(_("This request waits for level %(level)s.") % {"level": next_level})
    level = min(held, request.required_level)
    top = chain[-1].level
    if level < request.required_level:
        _approve_at(request, approver, level, "")
        save_checked(request, f"approved at level {level} by {approver.get_username()}")
        _notify_next(request)
        return request
    _lock_budget(request)
    problems = _shortfalls(request)
    if problems:
        if not reason:
            after = _band(chain, level + 1)
            then = (_("Write a reason to send it to level %(level)s (%(role)s).") % {
                "level": after.level, "role": after.get_role_display()}) if after and level < top and not \
                request.escalation_reason else _("Write a reason to approve it over budget.")
            raise ValidationError({"reason": [_("Over budget. ") + " ".join(problems) + " " + then]})
        target = level if request.escalation_reason else min(level + 1, top)  # it has gone up a level already
        if held >= target:  # the approver holds the level over-budget spending needs
            _approve_at(request, approver, target, reason)
        else:
            _approve_at(request, approver, level, reason)
            request.required_level, request.escalation_reason = target, reason
            save_checked(request, f"over budget: passed to level {target} by {approver.get_username()}")
            _notify_next(request)
            return request
    else:
        _approve_at(request, approver, level, reason)
    request.status, request.decided_at = ExpenditureRequest.Status.APPROVED, timezone.now()
    save_checked(request, f"approved by {approver.get_username()}" + (" over budget" if problems else ""))
    _notify_decided(request)
    return request


def _approve_at(request, approver, level: int, reason: str) -> Approval:
    try:
        with transaction.atomic():
            return Approval.objects.create(request=request, level=level, approver=approver,
                                           over_budget_reason=reason)
    except IntegrityError:
        raise ValidationError(_("Level %(level)s has already approved this request.") % {"level": level},
                              code="conflict") from None


@transaction.atomic
def deny_expenditure(*, request: ExpenditureRequest, approver, reason: str) -> ExpenditureRequest:
    request = ExpenditureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExpenditureRequest.Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be denied."), code="conflict")
    if request.raised_by_id == approver.pk or access.authority_level(approver, request.department, bands()) == 0:
        raise PermissionDenied(_("Only an approver in the chain denies a request."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is denied.")})
    request.status, request.denial_reason, request.decided_at = (
        ExpenditureRequest.Status.DENIED, reason, timezone.now())
    save_checked(request, f"denied by {approver.get_username()}")
    _notify_decided(request)
    return request


@transaction.atomic
def advance_expenditure(*, request: ExpenditureRequest, actor, to: str) -> ExpenditureRequest:
    """Approved → ordered → received → paid, one step at a time. Paid is finance's to record."""
    request = ExpenditureRequest.objects.select_for_update().get(pk=request.pk)
    expected = ExpenditureRequest.NEXT.get(request.status)
    if expected is None or to != expected:
        raise ValidationError(_("A %(status)s request cannot become %(to)s.") % {
            "status": request.get_status_display().lower(), "to": to}, code="conflict")
    allowed = access.can_record_payment(actor) if to == ExpenditureRequest.Status.PAID else \
        access.can_progress_expenditure(actor, request)
    if not allowed:
        raise PermissionDenied(_("You may not mark this request %(to)s.") % {"to": to})
    request.status = to
    return save_checked(request, f"{to} ({actor.get_username()})")


@transaction.atomic
def cancel_expenditure(*, request: ExpenditureRequest, actor) -> ExpenditureRequest:
    request = ExpenditureRequest.objects.select_for_update().get(pk=request.pk)
    if request.raised_by_id != actor.pk:
        raise PermissionDenied(_("Only who raised a request cancels it."))
    if request.status != ExpenditureRequest.Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be cancelled."), code="conflict")
    request.status = ExpenditureRequest.Status.CANCELLED
    return save_checked(request, "cancelled")


def check_attachment(upload) -> str:
    """The content type of an acceptable file (PDF, PNG or JPEG, at most 5 MB, content matching its name)."""
    import os

    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError({"file": _("Attach a PDF, PNG or JPEG file.")})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Attachments are at most 5 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, magic = ATTACHMENT_TYPES[extension]
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError({"file": _("The file's content is not a %(ext)s.") % {"ext": extension[1:].upper()}})
    return content_type


@transaction.atomic
def add_attachment(*, request: ExpenditureRequest, actor, upload) -> Attachment:
    if not access.can_edit_expenditure(actor, request) and not access.is_finance_officer(actor):
        raise PermissionDenied(_("Only who raised it, its department's heads and finance attach files."))
    content_type = check_attachment(upload)
    name = (upload.name or "file")[-120:]
    attachment = Attachment(request=request, name=name, content_type=content_type, size=upload.size,
                            uploaded_by=actor)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    request._change_reason = f"attached {name}"
    request.save(update_fields=[])
    return attachment


def _notify_next(request: ExpenditureRequest) -> None:
    from ..tasks import notify_expenditure_waiting

    transaction.on_commit(lambda: notify_expenditure_waiting.delay(request.pk))


def _notify_decided(request: ExpenditureRequest) -> None:
    from ..tasks import notify_expenditure_decided

    transaction.on_commit(lambda: notify_expenditure_decided.delay(request.pk))
