"""Budget remaining, variance and labour cost: computed here once, in SQL aggregates, and asked for by the
pages, the API, exports and the board report.

Variance compares, per department, account and month, the approved budget, the ledger's actuals and the
commitments (approved expenditure not yet paid). The flexible budget scales variable accounts with the
department's units of service: `budget × actual units ÷ budgeted units`, which splits the variance into a
volume part (flexible − static budget) and a rate and efficiency part (actual − flexible budget). Units of
service are imported per department and month; where an inpatient unit's month has none imported, its
patient days come from the facilities census (facilities/census.py), never computed a second time here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DateField, DecimalField, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth, TruncWeek

from facilities import census
from hospital_ops.scoping import within as within_q
from records.models import Department, Employee, path_ids
from staffing import hppd as staffing_hppd
from staffing import rules as staffing_rules
from staffing.selectors import worked_shifts

from .models import (
    Account,
    Budget,
    BudgetLine,
    ExpenditureLine,
    ExpenditureRequest,
    FiscalYear,
    LedgerBatch,
    LedgerLine,
    PayPolicy,
    ServiceUnits,
    VarianceExplanation,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=4)


def _q(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


@dataclass
class VarianceLine:
    department: Department
    account: Account
    budget: dict[dt.date, Decimal] = field(default_factory=dict)
    actual: dict[dt.date, Decimal] = field(default_factory=dict)
    committed: dict[dt.date, Decimal] = field(default_factory=dict)
    budget_ytd: Decimal = ZERO
    flex_ytd: Decimal = ZERO
    actual_ytd: Decimal = ZERO
    committed_ytd: Decimal = ZERO
    budget_year: Decimal = ZERO
    forecast: Decimal = ZERO
    explanation: VarianceExplanation | None = None

    @property
    def variance(self) -> Decimal:
        """Budget − actual − committed, to date: negative is an overspend."""
        return self.budget_ytd - self.actual_ytd - self.committed_ytd

    @property
    def volume_variance(self) -> Decimal:
        return self.flex_ytd - self.budget_ytd

    @property
    def spending_variance(self) -> Decimal:
        """Rate and efficiency: flexible budget − actual."""
        return self.flex_ytd - self.actual_ytd

    @property
    def variance_pct(self) -> Decimal | None:
        if not self.budget_ytd:
            return None
        return (self.variance * 100 / self.budget_ytd).quantize(Decimal("0.1"))


@dataclass
class Variance:
    fiscal_year: FiscalYear
    months: list[dt.date]
    through: dt.date
    lines: list[VarianceLine]
    threshold_pct: Decimal
    units: dict = field(default_factory=dict)  # {(department id, month): (budgeted, actual)}, census filled in
    departments: dict = field(default_factory=dict)  # {id: Department} of the departments it covers

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    def by_month(self) -> list[dict]:
        rows = []
        for month in self.months:
            rows.append({
                "month": month,
                "budget": sum((line.budget.get(month, ZERO) for line in self.lines), ZERO),
                "actual": sum((line.actual.get(month, ZERO) for line in self.lines), ZERO),
                "committed": sum((line.committed.get(month, ZERO) for line in self.lines), ZERO),
            })
        return rows

    def by_department(self) -> list[dict]:
        """One row per department: its lines added up (the hospital view, from which one drills down)."""
        rows: dict[int, dict] = {}
        names = ("budget_ytd", "flex_ytd", "actual_ytd", "committed_ytd", "variance", "volume_variance",
                 "spending_variance", "budget_year", "forecast")
        for line in self.lines:
            row = rows.setdefault(line.department.pk, {"department": line.department, **dict.fromkeys(names, ZERO)})
            for name in names:
                row[name] += getattr(line, name)
        for row in rows.values():
            row["variance_pct"] = (row["variance"] * 100 / row["budget_ytd"]).quantize(Decimal("0.1")) \
                if row["budget_ytd"] else None
        return list(rows.values())

    def over_threshold(self, line: VarianceLine) -> bool:
        pct = line.variance_pct
        return pct is not None and abs(pct) >= self.threshold_pct

    def biggest(self, count: int = 5) -> list[VarianceLine]:
        return sorted(self.lines, key=lambda line: line.variance)[:count]


BUDGET, ACTUAL, COMMITTED = 0, 1, 2
SOURCES = {BUDGET: "budget", ACTUAL: "actual", COMMITTED: "committed"}


def _totals(queryset, source: int, department: str, month: str):
    """(source, department id, account id, month, total) rows of one of the variance's three figures."""
    return (
        queryset.annotate(source=Value(source, output_field=IntegerField()))
        .values_list("source", department, "account_id", month).annotate(total=Sum("amount")).order_by()
    )


def variance(*, departments, fiscal_year: FiscalYear, through: dt.date | None = None, account=None,
             threshold_pct: Decimal = Decimal(10)) -> Variance:
    """Budget vs actual vs committed for `departments` (Departments, already scoped), by account and
    month of `fiscal_year`, year to date through the month `through` (default: the last month with postings
    or today's), with a run-rate forecast to year end and the flexible budget. Five queries whatever the size (the
    budget, actual and committed figures in one), and two more when the census fills in patient days."""
    months = fiscal_year.months
    by_id = {d.pk: d for d in departments}
    department_ids = list(by_id)
    accounts = {a.pk: a for a in Account.objects.all()}
    in_year = {"month__gte": months[0], "month__lte": months[-1]}
    budget = BudgetLine.objects.filter(budget__status=Budget.Status.APPROVED, budget__department_id__in=department_ids,
                                       **in_year)
    actual = LedgerLine.objects.filter(department_id__in=department_ids, period__fiscal_year=fiscal_year)
    committed = ExpenditureLine.objects.filter(request__department_id__in=department_ids,
                                               request__status__in=ExpenditureRequest.COMMITTED,
                                               request__month__gte=months[0], request__month__lte=months[-1])
    if account is not None:
        budget, actual, committed = (q.filter(account=account) for q in (budget, actual, committed))
    figures = _totals(budget, BUDGET, "budget__department_id", "month").union(
        _totals(actual, ACTUAL, "department_id", "period__month"),
        _totals(committed, COMMITTED, "request__department_id", "request__month"), all=True)
    lines: dict[tuple[int, int], VarianceLine] = {}
    latest = None
    for source, department_id, account_id, month, total in figures:
        key = (department_id, account_id)
        if key not in lines:
            lines[key] = VarianceLine(by_id[department_id], accounts[account_id])
        getattr(lines[key], SOURCES[source])[month] = total
        if source == ACTUAL:
            latest = month if latest is None or month > latest else latest
    if through is None:
        today = dt.date.today().replace(day=1)
        through = latest or min(max(today, months[0]), months[-1])
    through = min(max(through.replace(day=1), months[0]), months[-1])
    to_date = [month for month in months if month <= through]
    units = {
        (department_id, month): (budgeted, actual_units)
        for department_id, month, budgeted, actual_units in ServiceUnits.objects.filter(
            department_id__in=department_ids, **in_year).values_list("department_id", "month", "budgeted", "actual")
    }
    units = _with_census(units, to_date)
    explanations = {
        (e.department_id, e.account_id): e
        for e in VarianceExplanation.objects.filter(department_id__in=department_ids, month=through)
    }
    for (department_id, account_id), item in lines.items():
        item.budget_ytd = sum((item.budget.get(m, ZERO) for m in to_date), ZERO)
        item.actual_ytd = sum((item.actual.get(m, ZERO) for m in to_date), ZERO)
        item.committed_ytd = sum((item.committed.get(m, ZERO) for m in months), ZERO)
        item.budget_year = sum(item.budget.values(), ZERO)
        item.forecast = _q(item.actual_ytd * len(months) / len(to_date)) if to_date else ZERO
        flex = ZERO
        for month in to_date:
            planned = item.budget.get(month, ZERO)
            budgeted_units, actual_units = units.get((department_id, month), (None, None))
            if item.account.is_variable and budgeted_units and actual_units is not None:
                planned = planned * actual_units / budgeted_units
            flex += planned
        item.flex_ytd = _q(flex)
        item.explanation = explanations.get((department_id, account_id))
    ordered = sorted(lines.values(), key=lambda v: (v.department.path, v.account.gl_code))
    return Variance(fiscal_year, months, through, ordered, threshold_pct, units=units, departments=by_id)


def _with_census(units: dict, to_date: list[dt.date]) -> dict:
    """Units of service with the census's patient days where an inpatient unit's month has budgeted units but no
    imported actual figure (the census is the one home of patient days). Two queries at most, none when nothing
    is missing."""
    missing = {key for key, (budgeted, actual_units) in units.items()
               if actual_units is None and budgeted and key[1] in to_date}
    if not missing or not to_date:
        return units
    inpatient = census.inpatient_unit_ids({department_id for department_id, _ in missing})
    if not inpatient:
        return units
    end = _month_end(to_date[-1])
    counted = census.patient_days_by_month(start=to_date[0], end=end, unit_ids=inpatient)
    filled = dict(units)
    for department_id, month in missing:
        if department_id in inpatient:
            filled[(department_id, month)] = (units[(department_id, month)][0],
                                              Decimal(counted.get((department_id, month), 0)))
    return filled


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass
class LabourPerPatientDay:
    """Labour cost per patient day in the variance's month against the salaries budget per budgeted patient day,
    and nursing hours per patient day against the units' targets (staffing's HPPD measure, asked for here and
    never computed a second time), for a department's subtree or the hospital."""

    cost: Decimal = ZERO
    hours: Decimal = ZERO
    budgeted_cost: Decimal = ZERO
    patient_days: Decimal = ZERO
    budgeted_patient_days: Decimal = ZERO
    nursing: staffing_hppd.HppdFigure | None = None

    @staticmethod
    def _per(amount: Decimal, days: Decimal) -> Decimal | None:
        return _q(amount / days) if days else None

    @property
    def cost_per_patient_day(self) -> Decimal | None:
        return self._per(self.cost, self.patient_days)

    @property
    def hours_per_patient_day(self) -> Decimal | None:
        """Nursing hours per patient day of the inpatient units in scope (staffing's measure)."""
        return self.nursing.actual if self.nursing else None

    @property
    def target_hours_per_patient_day(self) -> Decimal | None:
        return self.nursing.target if self.nursing else None

    @property
    def hours_variance_per_patient_day(self) -> Decimal | None:
        """Actual − target nursing hours per patient day."""
        return self.nursing.variance if self.nursing else None

    @property
    def budgeted_cost_per_patient_day(self) -> Decimal | None:
        return self._per(self.budgeted_cost, self.budgeted_patient_days)

    @property
    def cost_variance_per_patient_day(self) -> Decimal | None:
        """Budgeted − actual cost per patient day: negative is an overspend."""
        actual, budgeted = self.cost_per_patient_day, self.budgeted_cost_per_patient_day
        return None if actual is None or budgeted is None else budgeted - actual


def labour_per_patient_day(report: Variance, labour: LabourMonth,
                           nursing: staffing_hppd.HppdFigure | None = None) -> LabourPerPatientDay:
    """From figures already fetched (the variance, the month's labour cost and the nursing hours per patient
    day from `nursing_hours_per_patient_day`): no query."""
    month = report.through
    result = LabourPerPatientDay(cost=labour.total, hours=labour.paid_hours, nursing=nursing)
    result.budgeted_cost = sum((line.budget.get(month, ZERO) for line in report.lines
                                if line.account.kind == Account.Kind.SALARIES), ZERO)
    for (_department_id, unit_month), (budgeted, actual_units) in report.units.items():
        if unit_month == month:
            result.budgeted_patient_days += budgeted or ZERO
            result.patient_days += actual_units or ZERO
    return result


def nursing_hours_per_patient_day(*, month: dt.date, department_ids) -> staffing_hppd.HppdFigure:
    """Staffing's HPPD (actual and target) of the month over `department_ids` (a variance's departments: already
    scoped to the user and to the department chosen)."""
    figures = staffing_hppd.hppd_by_unit_month(unit_ids=set(department_ids), start=month, end=month)
    return staffing_hppd.total(figures)


# Labour cost from worked shifts ----------------------------------------------------------------------------

# A posted labour line's reference starts with its part (four letters) and the department's code: the part names
# the LabourMonth figure it carries and whether it goes to the pay policy's overtime and agency account.
LABOUR_PARTS = {
    "BASE": ("base", False), "NGHT": ("night", False), "WKND": ("weekend", False),
    "OVTM": ("overtime_premium", True), "AGCY": ("agency", True),
}


@dataclass
class LabourMonth:
    """One department's labour cost in a month, from the shifts of its rosters in force."""

    paid_hours: Decimal = ZERO
    base: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    overtime_premium: Decimal = ZERO
    night: Decimal = ZERO
    weekend: Decimal = ZERO
    agency: Decimal = ZERO  # the agency mark-up above the agency staff's own rate

    @property
    def total(self) -> Decimal:
        return self.base + self.overtime_premium + self.night + self.weekend + self.agency

    def add(self, other: LabourMonth) -> LabourMonth:
        for name in ("paid_hours", "base", "overtime_hours", "overtime_premium", "night", "weekend", "agency"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def labour_cost(*, within=None, start: dt.date, end: dt.date, policy: PayPolicy | None = None
                ) -> dict[tuple[int, dt.date], LabourMonth]:
    """{(roster department id, first of month): LabourMonth} for shifts dated start..end: paid hours × the
    person's hourly rate; agency staff at the rate × the agency multiplier; a night and a weekend (Saturday,
    Sunday) differential as a % of pay; overtime (minutes above the person's weekly limit, as the labour rules
    define it, counted in the month its week begins) paid at the overtime multiplier. Four queries."""
    policy = policy or PayPolicy.current()
    pay = ExpressionWrapper(F("shift_type__paid_minutes") * F("employee__hourly_rate"), output_field=MONEY)
    grouped = (
        worked_shifts(within=within, start=start, end=end)
        .annotate(
            month=TruncMonth("date", output_field=DateField()),
            agency=Case(When(employee__employment_type=Employee.EmploymentType.AGENCY, then=Value(1)), default=Value(0),
                        output_field=IntegerField()),
            weekend=Case(When(Q(date__iso_week_day__gte=6), then=Value(1)), default=Value(0),
                         output_field=IntegerField()),
        )
        .values_list("schedule__department_id", "month", "agency", "shift_type__is_night", "weekend")
        .annotate(minutes=Sum("shift_type__paid_minutes"), pay=Sum(pay))
        .order_by()
    )
    result: dict[tuple[int, dt.date], LabourMonth] = defaultdict(LabourMonth)
    agency_extra = policy.agency_multiplier - 1
    for department_id, month, agency, night, weekend, minutes, money in grouped:
        figures = result[(department_id, month)]
        base = Decimal(money or 0) / 60
        figures.paid_hours += _q(Decimal(minutes or 0) / 60)
        figures.base += _q(base)
        if agency:
            figures.agency += _q(base * agency_extra)
        rate = (1 + agency_extra) if agency else Decimal(1)
        if night:
            figures.night += _q(base * rate * policy.night_differential / 100)
        if weekend:
            figures.weekend += _q(base * rate * policy.weekend_differential / 100)
    for key, (hours, premium) in _overtime_cost(within, start, end, policy).items():
        result[key].overtime_hours += hours
        result[key].overtime_premium += premium
    return dict(result)


def _overtime_cost(within, start: dt.date, end: dt.date, policy: PayPolicy) -> dict:
    """{(department id, first of month): (overtime hours, premium)} over the ISO weeks beginning start..end."""
    first_monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    last_sunday = end - dt.timedelta(days=end.weekday()) + dt.timedelta(days=6)
    book = staffing_rules.RulesBook.load()  # every row: weeks at or under the lowest limit of all hold no overtime
    lowest = book.lowest_weekly_minutes()
    if first_monday > last_sunday or lowest is None:
        return {}
    keys = ("schedule__department_id", "employee_id", "employee__hourly_rate", "employee__employment_type", "monday")
    weeks = list(  # grouped by the roster's department id, not its path: a text key makes the grouping slow
        worked_shifts(within=within, start=first_monday, end=last_sunday)
        .annotate(monday=TruncWeek("date", output_field=DateField()))
        .values(*keys).annotate(minutes=Sum("shift_type__duration_minutes")).filter(minutes__gt=lowest)
        .values_list(*keys, "minutes").order_by()
    )
    if not weeks:
        return {}
    paths = dict(Department.objects.filter(pk__in={row[0] for row in weeks}).values_list("pk", "path"))
    result: dict = defaultdict(lambda: (ZERO, ZERO))
    for department_id, employee_id, rate, kind, monday, minutes in weeks:
        path = paths[department_id]
        lineage = path_ids(path)
        limit = book.rules(lineage, employee_id).max_weekly_minutes
        over = staffing_rules.overtime_minutes([minutes], limit)
        if not over:
            continue
        hourly = Decimal(rate) * (policy.agency_multiplier if kind == Employee.EmploymentType.AGENCY else 1)
        hours = Decimal(over) / 60
        key = (lineage[-1], monday.replace(day=1))
        old_hours, old_premium = result[key]
        result[key] = (old_hours + _q(hours), old_premium + _q(hours * hourly * (policy.overtime_multiplier - 1)))
    return dict(result)


def posted_labour(*, department_ids, month: dt.date) -> LabourMonth | None:
    """The labour cost of `month` as posted to the ledger for these departments (what actuals count), read back
    part by part from its lines; None when the month has not been posted. One query."""
    from django.db.models.functions import Left

    parts = (
        LedgerLine.objects.filter(batch__source=LedgerBatch.Source.LABOUR, period__month=month,
                                  department_id__in=department_ids)
        .annotate(part=Left("reference", 4)).values_list("part").annotate(amount=Sum("amount"), hours=Sum("hours"))
        .order_by()
    )
    result = None
    for part, amount, hours in parts:
        if part not in LABOUR_PARTS:
            continue
        result = result or LabourMonth()
        field_name = LABOUR_PARTS[part][0]
        setattr(result, field_name, getattr(result, field_name) + _q(amount))
        if part == "BASE":
            result.paid_hours += _q(hours)
        elif part == "OVTM":
            result.overtime_hours += _q(hours)
    return result


def labour_by_department(*, departments, start: dt.date, end: dt.date) -> dict[int, LabourMonth]:
    """Labour cost per department (of `departments`) over start..end, months added up."""
    ids = set(departments.values_list("pk", flat=True))
    totals: dict[int, LabourMonth] = defaultdict(LabourMonth)
    for (department_id, _month), figures in labour_cost(start=start, end=end).items():
        if department_id in ids:
            totals[department_id].add(figures)
    return dict(totals)


def ledger_lines(*, department, account, month):
    """The lines behind one figure (drill-down)."""
    return LedgerLine.objects.filter(within_q(department), account=account, period__month=month) \
        .select_related("batch", "department").order_by("posted_on", "pk")
