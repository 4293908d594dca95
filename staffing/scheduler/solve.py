"""Running a built model: hints, seed, workers, a time limit, live progress and cancellation.

The solver runs in a thread of its own; the calling thread watches it every `tick` seconds, tells
`on_tick` the elapsed time and the best score so far (it may write them to a job, in the caller's
own database connection), and stops the search when `should_stop` says so. A stopped or timed-out
search keeps the best roster found."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from ortools.sat.python import cp_model

from .. import rules
from ..rules import Cell
from .model import Built

DEFAULT_WORKERS = 2
FIRST_SHARE = 0.25  # of the time limit, at most, for the whole model once it has a first roster
STALL_SHARE = 0.1  # of the time limit, at least STALL_MIN: a turn that long without improving gives way
STALL_MIN = 2.0
TURN_SHARE = 0.15  # of the time limit, at most, for one turn of the whole model or of our neighbourhoods
SUB_LIMIT = 1 / 20  # of the time limit, at least a second, for one neighbourhood


@dataclass
class Outcome:
    status: str  # optimal, feasible, infeasible, unknown (no roster found in time)
    cells: list[Cell]
    score: int | None
    best_bound: int | None
    seconds: float
    first_feasible_seconds: float | None = None
    history: list[tuple[float, int]] = field(default_factory=list)  # (elapsed, score) per improvement
    stopped: bool = False

    @property
    def found(self) -> bool:
        return self.status in {"optimal", "feasible"}


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.history: list[tuple[float, int]] = []
        self.last = time.monotonic()  # when this solve last found a better roster (or began)
        self.lock = threading.Lock()

    def on_solution_callback(self):
        with self.lock:
            self.last = time.monotonic()
            self.history.append((round(self.last - self.started, 3), round(self.objective_value)))

    def best(self) -> int | None:
        with self.lock:
            return self.history[-1][1] if self.history else None

    def quiet_for(self) -> float:
        with self.lock:
            return time.monotonic() - self.last


def parameters(solver: cp_model.CpSolver, *, time_limit: float, workers: int, seed: int, deterministic: bool):
    p = solver.parameters
    p.num_workers = max(1, int(workers))
    p.random_seed = int(seed)
    p.max_time_in_seconds = float(time_limit)
    p.max_memory_in_mb = int(getattr(settings, "SCHEDULER_MAX_MEMORY_MB", 2048))
    if deterministic:
        # The same seed and workers give the same roster: work is counted in deterministic time
        # and the workers' results are merged in a fixed order.
        p.interleave_search = True
        p.max_deterministic_time = float(time_limit)
        # The wall clock only guards against a runaway: on a busy machine it must never cut the search
        # short before the deterministic limit, or the same seed would give another roster.
        p.max_time_in_seconds = float(time_limit) * 200 + 60


class _Search:
    """One whole search: its clock, its best roster so far and every improvement."""

    def __init__(self, built: Built, *, time_limit, workers, seed, deterministic, on_tick, should_stop, tick):
        self.built, self.workers, self.seed, self.deterministic = built, workers, seed, deterministic
        self.time_limit, self.on_tick, self.should_stop, self.tick = time_limit, on_tick, should_stop, tick
        self.started = time.monotonic()
        self.spent = 0.0  # seconds, or deterministic time when deterministic
        self.history: list[tuple[float, int]] = []
        self.best_solution: list[int] | None = None  # every variable of the model, by index
        self.best_score: int | None = None
        self.bound: int | None = None  # the best lower bound a solve of the whole model proved
        self.stopped = False
        self.pinned = False  # while a neighbourhood is solved, its bound says nothing of the whole model
        self.keys = list(built.x)
        self.vars = [built.x[k] for k in self.keys]

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        if self.deterministic:
            return self.time_limit - self.spent
        return self.time_limit - self.elapsed()

    def proven(self) -> bool:
        return self.best_score is not None and self.bound is not None and self.best_score <= self.bound

    def value(self, var) -> int:
        return self.best_solution[var.index]

    def run(self, limit: float, *, hint: dict[int, int] | None = None, stall: float | None = None) -> str:
        """Solve the model as it stands for at most `limit` (and, given `stall`, no longer than that without
        finding a better roster), starting from the best roster so far (or `hint`, x variable index -> 0/1);
        keep what improves. Returns the status."""
        model = self.built.model
        model.clear_hints()
        if self.best_solution is not None:
            # A complete hint: the solver starts from the best roster rather than looking for it again.
            model.proto.solution_hint.vars.extend(range(len(self.best_solution)))
            model.proto.solution_hint.values.extend(self.best_solution)
        elif hint is not None:
            model.proto.solution_hint.vars.extend(list(hint))
            model.proto.solution_hint.values.extend(list(hint.values()))
        solver = cp_model.CpSolver()
        parameters(solver, time_limit=limit, workers=self.workers, seed=self.seed, deterministic=self.deterministic)
        watcher = _Watcher(self.started)
        result: dict = {}

        def run():
            result["status"] = solver.solve(model, watcher)

        thread = threading.Thread(target=run, name="roster-solver", daemon=True)
        thread.start()
        ticked = time.monotonic()
        poll = min(self.tick, 0.25) if stall is not None else self.tick
        while thread.is_alive():
            thread.join(timeout=poll)
            if not thread.is_alive():
                break
            if self.on_tick is not None and time.monotonic() - ticked >= self.tick - 1e-3:
                ticked = time.monotonic()
                best = watcher.best()
                self.on_tick(self.elapsed(), best if self.best_score is None or (best is not None
                                                                               and best < self.best_score)
                             else self.best_score)
            if self.should_stop is not None and not self.stopped and self.should_stop():
                self.stopped = True
                solver.stop_search()
            if stall is not None and watcher.best() is not None and watcher.quiet_for() > stall:
                solver.stop_search()
        status = result.get("status", cp_model.UNKNOWN)
        self.spent += solver.response_proto.deterministic_time if self.deterministic else solver.wall_time
        for elapsed, score in watcher.history:
            if self.best_score is None or score < min([self.best_score] + [h[1] for h in self.history]):
                self.history.append((elapsed, score))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            score = round(solver.objective_value)
            if self.best_score is None or score < self.best_score:
                self.best_score = score
                self.best_solution = list(solver.response_proto.solution)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not self.pinned:
            self.bound = max(self.bound or 0, round(solver.best_objective_bound))
        return {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
                cp_model.MODEL_INVALID: "invalid"}.get(status, "unknown")

    def run_neighbourhood(self, free: set[int], limit: float) -> str:
        """Re-optimise the x variables at positions `free`, every other cell pinned to the best roster."""
        proto = self.built.model.proto
        fixed = [(var.index, self.best_solution[var.index]) for i, var in enumerate(self.vars) if i not in free]
        for index, value in fixed:
            proto.variables[index].domain[0] = value
            proto.variables[index].domain[1] = value
        self.pinned = True
        try:
            return self.run(limit)
        finally:
            self.pinned = False
            for index, _value in fixed:
                proto.variables[index].domain[0] = 0
                proto.variables[index].domain[1] = 1


class _Neighbourhoods:
    """Parts of the roster to set free around the best roster: a window of days, whole calendar weeks (how the
    weekend and run rules bind), a group of people, people alike (the same cells open to them), people over
    a window, or the days where the best roster pays most for coverage."""

    def __init__(self, search: _Search, rng: random.Random):
        self.search, self.rng = search, rng
        built = search.built
        self.horizon, self.people = len(built.days), list(built.employees)
        self.by_day: dict[int, list[int]] = defaultdict(list)
        self.by_person: dict[int, list[int]] = defaultdict(list)
        for i, (e, d, _s) in enumerate(search.keys):
            self.by_day[d].append(i)
            self.by_person[e].append(i)
        self.weeks = sorted({d - built.days[d].weekday() for d in range(self.horizon)})
        self.open_to = {e: frozenset((d, s) for i in self.by_person[e] for _e, d, s in [search.keys[i]])
                        for e in self.people}
        self._costs: tuple[int | None, list[int]] = (None, [])
        self.size = 0.3  # the share of the roster set free, growing while neighbourhoods are solved to the end

    def turn(self, limit: float, stall: float) -> None:
        """Neighbourhoods one after another for at most `limit`, or until `stall` passes without improving."""
        search = self.search
        started = last = search.spent
        best = search.best_score
        while not search.stopped and search.spent - started < limit - 0.2 and search.spent - last < stall:
            sub = min(limit - (search.spent - started), max(1.0, search.time_limit * SUB_LIMIT))
            status = search.run_neighbourhood(self.pick(self.size), sub)
            if status == "optimal":
                self.size = min(0.9, self.size * 1.1)
            elif status in ("feasible", "unknown"):
                self.size = max(0.05, self.size * 0.85)
            if search.best_score < best:
                best, last = search.best_score, search.spent

    def day_costs(self) -> list[int]:
        """What the best roster pays for coverage on each day (`rules.coverage`)."""
        search = self.search
        if self._costs[0] != search.best_score:
            built = search.built
            cells = built.cells(search.value)
            index = {day: d for d, day in enumerate(built.days)}
            costs = [0] * self.horizon
            for row in rules.coverage(built.ctx, cells):
                if row.date in index:
                    costs[index[row.date]] += row.penalty
            self._costs = (search.best_score, costs)
        return self._costs[1]

    def days(self, first: int, length: int) -> set[int]:
        return {i for d in range(max(0, first), min(self.horizon, first + length)) for i in self.by_day[d]}

    def persons(self, chosen) -> set[int]:
        return {i for e in chosen for i in self.by_person[e]}

    def count(self, size: float) -> int:
        return max(2, min(len(self.people), round(size * len(self.people))))

    def pick(self, size: float) -> set[int]:
        rng, horizon = self.rng, self.horizon
        choice = rng.random()
        if choice < 0.2:
            length = max(2, round(size * horizon))
            return self.days(rng.randrange(0, max(1, horizon - length + 1)), length)
        if choice < 0.35:
            weeks = max(1, round(size * len(self.weeks)))
            first = rng.randrange(0, max(1, len(self.weeks) - weeks + 1))
            return self.days(self.weeks[first], 7 * weeks)
        if choice < 0.5:
            return self.persons(rng.sample(self.people, self.count(size)))
        if choice < 0.65:
            # People alike: one at random and those whose open cells overlap it most.
            first = rng.choice(self.people)
            mine = self.open_to[first]
            others = sorted((p for p in self.people if p != first),
                            key=lambda p: (-len(mine & self.open_to[p]), rng.random()))
            return self.persons([first] + others[:self.count(size) - 1])
        if choice < 0.8:
            costs = self.day_costs()
            if sum(costs):
                day = rng.choices(range(horizon), weights=costs)[0]
                length = max(2, round(size * horizon))
                return self.days(day - rng.randrange(length), length)
        length = max(3, min(horizon, round(2 * size * horizon)))
        first = rng.randrange(0, max(1, horizon - length + 1))
        chosen = set(rng.sample(self.people, self.count(2 * size)))
        window = self.days(first, length)
        return {i for i in self.persons(chosen) if i in window}


def solve(
    built: Built,
    *,
    time_limit: float = 60,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    hint: list[Cell] | None = None,
    on_tick=None,
    should_stop=None,
    tick: float = 1.0,
    deterministic: bool = False,
    lns: bool = True,
) -> Outcome:
    """The best roster within the time limit. Turns alternate from the best roster so far: the whole model
    (it proves small rosters optimal, and runs the solver's own neighbourhoods), then, once it stops
    improving, neighbourhoods of our own re-optimised around the best roster (days, weeks, people, people
    alike, people over days, the costliest days; their size adapting), then the whole model again, and so
    on. A turn gives way after STALL_SHARE of the time limit without improving (deterministic: the whole
    model's turn is FIRST_SHARE of the limit, so a seed repeats its roster)."""
    if built.problems:
        return Outcome("infeasible", [], None, None, 0.0)
    search = _Search(built, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                     on_tick=on_tick, should_stop=should_stop, tick=tick)
    start_hint = None
    if hint is not None:
        index = {day: i for i, day in enumerate(built.days)}
        on = {(c.employee_id, index.get(c.date), c.shift_type_id) for c in hint}
        start_hint = {built.x[key].index: int(key in on) for key in search.keys}
    stall = max(STALL_MIN, STALL_SHARE * time_limit)
    turn = max(2 * STALL_MIN, TURN_SHARE * time_limit)
    neighbourhoods = _Neighbourhoods(search, random.Random(seed))
    status = "unknown"
    # The whole model's first turn, until a first roster (however long it takes: a large unit, a busy
    # machine) and at most FIRST_SHARE of the limit after it.
    limit = min(search.remaining(), max(turn, FIRST_SHARE * time_limit)) if lns else search.remaining()
    status = search.run(limit, hint=start_hint, stall=None if deterministic or not lns else stall)
    if status == "unknown" and not search.stopped and search.remaining() > 0.2:
        status = search.run(search.remaining(), hint=start_hint, stall=None if deterministic else stall)
    if search.best_solution is not None and status not in ("infeasible", "invalid") and lns:
        # Then turns: ours, and after each the one whose last turn improved the roster faster (the whole
        # model's own neighbourhoods, or ours), never the same one three times in a row.
        first = search.history[0][1] if search.history else search.best_score
        rate = {"whole": (first - search.best_score) / max(1e-6, search.spent), "ours": None}
        last = ["whole"]
        while not search.stopped and search.remaining() > 0.2 and not search.proven():
            if rate["ours"] is None or last[-2:] == ["whole", "whole"]:
                arm = "ours"
            elif last[-2:] == ["ours", "ours"]:
                arm = "whole"
            else:
                arm = "whole" if rate["whole"] > rate["ours"] else "ours"
            before, since = search.best_score, search.spent
            if arm == "whole":
                search.run(min(search.remaining(), turn), stall=None if deterministic else stall)
            else:
                neighbourhoods.turn(min(search.remaining(), turn), stall)
            rate[arm] = (before - search.best_score) / max(1e-6, search.spent - since)
            last.append(arm)
    if search.best_solution is None:
        final = "infeasible" if status == "infeasible" else "unknown"
        return Outcome(final, [], None, None, round(search.elapsed(), 3), stopped=search.stopped)
    final = "optimal" if search.proven() else "feasible"
    cells = built.cells(search.value)
    return Outcome(
        status=final, cells=cells, score=search.best_score, best_bound=search.bound,
        seconds=round(search.elapsed(), 3), first_feasible_seconds=search.history[0][0] if search.history else None,
        history=search.history, stopped=search.stopped,
    )
