"""Report sections: how a report is put together, and how a later capability adds to it.

A report (board, compliance, department activity) is a cover, a contents page, an executive summary,
then every registered section that joins its type, in `order`, then the notes. To add a section,
put a module in this package that registers one `Section`:

    register(Section(
        key="beds", title="Beds and census", kinds=(ReportKind.BOARD,), order=40,
        template="reports/sections/beds.html", build=build_beds,   # build(scope, period) -> dict
    ))

`build` reads through selectors, within `scope` (the hospital or one department's subtree), for
`period`. Its dict is the section template's context (as `data`); two keys are understood by the
report itself: `key_figures` (a list of KeyFigure, shown in the executive summary against target
and the previous period) and `notes` (definitions, shown on the notes page). Modules here are
imported when the app is ready, so registering is all there is to do.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from ..periods import Period
from ..scope import Scope
from ..selectors import Target


@dataclass(frozen=True)
class KeyFigure:
    """One measure for the executive summary: this period, the previous one, and the target."""

    label: str
    value: float | None
    previous: float | None = None
    unit: str = ""
    target: Target | None = None
    higher_is_better: bool = True
    digits: int = 1

    def _format(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.unit == "%":
            return f"{value:,.{self.digits}f} %"
        if self.unit:  # a measured quantity (days, h, min) keeps its decimals and names its unit
            return f"{value:,.{self.digits}f} {self.unit}"
        return f"{value:,.0f}"

    @property
    def value_text(self) -> str:
        return self._format(self.value)

    @property
    def previous_text(self) -> str:
        return self._format(self.previous)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, self.digits if self.unit else 0)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "—"
        if change == 0:
            return "no change"
        sign = "+" if change > 0 else "−"
        if self.unit == "%":
            magnitude = f"{abs(change):,.{self.digits}f} pts"
        elif self.unit:
            magnitude = f"{abs(change):,.{self.digits}f} {self.unit}"
        else:
            magnitude = f"{abs(change):,.0f}"
        return f"{sign}{magnitude}"

    @property
    def trend(self) -> str:
        """better / worse / same, compared with the previous period."""
        change = self.change
        if not change:
            return "same"
        return "better" if (change > 0) == self.higher_is_better else "worse"

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value) if self.target else None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kinds: tuple[str, ...]
    build: Callable[[Scope, Period], dict]
    template: str
    order: int = 100
    description: str = ""


@dataclass
class Registry:
    sections: dict[str, Section] = field(default_factory=dict)

    def register(self, section: Section) -> Section:
        if section.key in self.sections and self.sections[section.key] != section:
            raise ValueError(f"A report section with the key {section.key!r} is already registered.")
        self.sections[section.key] = section
        return section

    def unregister(self, key: str) -> None:
        self.sections.pop(key, None)

    def for_kind(self, kind: str) -> list[Section]:
        return sorted((s for s in self.sections.values() if kind in s.kinds), key=lambda s: (s.order, s.key))


registry = Registry()
register = registry.register


def load_sections() -> None:
    """Import every module of this package, so each registers its sections (called from AppConfig.ready)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
