"""Template helpers for the roster pages, and the home page's "waiting for you" figures."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..rules import HARD, Rule

register = template.Library()

STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "approved": "text-bg-info",
    "published": "text-bg-success",
    "requested": "text-bg-primary",
    "denied": "text-bg-danger",
    "cancelled": "text-bg-light border",
}


@register.filter
def rule_label(rule) -> str:
    return Rule.label_of(rule)


@register.filter
def staffing_badge(status) -> str:
    return STATUS_BADGES.get(str(status), "text-bg-light border")


@register.filter
def rule_summary(rules) -> list[tuple[str, str]]:
    """The rule fields a LabourRules row sets, as (label, value) pairs; shift limits last."""
    shown = []
    for name in rules.RULE_FIELDS:
        value = getattr(rules, name)
        if value is None:
            continue
        label = str(rules._meta.get_field(name).verbose_name)
        if name.endswith("_minutes") or name.endswith("_minutes_per_period"):
            label, value = label.replace("minutes", "hours"), f"{value / 60:g}"
        shown.append((label[:1].upper() + label[1:], str(value)))
    for limit in rules.shift_limits.all():
        shown.append((str(_("Most %(code)s shifts in a roster") % {"code": limit.shift_type.code}),
                      str(limit.max_shifts)))
    return shown


# The roster grid's cells --------------------------------------------------------------------------
#
# A large unit's roster is thousands of cells: they are written here, in one pass per row, rather than
# by a template included per cell. This is the one place a cell's markup lives; the grid, the print
# view and the answer to a cell edit (staffing/_cell.html) all write it through `cell_html`.


class _Day:
    __slots__ = ("compact", "iso", "label", "weekend")

    def __init__(self, day):
        self.compact = f"{day:%Y%m%d}"
        self.iso = day.isoformat()
        self.label = date_format(day, "D j M")
        self.weekend = day.weekday() >= 5


_LOCKED = _("locked: the generator keeps this cell")


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    # a row's name, the cell URL, day labels and shift codes recur across thousands of cells
    return escape(text)


def cell_html(*, employee_id: int, name: str, day: _Day, row: int, col: int, code: str, shift_type_id,
              findings, can_edit: bool, cell_url: str, error: str = "", oob: bool = False,
              locked: bool = False) -> str:
    key = f"{employee_id}-{day.compact}"
    classes = "roster-cell"
    if locked:
        classes += " is-locked"
    if shift_type_id:
        classes += f" shift-{shift_type_id}"
    elif day.weekend:
        classes += " is-weekend"
    if findings:
        classes += " has-hard" if any(f.severity == HARD for f in findings) else " has-soft"
    if error:
        classes += " is-refused"
    parts = [f'<td id="cell-{key}" class="{classes}"']
    if oob:
        parts.append(' hx-swap-oob="true"')
    if findings:
        parts.append(' title="' + "&#10;".join(escape(f.message) for f in findings) + '"')
    parts.append(">")
    if locked:
        parts.append(f'<span class="cell-lock" role="img" aria-label="{escape(_LOCKED)}" title="{escape(_LOCKED)}">'
                     "&#128274;</span>")
    if can_edit:
        label = f"{_escaped(name)}, {_escaped(day.label)}" + (f", {escape(_LOCKED)}" if locked else "")
        parts.append(
            f'<input class="cell-input" size="2" id="in-{key}" type="text" name="code" value="{_escaped(code)}" '
            f'maxlength="8" autocomplete="off" spellcheck="false" aria-label="{label}" '
            f'data-row="{row}" data-col="{col}" hx-post="{_escaped(cell_url)}" hx-trigger="change" '
            f"hx-vals='{{\"employee\": {employee_id}, \"date\": \"{day.iso}\"}}'"
        )
        if error:
            parts.append(f' aria-invalid="true" aria-describedby="err-{key}"')
        parts.append(">")
    else:
        parts.append(f'<span class="cell-code">{_escaped(code)}</span>')
    if error:
        parts.append(f'<div class="cell-error" id="err-{key}" role="alert">{escape(error)}</div>')
    parts.append("</td>")
    return "".join(parts)


def _grid_days(grid) -> list[_Day]:
    days = grid.__dict__.get("_markup_days")
    if days is None:
        days = grid.__dict__["_markup_days"] = [_Day(day) for day in grid.days]
    return days


@register.simple_tag
def roster_cells(grid, employee, row: int, can_edit: bool, cell_url: str = "") -> str:
    """One employee's cells of the grid, day by day."""
    name = employee.full_name
    assignments, findings, locked = grid.assignments, grid.violations_by_cell, grid.locked
    cells = []
    for col, (date, day) in enumerate(zip(grid.days, _grid_days(grid), strict=True)):
        cell = assignments.get((employee.pk, date))
        cells.append(cell_html(
            employee_id=employee.pk, name=name, day=day, row=row, col=col, code=cell.code if cell else "",
            shift_type_id=cell.shift_type_id if cell else None, findings=findings.get((employee.pk, date)),
            can_edit=can_edit, cell_url=cell_url, locked=(employee.pk, date) in locked,
        ))
    return mark_safe("".join(cells))  # noqa: S308 - every value in it is escaped above


@register.simple_tag
def roster_cell(cell: dict, cell_url: str = "", oob: bool = False) -> str:
    """One cell, as the views' `_cell` describes it (the answer to an edit)."""
    employee = cell["employee"]
    return mark_safe(cell_html(  # noqa: S308 - every value in it is escaped in cell_html
        employee_id=employee.pk, name=employee.full_name, day=_Day(cell["day"]), row=cell["row"], col=cell["col"],
        code=cell["code"], shift_type_id=cell["shift_type_id"], findings=cell["findings"],
        can_edit=cell["can_edit"], cell_url=cell_url, error=cell["error"], oob=oob, locked=cell.get("locked", False),
    ))


# Numbers of the roster's tables --------------------------------------------------------------------------
#
# The measures, coverage and fairness tables print a few thousand numbers drawn from a few dozen values:
# each value is formatted once (as the template would, in the active language) and its text reused.

_FORMATTED: dict[tuple, str] = {}


def _formatted(value, arg=None, language=None) -> str:
    """`{{ value }}` (arg None) or `{{ value|floatformat:arg }}`, escaped, remembered per value and language."""
    key = (type(value), str(value), arg, language or get_language())
    text = _FORMATTED.get(key)
    if text is None:
        if len(_FORMATTED) > 20_000:
            _FORMATTED.clear()
        shown = localize(value) if arg is None else floatformat(value, arg)
        text = _FORMATTED[key] = conditional_escape(shown)
    return text


@register.simple_tag
def measure_cells(person: dict) -> str:
    """A person's hours week by week, their total and their overtime (the measures table's row cells)."""
    lang = get_language()
    cells = [f'<td class="text-end">{_formatted(hours, "-1", lang)}</td>' for hours in person["weeks"]]
    cells.append(f'<td class="text-end fw-semibold">{_formatted(person["hours"], "-1", lang)}</td>')
    overtime = person["overtime"]
    css = "text-end text-danger fw-semibold" if overtime else "text-end"
    cells.append(f'<td class="{css}">{_formatted(overtime, "-1", lang)}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - every value in it is escaped above


@register.simple_tag
def coverage_cells(line: dict) -> str:
    """One coverage row's cells, day by day: assigned / required, marked short, over or met."""
    label, lang = escape(line["label"]), get_language()
    cells = []
    for c in line["cells"]:
        if c is None:
            cells.append('<td class="coverage-cell is-none"></td>')
            continue
        state = " is-gap" if c.gap else " is-over" if c.over else " is-met"
        assigned, required = _formatted(c.assigned, language=lang), _formatted(c.required, language=lang)
        note = (f", {_formatted(c.gap, language=lang)} short" if c.gap
                else f", {_formatted(c.over, language=lang)} over" if c.over else "")
        basis = mark = ""
        census = getattr(c, "census", None)
        if census is not None:  # the requirement came from a ratio: say from which census
            forecast = c.source == "forecast"
            figure = _formatted(round(census, 1 if forecast else 0), language=lang)
            basis = (f" · required from the forecast census {figure}" if forecast
                     else f" · required from the midnight census {figure}")
            mark = (f'<sup class="coverage-basis is-{escape(c.source)}">{"f" if forecast else "c"}</sup>')
        cells.append(
            f'<td class="coverage-cell{state}" '
            f'title="{_formatted_day(c.date, lang)} {label}: {assigned} of {required}{note}{basis}">'
            f"{assigned}/{required}{mark}</td>"
        )
    return mark_safe("".join(cells))  # noqa: S308 - every value in it is escaped above


@lru_cache(maxsize=2048)
def _formatted_day(day, language) -> str:
    return escape(date_format(day, "D j M"))


@register.simple_tag
def fairness_cells(line) -> str:
    """A fairness line's FTE, then worked / fair share of each kind on the roster and over the weeks before."""
    lang = get_language()
    cells = [f"<td>{_formatted(line.fte, language=lang)}</td>"]
    cells += [
        f'<td data-kind="{escape(kind)}">{_formatted(worked, language=lang)} / {_formatted(share, language=lang)}</td>'
        for kind, (worked, share) in line.roster.items()
    ]
    cells += [
        f"<td>{_formatted(worked, language=lang)} / {_formatted(share, language=lang)}</td>"
        for worked, share in line.history.values()
    ]
    return mark_safe("".join(cells))  # noqa: S308 - every value in it is escaped above
