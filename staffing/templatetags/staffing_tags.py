"""Template helpers for the roster pages, and the home page's "waiting for you" figures."""

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
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
        label = f"{escape(name)}, {escape(day.label)}" + (f", {escape(_LOCKED)}" if locked else "")
        parts.append(
            f'<input class="cell-input" size="2" id="in-{key}" type="text" name="code" value="{escape(code)}" '
            f'maxlength="8" autocomplete="off" spellcheck="false" aria-label="{label}" '
            f'data-row="{row}" data-col="{col}" hx-post="{escape(cell_url)}" hx-trigger="change" '
            f"hx-vals='{{\"employee\": {employee_id}, \"date\": \"{day.iso}\"}}'"
        )
        if error:
            parts.append(f' aria-invalid="true" aria-describedby="err-{key}"')
        parts.append(">")
    else:
        parts.append(f'<span class="cell-code">{escape(code)}</span>')
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
