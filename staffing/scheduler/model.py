"""The CP-SAT model of one roster, generated from the rule catalogue.

One Boolean per (employee, day, shift type) that the cell rules of `rules.check_cell` allow (time off,
skill, credential, active shift, period); a cell they refuse has no variable, so it can never be
written. Every other rule of the catalogue is encoded as the validator reads it:

- hard: one shift a day, overlap, forbidden succession and rest (between cells of this roster and with
  shifts in the employee's other rosters);
- the labour limits (shift-type limits, minutes in the period, weekly hours, runs of days, days off,
  nights and weekends) are soft rules: by default each breach the validator would report costs
  `limit_weight` (a unit may have them kept as hard instead, as the benchmark requires: `limit_weight`
  None);
- weighted terms: coverage under and over (`rules.coverage`), preferences (their priority), the
  fairness spread (`fairness`), and, when repairing, every changed cell.

Runs are encoded tightly: a sliding window per maximum run, one clause per too-short inner run, one
Boolean per person per weekend, forbidden successions and rest as pairwise clauses. Redundant
constraints (bounds on days worked implied by the minutes and shift limits, when the limits are hard)
and symmetry breaking between people whose rows are interchangeable help the search without changing
which rosters are valid.

`penalty` prices a roster the way the objective does, from the validator's findings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .. import rules
from ..models import ShiftPreference
from ..rules import Cell, RosterContext, Rule, Violation
from . import fairness as fair

KEPT_BY_GENERATOR = frozenset(rule for rule in Rule if rule != Rule.PREFERENCE)
DEFAULT_LIMIT_WEIGHT = 50  # per labour-limit breach, when they are weighted: under a person short (100)


def labour_limit(rule: Rule) -> bool:
    """A soft rule of the catalogue that is a labour limit (every soft rule but a preference)."""
    return not rule.is_hard and rule != Rule.PREFERENCE


def refused(violations: list[Violation], *, limit_weight: int | None = None) -> list[Violation]:
    """What the generator never writes: every hard breach and, when the labour limits are kept as hard
    (`limit_weight` None), their breaches too. Anything else has a price."""
    if limit_weight is None:
        return [v for v in violations if v.rule in KEPT_BY_GENERATOR]
    return [v for v in violations if v.rule.is_hard]


def penalty(ctx: RosterContext, cells: list[Cell], *, fairness_weight: int = 0, previous: list[Cell] | None = None,
            change_weight: int = 0, limit_weight: int | None = None) -> int:
    """The price of a roster: preferences not honoured, coverage under and over, the fairness spread
    times its weight, when repairing changed cells times their weight and, when the labour limits are
    weighted, each of their breaches times `limit_weight`."""
    violations = rules.check_roster(ctx, cells)
    price = sum(v.weight for v in violations if v.rule == Rule.PREFERENCE)
    if limit_weight is not None:
        price += limit_weight * sum(1 for v in violations if labour_limit(v.rule))
    price += sum(row.penalty for row in rules.coverage(ctx, cells))
    if fairness_weight:
        price += fairness_weight * fair.spread(fair.shares(ctx), fair.counts(ctx, cells))
    if change_weight and previous is not None:
        price += change_weight * len(changed(previous, cells))
    return price


def changed(before: list[Cell], after: list[Cell]) -> set[tuple[int, dt.date]]:
    """(employee, day) pairs whose shift differs between two rosters."""
    old = {(c.employee_id, c.date): c.shift_type_id for c in before}
    new = {(c.employee_id, c.date): c.shift_type_id for c in after}
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


@dataclass
class Built:
    ctx: RosterContext
    model: cp_model.CpModel
    employees: list[int]
    days: list[dt.date]
    x: dict[tuple[int, int, int], cp_model.IntVar]  # (employee id, day index, shift type id)
    works: dict[tuple[int, int], object] = field(default_factory=dict)  # (employee, day index) -> 0/1 expression
    problems: list[str] = field(default_factory=list)  # kept cells that cannot be kept, said plainly

    def cells(self, values) -> list[Cell]:
        """The roster a solution (a callable var -> value) describes."""
        return sorted(
            Cell(e, self.days[d], s) for (e, d, s), var in self.x.items() if values(var)
        )


def _allowed(ctx: RosterContext, employee_id: int, day: dt.date, shift_id: int) -> bool:
    return not rules.check_cell(ctx, Cell(employee_id, day, shift_id))


def _conflict(span_a, span_b, date_a, date_b, type_a, type_b, ctx: RosterContext, min_rest) -> bool:
    """Whether two shifts, a before b, break overlap, succession or rest (as rules.check_employee reads them)."""
    if span_b[0] < span_a[1]:
        return True
    if (date_b - date_a).days == 1 and type_b in ctx.forbidden_next.get(type_a, ()):
        return True
    if min_rest is not None and (span_b[0] - span_a[1]).total_seconds() / 3600 < float(min_rest):
        return True
    return False


def build(
    ctx: RosterContext,
    *,
    keep: list[Cell] = (),
    fix_all: bool = False,
    fairness_weight: int = 0,
    previous: list[Cell] | None = None,
    change_weight: int = 0,
    employee_ids: list[int] | None = None,
    with_coverage: bool = True,
    relax: frozenset = frozenset(),
    keep_off: set[tuple[int, dt.date]] = frozenset(),
    limit_weight: int | None = None,
) -> Built:
    """The model of `ctx`'s roster. `keep`: cells that must stay; `fix_all`: nothing else may be
    worked (the model then only prices `keep`); `keep_off`: (employee, day) pairs that stay free;
    `previous` with `change_weight`: a price per change; `limit_weight`: the price of each labour-limit
    breach (None: they are kept as hard)."""
    model = cp_model.CpModel()
    days = list(ctx.days)
    index = {day: i for i, day in enumerate(days)}
    employees = sorted(employee_ids if employee_ids is not None else ctx.employees)
    shift_ids = sorted(ctx.shift_types, key=lambda pk: (ctx.shift_types[pk].start_time, pk))
    spans = {(s, d): ctx.shift_types[s].span_on(day) for s in shift_ids for d, day in enumerate(days)}
    built = Built(ctx=ctx, model=model, employees=employees, days=days, x={})
    x = built.x
    kept = {(c.employee_id, c.date, c.shift_type_id) for c in keep}

    for e in employees:
        outside = [(s, en, d, st) for emp, s, en, d, st in ctx.outside if emp == e]
        min_rest = ctx.rules.get(e, rules.Rules()).min_rest_hours
        taken = {o_date for _s, _e, o_date, _t in outside}  # one shift a day, whichever the roster
        for d, day in enumerate(days):
            if (e, day) in keep_off or day in taken:
                continue
            for s in shift_ids:
                if fix_all and (e, day, s) not in kept:
                    continue
                if not _allowed(ctx, e, day, s):
                    continue
                span = spans[(s, d)]
                clash = False
                for o_start, o_end, o_date, o_type in outside:
                    if o_start <= span[0]:
                        clash = _conflict((o_start, o_end), span, o_date, day, o_type, s, ctx, min_rest)
                    else:
                        clash = _conflict(span, (o_start, o_end), day, o_date, s, o_type, ctx, min_rest)
                    if clash:
                        break
                if clash:
                    continue
                x[(e, d, s)] = model.new_bool_var(f"x_{e}_{d}_{s}")
    for cell in keep:
        d = index.get(cell.date)
        var = x.get((cell.employee_id, d, cell.shift_type_id)) if d is not None else None
        if var is None:
            found = rules.check_cell(ctx, cell) or ["it clashes with a shift in another roster"]
            why = "; ".join(v.message if isinstance(v, Violation) else v for v in found)
            built.problems.append(f"A kept cell cannot stay: {why}")
            model.add_bool_or([])  # infeasible, said by `problems`
            continue
        model.add(var == 1)
        if fix_all:
            continue
        for s in shift_ids:  # kept: nothing else that day
            other = x.get((cell.employee_id, d, s))
            if other is not None and s != cell.shift_type_id:
                model.add(other == 0)

    by_ed: dict[tuple[int, int], list] = defaultdict(list)
    for (e, d, _s), var in x.items():
        by_ed[(e, d)].append(var)
    for e in employees:
        for d in range(len(days)):
            terms = by_ed.get((e, d), [])
            if len(terms) > 1:
                model.add_at_most_one(terms)
            built.works[(e, d)] = sum(terms) if terms else 0

    objective = []
    for e in employees:
        _time_rules(built, e, shift_ids, spans)
        _limits(built, e, shift_ids, relax, limit_weight, objective)
    if not fix_all:
        _symmetry(built, keep, keep_off, previous if change_weight else None)
    _preferences(built, objective)
    if with_coverage:
        _coverage(built, objective)
    if fairness_weight:
        objective.append(fairness_weight * fair.model_spread(built))
    if change_weight and previous is not None:
        _changes(built, previous, change_weight, objective)
    model.minimize(sum(objective))
    return built


def _time_rules(built: Built, e: int, shift_ids, spans) -> None:
    ctx, x, model, days = built.ctx, built.x, built.model, built.days
    min_rest = ctx.rules.get(e, rules.Rules()).min_rest_hours
    for d in range(len(days)):
        for gap in (1, 2, 3):
            if d + gap >= len(days):
                break
            for a in shift_ids:
                va = x.get((e, d, a))
                if va is None:
                    continue
                for b in shift_ids:
                    vb = x.get((e, d + gap, b))
                    if vb is None:
                        continue
                    first, second = spans[(a, d)], spans[(b, d + gap)]
                    if first[0] <= second[0]:
                        clash = _conflict(first, second, days[d], days[d + gap], a, b, ctx, min_rest)
                    else:
                        clash = _conflict(second, first, days[d + gap], days[d], b, a, ctx, min_rest)
                    if clash:
                        model.add_bool_or([va.Not(), vb.Not()])


def _window(model, flags, limit, price=None) -> None:
    """No run of more than `limit` ones in `flags` (0/1 expressions, Booleans when priced): a sliding
    window of `limit + 1` days; priced, one Boolean per run that goes over, set where it starts."""
    if price is None:
        for start in range(len(flags) - limit):
            window = flags[start:start + limit + 1]
            if any(not isinstance(f, int) for f in window):
                model.add(sum(window) <= limit)
        return
    for start in range(len(flags) - limit):
        window = flags[start:start + limit + 1]
        before = flags[start - 1] if start > 0 else 0
        if any(isinstance(f, int) and f == 0 for f in window) or (isinstance(before, int) and before == 1):
            continue
        clause = [f.Not() for f in window if not isinstance(f, int)]
        if not isinstance(before, int):
            clause.append(before)
        clause.append(price())
        model.add_bool_or(clause)


def _literal(model, expr, cache, key):
    """A Boolean equal to a 0/1 expression (a constant stays a constant)."""
    if isinstance(expr, int):
        return expr
    if key not in cache:
        var = model.new_bool_var(f"w_{key}")
        model.add(var == expr)
        cache[key] = var
    return cache[key]


def _min_runs(model, flags, minimum, price=None) -> None:
    """Every inner run of ones (a zero on each side, inside the horizon) lasts at least `minimum`: one
    clause per run too short (priced: with a Boolean that pays for it)."""
    n = len(flags)
    for length in range(1, minimum):
        for start in range(1, n - length):
            end = start + length  # flags[end] is the zero after the run
            if end > n - 1:
                break
            clause = []
            impossible = False
            for i in range(start, end):
                f = flags[i]
                if isinstance(f, int):
                    if f == 0:
                        impossible = True
                        break
                    continue
                clause.append(f.Not())
            if impossible:
                continue
            for i in (start - 1, end):
                f = flags[i]
                if isinstance(f, int):
                    if f == 1:
                        impossible = True
                        break
                    continue
                clause.append(f)
            if impossible:
                continue
            if price is not None:
                clause.append(price())
            model.add_bool_or(clause)


class _Limit:
    """Keeps a labour limit as a constraint, or (with a weight) prices each breach as the validator
    counts them: one Boolean per breach in the objective."""

    def __init__(self, model, weight: int | None, objective: list, name: str):
        self.model, self.weight, self.objective, self.name = model, weight, objective, name
        self.count = 0

    def price(self):
        """A Boolean whose truth costs one breach."""
        self.count += 1
        var = self.model.new_bool_var(f"breach_{self.name}_{self.count}")
        self.objective.append(self.weight * var)
        return var

    @property
    def priced(self):
        return self.price if self.weight is not None else None

    def at_most(self, expr, upper: int, limit: int) -> None:
        """expr <= limit, where expr never exceeds `upper`."""
        if upper <= limit:
            return
        if self.weight is None:
            self.model.add(expr <= limit)
        else:
            self.model.add(expr <= limit + (upper - limit) * self.price())

    def at_least(self, expr, limit: int, possible: bool = True) -> None:
        """expr >= limit, where expr is never negative (`possible` False: expr is always 0)."""
        if limit <= 0:
            return
        if not possible:
            if self.weight is None:
                self.model.add_bool_or([])
            else:
                self.objective.append(self.weight)
            return
        if self.weight is None:
            self.model.add(expr >= limit)
        else:
            self.model.add(expr >= limit - limit * self.price())


def _limits(built: Built, e: int, shift_ids, relax=frozenset(), limit_weight: int | None = None,
            objective: list | None = None) -> None:
    """The labour limits of one employee; those in `relax` are left out (to find which one cannot be kept).
    `limit_weight` None: kept as constraints; otherwise each breach costs that much in `objective`."""
    ctx, x, model, days = built.ctx, built.x, built.model, built.days
    r = _relaxed(ctx.rules.get(e, rules.Rules()), relax)
    cache: dict = {}
    works = [_literal(model, built.works[(e, d)], cache, f"{e}_{d}") for d in range(len(days))]
    cells = [(d, s, var) for (emp, d, s), var in x.items() if emp == e]
    limit = _Limit(model, limit_weight, objective if objective is not None else [], f"{e}")
    hard = limit_weight is None
    duration = {s: ctx.shift_types[s].duration_minutes for s in shift_ids}
    longest: dict[int, int] = defaultdict(int)  # day -> the longest shift open to the person
    for d, s, _var in cells:
        longest[d] = max(longest[d], duration[s])
    worked = [w for w in works if not isinstance(w, int)]
    fixed_on = sum(1 for w in works if isinstance(w, int) and w)

    for s, most in r.shift_limits.items():
        terms = [var for d, t, var in cells if t == s]
        limit.at_most(sum(terms), len(terms), most)
    minutes = sum(duration[s] * var for d, s, var in cells) if cells else 0
    if r.max_minutes_per_period is not None and cells:
        limit.at_most(minutes, sum(longest.values()), r.max_minutes_per_period)
        if hard and worked and min(duration.values(), default=0) > 0:
            # Redundant: no more days worked than the shortest shift allows.
            model.add(sum(worked) + fixed_on <= r.max_minutes_per_period // min(duration.values()))
    if r.min_minutes_per_period is not None:
        limit.at_least(minutes, r.min_minutes_per_period, possible=bool(cells))
        if hard and cells and worked:
            # Redundant: at least as many days worked as the longest shift needs to reach the minimum.
            most = max(longest.values())
            model.add(sum(worked) + fixed_on >= -(-r.min_minutes_per_period // most))
    if hard and worked and r.shift_limits and all(s in r.shift_limits for s in shift_ids):
        model.add(sum(worked) + fixed_on <= sum(r.shift_limits[s] for s in shift_ids))  # redundant
    if r.max_weekly_minutes is not None:
        weeks: dict[dt.date, list] = defaultdict(list)
        for d, s, var in cells:
            weeks[days[d] - dt.timedelta(days=days[d].weekday())].append(duration[s] * var)
        upper: dict[dt.date, int] = defaultdict(int)
        for d, most in longest.items():
            upper[days[d] - dt.timedelta(days=days[d].weekday())] += most
        for monday, terms in sorted(weeks.items()):
            limit.at_most(sum(terms), upper[monday], r.max_weekly_minutes)
    if r.max_consecutive_days is not None:
        _window(model, works, r.max_consecutive_days, limit.priced)
    if r.min_consecutive_days is not None and r.min_consecutive_days > 1:
        _min_runs(model, works, r.min_consecutive_days, limit.priced)
    if r.min_consecutive_days_off is not None and r.min_consecutive_days_off > 1:
        off = [1 - f if isinstance(f, int) else f.Not() for f in works]
        _min_runs(model, off, r.min_consecutive_days_off, limit.priced)
    if r.max_consecutive_nights is not None and r.max_consecutive_nights < len(days):
        by_day: dict[int, list] = defaultdict(list)
        for d, s, var in cells:
            if ctx.shift_types[s].is_night:
                by_day[d].append(var)
        nights = [_literal(model, sum(by_day[d]), cache, f"n{e}_{d}") if by_day.get(d) else 0
                  for d in range(len(days))]
        _window(model, nights, r.max_consecutive_nights, limit.priced)
    if r.max_weekends_per_period is not None:
        weekends = built_weekends(built, e, works, cache)
        limit.at_most(sum(weekends), len(weekends), r.max_weekends_per_period)


RULE_FIELDS = {
    Rule.MAX_SHIFTS: "shift_limits",
    Rule.MAX_MINUTES: "max_minutes_per_period",
    Rule.MIN_MINUTES: "min_minutes_per_period",
    Rule.WEEKLY_HOURS: "max_weekly_minutes",
    Rule.MAX_CONSECUTIVE: "max_consecutive_days",
    Rule.MIN_CONSECUTIVE: "min_consecutive_days",
    Rule.MIN_DAYS_OFF: "min_consecutive_days_off",
    Rule.MAX_NIGHTS: "max_consecutive_nights",
    Rule.MAX_WEEKENDS: "max_weekends_per_period",
}


def _relaxed(r: rules.Rules, relax) -> rules.Rules:
    if not relax:
        return r
    values = {name: getattr(r, name) for name in rules.Rules.__dataclass_fields__}
    for rule in relax:
        name = RULE_FIELDS.get(rule)
        if name == "shift_limits":
            values[name] = {}
        elif name:
            values[name] = None
    return rules.Rules(**values)


def built_weekends(built: Built, e: int, works, cache) -> list:
    """One 0/1 per weekend (keyed by its Saturday) touched by the roster: worked if Saturday or Sunday is."""
    model, days = built.model, built.days
    by_saturday: dict[dt.date, list] = defaultdict(list)
    for d, day in enumerate(days):
        if day.weekday() >= 5:
            by_saturday[day - dt.timedelta(days=day.weekday() - 5)].append(works[d])
    result = []
    for saturday, flags in sorted(by_saturday.items()):
        flags = [f for f in flags if not isinstance(f, int) or f]
        if not flags:
            continue
        if any(isinstance(f, int) for f in flags):
            result.append(1)
            continue
        key = ("weekend", e, saturday)
        if key not in cache:
            var = model.new_bool_var(f"we_{e}_{saturday}")
            model.add_max_equality(var, flags)
            cache[key] = var
        result.append(cache[key])
    return result


def _symmetry(built: Built, keep, keep_off, previous) -> None:
    """People whose rows are interchangeable (the same cells open to them, rules, skills, FTE, and no
    preference, kept cell, kept day off or earlier cell of their own) can swap rows in any roster
    without changing its price: their rows are ordered lexicographically, so the search sees one of
    each such roster."""
    ctx = built.ctx
    bound = {c.employee_id for c in keep} | {e for e, _day in keep_off} | {c.employee_id for c in previous or ()}
    bound |= {p.employee_id for p in ctx.preferences}
    rows: dict[int, list] = defaultdict(list)
    for key in sorted(built.x, key=lambda k: (k[1], k[2])):
        rows[key[0]].append(key)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for e in built.employees:
        if e in bound or e not in rows:
            continue
        r = ctx.rules.get(e, rules.Rules())
        signature = (
            tuple((d, s) for _e, d, s in rows[e]), repr(r), tuple(sorted(ctx.skills.get(e, ()))),
            str(getattr(ctx.employees.get(e), "fte", None)),
        )
        groups[signature].append(e)
    for people in groups.values():
        for first, second in zip(people, people[1:], strict=False):
            _lex_at_least(built.model, [built.x[k] for k in rows[first]], [built.x[k] for k in rows[second]])


def _lex_at_least(model, a: list, b: list) -> None:
    """Row `a` is lexicographically at least row `b` (Booleans of equal length)."""
    equal_so_far = None  # None: the empty prefix, always equal
    for i, (va, vb) in enumerate(zip(a, b, strict=True)):
        guard = [] if equal_so_far is None else [equal_so_far.Not()]
        model.add_bool_or(guard + [va, vb.Not()])
        if i == len(a) - 1:
            break
        equal = model.new_bool_var(f"lex_{va.index}_{vb.index}")
        model.add_bool_or(guard + [va.Not(), vb.Not(), equal])
        model.add_bool_or(guard + [va, vb, equal])
        equal_so_far = equal


def _preferences(built: Built, objective: list) -> None:
    index = {day: i for i, day in enumerate(built.days)}
    wanted = set(built.employees)
    for pref in sorted(built.ctx.preferences, key=lambda p: (p.employee_id, p.date, p.shift_type_id, p.kind)):
        if pref.employee_id not in wanted or pref.date not in index:
            continue
        var = built.x.get((pref.employee_id, index[pref.date], pref.shift_type_id))
        if pref.kind == ShiftPreference.Kind.WANT:
            objective.append(pref.priority * (1 - var) if var is not None else pref.priority)
        elif var is not None:
            objective.append(pref.priority * var)


def _coverage(built: Built, objective: list) -> None:
    ctx, model, x = built.ctx, built.model, built.x
    index = {day: i for i, day in enumerate(built.days)}
    on_shift: dict[tuple[int, int], list[tuple[int, object]]] = defaultdict(list)
    for (e, d, s), var in x.items():
        on_shift[(d, s)].append((e, var))
    for row in rules.coverage_rows(ctx.days, ctx.requirements, lambda *_: 0, ctx.schedule.department_id):
        people = on_shift.get((index[row.date], row.shift_type_id), [])
        if row.skill_id is not None:
            people = [(e, v) for e, v in people if row.skill_id in ctx.skills.get(e, ())]
        staffed = sum(v for _, v in people) if people else 0
        need = row.required
        # Shortfall and excess each bounded from below only (one equation tying both to the staffed
        # count searched markedly worse on the benchmark).
        if row.under_weight and need:
            under = model.new_int_var(0, need, f"under_{row.date}_{row.shift_type_id}_{row.skill_id}")
            model.add(under >= need - staffed)
            objective.append(row.under_weight * under)
        if row.over_weight and people:
            over = model.new_int_var(0, len(people), f"over_{row.date}_{row.shift_type_id}_{row.skill_id}")
            model.add(over >= staffed - need)
            objective.append(row.over_weight * over)


def _changes(built: Built, previous: list[Cell], weight: int, objective: list) -> None:
    index = {day: i for i, day in enumerate(built.days)}
    before = {(c.employee_id, index[c.date]): c.shift_type_id for c in previous if c.date in index}
    for e in built.employees:
        for d in range(len(built.days)):
            old = before.get((e, d))
            var = built.x.get((e, d, old)) if old is not None else None
            if old is None:
                works = built.works.get((e, d), 0)
                if not isinstance(works, int):
                    objective.append(weight * works)
            elif var is None:
                objective.append(weight)
            else:
                objective.append(weight * (1 - var))
