"""Template helpers for the roster pages, and the home page's "waiting for you" figures."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

RULE_LABELS = {
    "shift_type": _("Shift"),
    "employee": _("Staff"),
    "period": _("Period"),
    "time_off": _("Time off"),
    "skill": _("Skill"),
    "credential": _("Credential"),
    "one_a_day": _("One shift a day"),
    "overlap": _("Overlap"),
    "succession": _("Succession"),
    "rest": _("Rest"),
    "max_shifts": _("Shift limit"),
    "max_minutes": _("Hours in period"),
    "min_minutes": _("Hours in period"),
    "weekly_hours": _("Weekly hours"),
    "max_consecutive": _("Days in a row"),
    "min_consecutive": _("Days in a row"),
    "min_days_off": _("Days off"),
    "max_nights": _("Nights in a row"),
    "max_weekends": _("Weekends"),
    "preference": _("Preference"),
}
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
    return RULE_LABELS.get(str(rule), str(rule).replace("_", " ").capitalize())


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
