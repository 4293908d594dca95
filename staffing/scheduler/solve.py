"""Running a built model: hints, seed, workers, a time limit, live progress and cancellation.

The solver runs in a thread of its own; the calling thread watches it every `tick` seconds, tells
`on_tick` the elapsed time and the best score so far (it may write them to a job, in the caller's
own database connection), and stops the search when `should_stop` says so. A stopped or timed-out
search keeps the best roster found."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from ortools.sat.python import cp_model

from ..rules import Cell
from .model import Built

DEFAULT_WORKERS = 2
FIRST_SHARE = 0.25  # of the time limit, for the whole model before neighbourhoods
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
        self.lock = threading.Lock()

    def on_solution_callback(self):
        with self.lock:
            self.history.append((round(time.monotonic() - self.started, 3), round(self.objective_value)))

    def best(self) -> int | None:
        with self.lock:
            return self.history[-1][1] if self.history else None


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
        self.best_values: dict[int, int] | None = None  # x variable index -> 0/1
        self.best_score: int | None = None
        self.best_bound: int | None = None
        self.stopped = False
        self.keys = list(built.x)
        self.vars = [built.x[k] for k in self.keys]

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        if self.deterministic:
            return self.time_limit - self.spent
        return self.time_limit - self.elapsed()

    def run(self, limit: float, hint: dict[int, int] | None) -> tuple[str, float]:
        """Solve the model as it stands for at most `limit`; keep what improves. (status, time spent)."""
        model = self.built.model
        model.clear_hints()
        if hint is not None:
            for var in self.vars:
                model.add_hint(var, hint[var.index])
        solver = cp_model.CpSolver()
        parameters(solver, time_limit=limit, workers=self.workers, seed=self.seed, deterministic=self.deterministic)
        watcher = _Watcher(self.started)
        result: dict = {}

        def run():
            result["status"] = solver.solve(model, watcher)

        thread = threading.Thread(target=run, name="roster-solver", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(timeout=self.tick)
            if not thread.is_alive():
                break
            if self.on_tick is not None:
                best = watcher.best()
                self.on_tick(self.elapsed(), best if self.best_score is None or (best is not None
                                                                               and best < self.best_score)
                             else self.best_score)
            if self.should_stop is not None and not self.stopped and self.should_stop():
                self.stopped = True
                solver.stop_search()
        status = result.get("status", cp_model.UNKNOWN)
        used = solver.response_proto.deterministic_time if self.deterministic else solver.wall_time
        self.spent += used
        for elapsed, score in watcher.history:
            if self.best_score is None or score < min([self.best_score] + [h[1] for h in self.history]):
                self.history.append((elapsed, score))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            score = round(solver.objective_value)
            if self.best_score is None or score < self.best_score:
                self.best_score = score
                self.best_values = {var.index: int(solver.boolean_value(var)) for var in self.vars}
        name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
                cp_model.MODEL_INVALID: "invalid"}.get(status, "unknown")
        return name, solver


def _neighbourhood(search: _Search, rng: random.Random, size: float) -> set[int]:
    """Indices of the x variables set free: a window of days, a group of people, or people over a window."""
    built = search.built
    horizon, people = len(built.days), list(built.employees)
    choice = rng.random()
    if choice < 0.35:
        length = max(2, round(size * horizon))
        first = rng.randrange(0, max(1, horizon - length + 1))
        return {i for i, (e, d, s) in enumerate(search.keys) if first <= d < first + length}
    if choice < 0.7:
        chosen = set(rng.sample(people, max(2, min(len(people), round(size * len(people))))))
        return {i for i, (e, d, s) in enumerate(search.keys) if e in chosen}
    length = max(3, min(horizon, round(2 * size * horizon)))
    first = rng.randrange(0, max(1, horizon - length + 1))
    chosen = set(rng.sample(people, max(2, min(len(people), round(2 * size * len(people))))))
    return {i for i, (e, d, s) in enumerate(search.keys) if e in chosen and first <= d < first + length}


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
    """The best roster within the time limit: the whole model first (it proves small rosters optimal),
    then, while time remains, neighbourhoods re-optimised around the best roster (days, people, or people
    over days, their size adapting), then the whole model again from the best roster."""
    if built.problems:
        return Outcome("infeasible", [], None, None, 0.0)
    search = _Search(built, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                     on_tick=on_tick, should_stop=should_stop, tick=tick)
    start_hint = None
    if hint is not None:
        index = {day: i for i, day in enumerate(built.days)}
        on = {(c.employee_id, index.get(c.date), c.shift_type_id) for c in hint}
        start_hint = {built.x[key].index: int(key in on) for key in search.keys}
    first_share = time_limit if not lns else max(min(time_limit, 2.0), FIRST_SHARE * time_limit)
    status, solver = search.run(first_share, start_hint)
    if status == "unknown" and not search.stopped and search.remaining() > 0.2:
        # No roster yet (a large unit, a busy machine): the whole model keeps the rest of the time,
        # rather than giving up with time left.
        status, solver = search.run(search.remaining(), start_hint)
    bound = round(solver.best_objective_bound) if status in ("optimal", "feasible") else None
    if status == "feasible" and lns and not search.stopped and search.best_values is not None:
        rng = random.Random(seed)
        size = 0.3
        proto = built.model.proto
        final_share = 0.15 * time_limit
        while search.remaining() > final_share + 0.2 and not search.stopped:
            if search.best_score is not None and bound is not None and search.best_score <= bound:
                break
            free = _neighbourhood(search, rng, size)
            fixed = [(var.index, search.best_values[var.index]) for i, var in enumerate(search.vars)
                     if i not in free]
            for index, value in fixed:
                proto.variables[index].domain[0] = value
                proto.variables[index].domain[1] = value
            try:
                limit = min(search.remaining() - final_share, max(1.0, time_limit * SUB_LIMIT))
                sub_status, _ = search.run(limit, search.best_values)
            finally:
                for index, _value in fixed:
                    proto.variables[index].domain[0] = 0
                    proto.variables[index].domain[1] = 1
            if sub_status == "optimal":
                size = min(0.9, size * 1.1)
            elif sub_status in ("feasible", "unknown"):
                size = max(0.05, size * 0.9)
        if not search.stopped and search.remaining() > 0.2 and (bound is None or search.best_score > bound):
            status, solver = search.run(search.remaining(), search.best_values)
            if status in ("optimal", "feasible"):
                bound = max(bound or 0, round(solver.best_objective_bound))
    if search.best_values is None:
        final = "infeasible" if status == "infeasible" else "unknown"
        return Outcome(final, [], None, None, round(search.elapsed(), 3), stopped=search.stopped)
    final = "optimal" if bound is not None and search.best_score <= bound else "feasible"
    cells = built.cells(lambda var: search.best_values[var.index])
    return Outcome(
        status=final, cells=cells, score=search.best_score, best_bound=bound, seconds=round(search.elapsed(), 3),
        first_feasible_seconds=search.history[0][0] if search.history else None, history=search.history,
        stopped=search.stopped,
    )
