"""Small template helpers shared by every app's pages.

Rights are asked through each app's own `access` module by dotted name
(`user|may:"records.can_browse_people"`), so this package depends on no app.
"""

from django import template
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATE_BADGES = {
    "valid": ("text-bg-success", _("Valid")),
    "expiring": ("text-bg-warning", _("Expiring")),
    "expired": ("text-bg-danger", _("Expired")),
    "unverified": ("text-bg-secondary", _("Unverified")),
}
STATUS_BADGES = {
    "active": "text-bg-success",
    "leave": "text-bg-info",
    "terminated": "text-bg-secondary",
}


def _access_helper(dotted: str):
    """"records.can_browse_people" -> records.access.can_browse_people (public helpers only)."""
    app, _sep, name = dotted.partition(".")
    if not app or not name or name.startswith("_"):
        raise template.TemplateSyntaxError(f"Expected 'app.helper', got {dotted!r}.")
    return import_string(f"{app}.access.{name}")


@register.filter
def may(user, right: str) -> bool:
    """True when the app's access helper answers yes for this user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(_access_helper(right)(user))


@register.simple_tag
def ask(right: str, user, *args):
    """Call an access helper and keep its answer: `{% ask "records.role_names" user as roles %}`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return _access_helper(right)(user, *args)


@register.simple_tag
def state_badge(state) -> str:
    """A coloured badge for a credential state."""
    css, label = STATE_BADGES.get(str(state), ("text-bg-light", str(state)))
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.filter
def status_badge_class(status) -> str:
    return STATUS_BADGES.get(str(status), "text-bg-light")


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, param: str = "ordering") -> str:
    """A column header link that sorts by `field`, then reverses on the second click.

    The link keeps every other query parameter and drops the page number.
    """
    request = context["request"]
    current = request.GET.get(param, "")
    if current == field:
        target, arrow, aria = f"-{field}", " ▲", "ascending"
    elif current == f"-{field}":
        target, arrow, aria = field, " ▼", "descending"
    else:
        target, arrow, aria = field, "", "none"
    query = request.GET.copy()
    query[param] = target
    query.pop("page", None)
    return format_html(
        '<a class="sort-link" href="?{}" aria-sort="{}">{}<span aria-hidden="true">{}</span></a>',
        query.urlencode(),
        aria,
        label,
        arrow,
    )


@register.filter
def depth_class(depth) -> str:
    """Indentation class for a department tree row (`depth-0` … `depth-6`)."""
    try:
        return f"depth-{min(int(depth), 6)}"
    except (TypeError, ValueError):
        return "depth-0"


@register.filter
def startswith(value, prefix) -> bool:
    return str(value or "").startswith(str(prefix))


@register.filter
def bootstrap(bound_field, size: str = ""):
    """Render a form field's widget with Bootstrap's class for its kind (`size` "sm" for compact bars)."""
    widget = bound_field.field.widget
    suffix = f" form-select-{size}" if size else ""
    if getattr(widget, "input_type", "") == "checkbox":
        css = "form-check-input"
    elif getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.endswith("Select"):
        css = f"form-select{suffix}"
    else:
        css = f"form-control{' form-control-' + size if size else ''}"
    if bound_field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})
