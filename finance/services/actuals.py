"""Actuals: ledger imports (idempotent by batch id and line reference; closed periods refused), the monthly
posting of labour cost from worked shifts, units of service and service volumes.

Labour cost is counted in actuals exactly once. Finance posts a month's labour cost (computed from the
rosters in force by `finance.measures.labour_cost`) as a ledger batch of its own, `LABOUR-YYYY-MM`: for each
department, base pay (with its paid hours) and the night and weekend differentials into the pay policy's
salaries account, the overtime premium (with its hours) and the agency mark-up into its overtime and agency
account. Variance, drill-down, remaining budget and the
reports then read it like any other posting. For each department and month, a roster-fed account takes its
actuals from one source only: once a month's labour cost is posted, the general-ledger import refuses payroll
rows on those accounts for the departments it covers; and a month where the ledger already brought a rostered
department's payroll (before its rosters were kept here, say) refuses a labour posting. Departments without
rosters keep their payroll in the ledger. A hospital whose payroll stays in the ledger leaves the policy's
salaries account empty, and labour cost is shown, never posted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hospital_ops import jobs
from records.models import Department

from .. import access
from ..models import (
    Account,
    ChargeCode,
    LedgerBatch,
    LedgerLine,
    PayPolicy,
    Period,
    ServiceUnits,
    ServiceVolume,
)
from ..spreadsheets import read_rows

CENT = Decimal("0.01")
LARGEST = Decimal("999999999999.99")
LEDGER_COLUMNS = ("reference", "cost_centre", "gl_code", "posted_on", "amount")
MAX_LEDGER_ROWS = 200_000
MAX_ERRORS_SHOWN = 200
BATCH_SIZE = 5000
JOB_KIND = "finance-ledger-import"
LABOUR_BATCH = "LABOUR-{month:%Y-%m}"
LABOUR_DESCRIPTIONS = {
    "BASE": _lazy("Labour cost: base pay for paid hours"), "NGHT": _lazy("Labour cost: night differential"),
    "WKND": _lazy("Labour cost: weekend differential"), "OVTM": _lazy("Labour cost: overtime premium"),
    "AGCY": _lazy("Labour cost: agency mark-up"),
}


def _require_importer(actor) -> None:
    if not access.can_import_actuals(actor):
        raise PermissionDenied(_("Only finance imports actuals."))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("date %(v)r is not YYYY-MM-DD") % {"v": text}) from None


def _money(text: str, *, negative: bool = True) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(_("%(v)r is not an amount") % {"v": text}) from None
    if not value.is_finite() or abs(value) > LARGEST or (value < 0 and not negative):
        raise ValueError(_("amount %(v)r is out of range") % {"v": text})
    return value.quantize(CENT, ROUND_HALF_UP)


def parse_ledger(rows: list[dict[str, str]]) -> tuple[list[dict], list[str]]:
    """Rows → clean lines (ids resolved) and every bad row with its reason. Six queries whatever the size."""
    departments = dict(Department.objects.values_list("cost_centre", "pk"))
    departments.update(Department.objects.values_list("code", "pk"))
    accounts = dict(Account.objects.filter(is_active=True).values_list("gl_code", "pk"))
    periods = {month: (pk, closed) for pk, month, closed in Period.objects.values_list("pk", "month", "is_closed")}
    from_rosters = PayPolicy.current().roster_account_ids
    labour_posted = set(
        LedgerLine.objects.filter(batch__source=LedgerBatch.Source.LABOUR)
        .values_list("department_id", "period_id").distinct().order_by()
    ) if from_rosters else set()
    lines, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        problems = []
        reference = row.get("reference", "")
        if not reference or len(reference) > 60:
            problems.append(_("a reference of 1–60 characters is needed"))
        elif reference in seen:
            problems.append(_("reference %(r)r appears twice") % {"r": reference})
        seen.add(reference)
        department = departments.get(row.get("cost_centre", ""))
        if department is None:
            problems.append(_("unknown cost centre %(c)r") % {"c": row.get("cost_centre", "")})
        account = accounts.get(row.get("gl_code", ""))
        if account is None:
            problems.append(_("unknown or closed account %(c)r") % {"c": row.get("gl_code", "")})
        period = None
        try:
            posted = _date(row.get("posted_on", ""))
            period = periods.get(posted.replace(day=1))
            if period is None:
                problems.append(_("no fiscal period covers %(d)s") % {"d": posted})
            elif period[1]:
                problems.append(_("the period of %(d)s is closed") % {"d": posted})
            elif account in from_rosters and (department, period[0]) in labour_posted:
                problems.append(_("%(d)s's account %(c)s is counted from worked shifts in %(m)s (labour cost "
                                  "posted): leave its payroll out of the extract") % {
                    "d": row.get("cost_centre", ""), "c": row.get("gl_code", ""), "m": posted.strftime("%Y-%m")})
        except ValueError as error:
            problems.append(str(error))
        try:
            amount = _money(row.get("amount", ""))
        except ValueError as error:
            problems.append(str(error))
        if problems:
            errors.append(_("Row %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
            continue
        lines.append({"reference": reference, "department_id": department, "account_id": account,
                      "period_id": period[0], "posted_on": posted, "amount": amount,
                      "description": row.get("description", "")[:200]})
    return lines, errors


def import_ledger(*, actor, batch_id: str, rows: list[dict[str, str]], progress=None) -> dict:
    """Import a ledger extract: all rows good or nothing written (every bad row listed). Importing the
    same batch again adds only the references it has not seen, so a retried upload never doubles a figure."""
    _require_importer(actor)
    batch_id = (batch_id or "").strip()
    if not batch_id or len(batch_id) > 60:
        raise ValidationError({"batch_id": _("Give the ledger's batch id (1–60 characters).")})
    if len(rows) > MAX_LEDGER_ROWS:
        raise ValidationError(_("At most %(n)s lines per import.") % {"n": f"{MAX_LEDGER_ROWS:,}"})
    lines, errors = parse_ledger(rows)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("…and %(n)s more bad rows.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
        raise ValidationError(shown)
    with transaction.atomic():
        batch, _created = LedgerBatch.objects.select_for_update().get_or_create(
            batch_id=batch_id, defaults={"imported_by": actor if actor.pk else None})
        if batch.source != LedgerBatch.Source.LEDGER:
            raise ValidationError({"batch_id": _("%(b)s is a labour-cost posting, not a ledger batch: give the "
                                                 "ledger's own batch id.") % {"b": batch_id}})
        known = set(batch.lines.values_list("reference", flat=True))
        fresh = [LedgerLine(batch=batch, **line) for line in lines if line["reference"] not in known]
        for start in range(0, len(fresh), BATCH_SIZE):
            LedgerLine.objects.bulk_create(fresh[start:start + BATCH_SIZE], ignore_conflicts=True)
            if progress:
                progress(int(100 * (start + BATCH_SIZE) / max(len(fresh), 1)))
        batch.line_count = batch.lines.count()
        batch.save(update_fields=["line_count"])
    return {"batch": batch_id, "added": len(fresh), "already_imported": len(lines) - len(fresh)}


@transaction.atomic
def post_labour_cost(*, actor, month: dt.date) -> dict:
    """Post a month's labour cost from worked shifts as the ledger batch `LABOUR-YYYY-MM` (see the module's
    docstring). Posting an open month again replaces its batch, so the figure follows the rosters and is never
    doubled; a closed month is refused, as is a month whose payroll on these accounts came with the ledger."""
    from ..measures import LABOUR_PARTS, labour_cost

    _require_importer(actor)
    month = month.replace(day=1)
    label = month.strftime("%B %Y")
    period = Period.objects.select_for_update().filter(month=month).first()
    if period is None:
        raise ValidationError({"month": _("No fiscal period covers %(m)s.") % {"m": label}})
    if period.is_closed:
        raise ValidationError({"month": _("%(m)s is closed: its labour cost can no longer be posted.") % {"m": label}})
    policy = PayPolicy.current()
    if policy.salaries_account_id is None:
        raise ValidationError(_("Choose the pay policy's salaries account first: it receives the labour cost."))
    premium_account_id = policy.premium_account_id or policy.salaries_account_id
    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    figures = {department_id: money for (department_id, in_month), money in
               labour_cost(start=month, end=end, policy=policy).items() if in_month == month}
    from_ledger = (
        LedgerLine.objects.filter(period=period, department_id__in=figures, account_id__in=policy.roster_account_ids,
                                  batch__source=LedgerBatch.Source.LEDGER)
        .select_related("batch", "account", "department").order_by("pk").first()
    )
    if from_ledger is not None:
        raise ValidationError({"month": _(
            "The ledger already holds %(d)s's payroll on %(a)s for %(m)s (batch %(b)s): posting labour cost too "
            "would count it twice.") % {"d": from_ledger.department.code, "a": from_ledger.account, "m": label,
                                        "b": from_ledger.batch.batch_id}})
    codes = dict(Department.objects.filter(pk__in=figures).values_list("pk", "code"))
    batch_id = LABOUR_BATCH.format(month=month)
    batch, _created = LedgerBatch.objects.select_for_update().get_or_create(
        batch_id=batch_id, defaults={"imported_by": actor, "source": LedgerBatch.Source.LABOUR})
    if batch.source != LedgerBatch.Source.LABOUR:
        raise ValidationError(_("A ledger batch is already called %(b)s.") % {"b": batch_id})
    replaced = batch.lines.count()
    batch.lines.all().delete()
    lines = []
    for department_id, money in sorted(figures.items()):
        for kind, (part, premium) in LABOUR_PARTS.items():
            amount = getattr(money, part)
            if not amount:
                continue
            hours = money.paid_hours if kind == "BASE" else money.overtime_hours if kind == "OVTM" else None
            account_id = premium_account_id if premium else policy.salaries_account_id
            lines.append(LedgerLine(batch=batch, reference=f"{kind}:{codes[department_id]}"[:60],
                                    department_id=department_id, account_id=account_id, period=period,
                                    posted_on=end, amount=amount, hours=hours,
                                    description=str(LABOUR_DESCRIPTIONS[kind])))
    LedgerLine.objects.bulk_create(lines)
    batch.line_count, batch.imported_by, batch.imported_at = len(lines), actor, timezone.now()
    batch.save(update_fields=["line_count", "imported_by", "imported_at"])
    total = sum((line.amount for line in lines), Decimal("0"))
    return {"batch": batch_id, "lines": len(lines), "total": total, "replaced": replaced}


def start_ledger_import(*, actor, batch_id: str, upload):
    """Store the upload and hand it to a worker; the page follows the job."""
    from django.core.files.storage import default_storage

    from ..tasks import import_ledger_file

    _require_importer(actor)
    name = (upload.name or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if not (batch_id or "").strip() or len(batch_id.strip()) > 60:
        raise ValidationError({"batch_id": _("Give the ledger's batch id (1–60 characters).")})
    path = default_storage.save(f"finance/imports/ledger{name[name.rindex('.'):]}", upload)
    job = jobs.create_job(kind=JOB_KIND, owner=actor, message=_("Waiting for a worker…"))
    transaction.on_commit(lambda: import_ledger_file.delay(job.pk, path, batch_id.strip(), actor.pk))
    return job


def run_ledger_import_job(*, job_id: int, path: str, batch_id: str, user_id: int | None) -> None:
    from django.core.files.storage import default_storage

    if jobs.start_job(job_id, message=_("Reading the file…")) is None:
        return
    actor = get_user_model().objects.get(pk=user_id)
    try:
        with default_storage.open(path) as handle:
            handle.name = path
            handle.size = default_storage.size(path)
            rows = read_rows(handle, required=LEDGER_COLUMNS, max_rows=MAX_LEDGER_ROWS)
        jobs.set_progress(job_id, 10, _("Checking %(n)s rows…") % {"n": f"{len(rows):,}"})
        result = import_ledger(actor=actor, batch_id=batch_id, rows=rows,
                               progress=lambda pct: jobs.set_progress(job_id, 10 + pct * 0.89, _("Writing lines…")))
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        jobs.fail_job(job_id, error="\n".join(messages))
    else:
        jobs.finish_job(job_id, result=result, message=_("%(added)s lines added, %(already_imported)s already there.")
                        % result)
    finally:
        default_storage.delete(path)


@transaction.atomic
def import_service_units(*, actor, rows: list[dict[str, str]]) -> int:
    """Units of service per department and month (cost_centre, month, unit, budgeted, actual): all or nothing."""
    _require_importer(actor)
    departments = dict(Department.objects.values_list("cost_centre", "pk"))
    departments.update(Department.objects.values_list("code", "pk"))
    errors, values = [], {}
    for number, row in enumerate(rows, start=2):
        problems = []
        department = departments.get(row.get("cost_centre", ""))
        if department is None:
            problems.append(_("unknown cost centre %(c)r") % {"c": row.get("cost_centre", "")})
        try:
            month = _date(row.get("month", "")[:7] + "-01")
        except ValueError as error:
            problems.append(str(error))
        numbers = {}
        for column in ("budgeted", "actual"):
            text = row.get(column, "")
            if text == "" and column == "actual":
                numbers[column] = None
                continue
            try:
                numbers[column] = _money(text, negative=False)
            except ValueError as error:
                problems.append(f"{column}: {error}")
        if problems:
            errors.append(_("Row %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
            continue
        values[(department, month)] = {"unit": (row.get("unit") or "patient days")[:40], **numbers}
    if errors:
        raise ValidationError(errors)
    for (department, month), fields in values.items():
        ServiceUnits.objects.update_or_create(department_id=department, month=month, defaults=fields)
    return len(values)


@transaction.atomic
def import_service_volumes(*, actor, rows: list[dict[str, str]]) -> int:
    """Service counts per charge code and month (code, month, quantity): all or nothing."""
    _require_importer(actor)
    codes = dict(ChargeCode.objects.values_list("code", "pk"))
    errors, values = [], {}
    for number, row in enumerate(rows, start=2):
        problems = []
        code = codes.get(row.get("code", ""))
        if code is None:
            problems.append(_("unknown code %(c)r") % {"c": row.get("code", "")})
        try:
            month = _date(row.get("month", "")[:7] + "-01")
        except ValueError as error:
            problems.append(str(error))
        quantity = row.get("quantity", "")
        if not quantity.isdigit() or int(quantity) > 10**8:
            problems.append(_("quantity %(q)r is not a whole number") % {"q": quantity})
        if problems:
            errors.append(_("Row %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
            continue
        values[(code, month)] = int(quantity)
    if errors:
        raise ValidationError(errors)
    for (code, month), quantity in values.items():
        ServiceVolume.objects.update_or_create(code_id=code, month=month, defaults={"quantity": quantity})
    return len(values)
