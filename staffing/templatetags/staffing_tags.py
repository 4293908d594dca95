"""Template helpers for the roster pages, and the home page's "waiting for you" figures."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..rules import Rule

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
