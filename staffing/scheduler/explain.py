"""Why a roster is as it is, in the words of the rule catalogue.

`explain_gaps`: for every coverage gap, each person who could have been put on that shift, and why
not (time off, a missing skill or credential, rest after a night, a limit on hours, days in a row or
weekends…): the rules the validator would report if the cell were added. Someone with no reason was
free, and left off only because the roster is better as it is.

`explain_infeasible`: which people cannot be rostered within their own rules at all (and which rule
stands in the way), since the generator keeps every rule and the only rules binding people together
(coverage) have a price, not a wall."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .. import rules
from ..rules import Cell, CoverageRow, RosterContext, Rule
from . import model as sched_model
from . import solve as sched_solve


@dataclass
class Candidate:
    employee_id: int
    name: str
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (rule code, message)

    @property
    def available(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.reasons]


@dataclass
class GapExplanation:
    row: CoverageRow
    shift_code: str
    skill_name: str | None
    candidates: list[Candidate] | None  # None: not worked out (`explain_gaps(..., candidates=False)`)

    @property
    def available(self) -> list[Candidate]:
        return [c for c in self.candidates or () if c.available]


def _key(v: rules.Violation):
    return (v.rule, v.date, v.message)


def explain_gaps(ctx: RosterContext, cells: list[Cell], limit: int = 200, *, candidates: bool = True,
                 only: tuple | None = None) -> list[GapExplanation]:
    """Every gap of the roster (at most `limit`), with each candidate and their reasons. Without
    `candidates`, the gaps alone (the people are checked gap by gap, a rule check per person: a page
    shows the gaps and asks for one gap's candidates when it is opened). `only`: the gap of that
    (day, shift type id, skill id) alone, when it is among them."""
    skill_names = {req.skill_id: req.skill.name for req in ctx.requirements if req.skill_id}
    rows = [row for row in rules.coverage(ctx, cells) if row.gap > 0][:limit]
    if only is not None:
        rows = [row for row in rows if (row.date, row.shift_type_id, row.skill_id) == only]
    who = _candidates(ctx, cells, skill_names) if candidates and rows else None
    return [
        GapExplanation(row, ctx.shift_types[row.shift_type_id].code, skill_names.get(row.skill_id),
                       who(row) if who else None)
        for row in rows
    ]


def _candidates(ctx: RosterContext, cells: list[Cell], skill_names: dict):
    """A function giving a gap's candidates: each person not on that shift that day, with the rules the
    validator would report (beyond those it reports already) if the cell were added."""
    by_employee: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_employee[cell.employee_id].append(cell)
    people = sorted(ctx.employees.values(), key=lambda e: (e.last_name, e.first_name, e.pk))
    before = {
        e.pk: {_key(v) for v in sched_model.refused(rules.check_employee(ctx, e.pk, by_employee[e.pk]))}
        for e in people
    }

    def of(row: CoverageRow) -> list[Candidate]:
        shift = ctx.shift_types[row.shift_type_id]
        candidates = []
        for employee in people:
            mine = by_employee[employee.pk]
            if any(c.date == row.date and c.shift_type_id == row.shift_type_id for c in mine):
                continue
            cell = Cell(employee.pk, row.date, row.shift_type_id)
            reasons = []
            if row.skill_id is not None and row.skill_id not in ctx.skills.get(employee.pk, ()):
                reasons.append((Rule.SKILL.value, Rule.SKILL.explain(
                    shift=shift.code, skill=skill_names.get(row.skill_id, "needed"), name=employee.full_name)))
            after = sched_model.refused(rules.check_employee(ctx, employee.pk, [*mine, cell]))
            seen = set()
            for v in after:
                if _key(v) in before[employee.pk] or _key(v) in seen:
                    continue
                seen.add(_key(v))
                reasons.append((v.rule.value, v.message))
            candidates.append(Candidate(employee.pk, employee.full_name, reasons))
        return candidates

    return of


@dataclass
class Infeasibility:
    employee_id: int | None
    name: str
    rules: list[str]  # codes of the rules that, relaxed one at a time, would let them be rostered
    message: str


def explain_infeasible(ctx: RosterContext, keep: list[Cell] = (), *, seconds: float = 2.0,
                       limit_weight: int | None = None) -> list[Infeasibility]:
    """Who cannot be rostered within their own rules (with the kept cells), and which rule it is.
    `limit_weight` as the generator had it (None: labour limits kept as hard)."""
    found: list[Infeasibility] = []
    kept_by: dict[int, list[Cell]] = defaultdict(list)
    for cell in keep:
        kept_by[cell.employee_id].append(cell)
    for employee_id in sorted(ctx.employees):
        employee = ctx.employees[employee_id]
        mine = kept_by.get(employee_id, [])

        def feasible(relax=frozenset(), mine=mine, employee_id=employee_id):
            built = sched_model.build(ctx, keep=mine, employee_ids=[employee_id], with_coverage=False, relax=relax,
                                      limit_weight=limit_weight)
            if built.problems:
                return False, built.problems
            outcome = sched_solve.solve(built, time_limit=seconds, workers=1, lns=False)
            return outcome.status != "infeasible", []

        ok, problems = feasible()
        if ok:
            continue
        if problems:
            found.append(Infeasibility(employee_id, employee.full_name, [], " ".join(problems)))
            continue
        culprits = [rule for rule in sched_model.RULE_FIELDS if feasible(frozenset({rule}))[0]]
        labels = ", ".join(str(rule.label).lower() for rule in culprits) or "several rules together"
        found.append(Infeasibility(
            employee_id, employee.full_name, [r.value for r in culprits],
            f"{employee.full_name} cannot be rostered within their own rules ({labels}) "
            f"with the days they are available and the cells kept.",
        ))
    return found

