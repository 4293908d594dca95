"""Running a built model: hints, seed, workers, a time limit, live progress and cancellation.

The solver runs in a thread of its own; the calling thread watches it every `tick` seconds, tells
`on_tick` the elapsed time and the best score so far (it may write them to a job, in the caller's
own database connection), and stops the search when `should_stop` says so. A stopped or timed-out
search keeps the best roster found."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..rules import Cell
from .model import Built

DEFAULT_WORKERS = 2


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
    if deterministic:
        # The same seed and workers give the same roster: work is counted in deterministic time
        # and the workers' results are merged in a fixed order.
        p.interleave_search = True
        p.max_deterministic_time = float(time_limit)
        p.max_time_in_seconds = float(time_limit) * 20


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
) -> Outcome:
    if built.problems:
        return Outcome("infeasible", [], None, None, 0.0)
    if hint is not None:
        index = {day: i for i, day in enumerate(built.days)}
        on = {(c.employee_id, index.get(c.date), c.shift_type_id) for c in hint}
        for key, var in built.x.items():
            built.model.add_hint(var, key in on)
    solver = cp_model.CpSolver()
    parameters(solver, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic)
    started = time.monotonic()
    watcher = _Watcher(started)
    result: dict = {}
    stopped = False

    def run():
        result["status"] = solver.solve(built.model, watcher)

    thread = threading.Thread(target=run, name="roster-solver", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(timeout=tick)
        if not thread.is_alive():
            break
        if on_tick is not None:
            on_tick(time.monotonic() - started, watcher.best())
        if should_stop is not None and not stopped and should_stop():
            stopped = True
            solver.stop_search()
    seconds = round(time.monotonic() - started, 3)
    status = result.get("status", cp_model.UNKNOWN)
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
            cp_model.MODEL_INVALID: "invalid"}.get(status, "unknown")
    if name in {"optimal", "feasible"}:
        cells = built.cells(lambda var: solver.boolean_value(var))
        score = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
    else:
        cells, score, bound = [], None, None
    history = list(watcher.history)
    return Outcome(
        status=name, cells=cells, score=score, best_bound=bound, seconds=seconds,
        first_feasible_seconds=history[0][0] if history else None, history=history, stopped=stopped,
    )
