from django import template

register = template.Library()


@register.filter
def css_string(value) -> str:
    """A value as the inside of a double-quoted CSS string (for page headers and footers)."""
    text = " ".join(str(value).split())
    return "".join(ch if ch.isalnum() or ch in " .,:;-_/()·–—&'" else f"\\{ord(ch):x} " for ch in text)


@register.filter
def pct_text(value) -> str:
    """12.5 → "12.5 %"; None (nothing to divide by) → "—"."""
    return "—" if value is None else f"{value} %"
