"""Charts as inline SVG, drawn in Python so that pages and PDFs show the very same picture.

Only presentation attributes are used (no style attributes or scripts), so the SVG passes the pages'
content-security policy and renders the same in WeasyPrint. Text uses the report font.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1f4e79", "#e07b39", "#3a9d7a", "#8064a2", "#c0504d", "#7f7f7f"]
FONT = "DejaVu Sans, sans-serif"
INK = "#333333"
GRID = "#d9dee4"
TARGET = "#c0392b"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str = ""


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
    return f"{text}{unit}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" '
        f'font-size="10" fill="{INK}"><title>{escape(title)}</title>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text part is escaped above


def _axis(left, top, plot_w, plot_h, y_min, y_max, unit, ticks=4) -> list[str]:
    parts = []
    for n in range(ticks + 1):
        value = y_min + (y_max - y_min) * n / ticks
        y = top + plot_h - plot_h * n / ticks
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="0.6"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{escape(_fmt(value, unit))}</text>')
    return parts


def _legend(series: list[Series], left: int, y: int, target_label: str = "") -> list[str]:
    parts, x = [], left
    for n, line in enumerate(series):
        colour = line.colour or PALETTE[n % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{y + 1}">{escape(line.name)}</text>')
        x += 24 + 6.2 * len(line.name)
    if target_label:
        parts.append(f'<line x1="{x}" y1="{y - 3}" x2="{x + 14}" y2="{y - 3}" stroke="{TARGET}" '
                     f'stroke-width="1.2" stroke-dasharray="4 2"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 1}">{escape(target_label)}</text>')
    return parts


def line_chart(
    title: str,
    labels: list[str],
    series: list[Series],
    *,
    unit: str = "",
    target: float | None = None,
    target_label: str = "Target",
    y_min: float | None = None,
    width: int = 520,
    height: int = 210,
) -> SafeString:
    """Trend lines over periods (months), with an optional dashed target line."""
    left, right, top, bottom = 48, 12, 12, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for line in series for v in line.values if v is not None] + ([target] if target is not None else [])
    top_value = _nice_max(max(values, default=1))
    low = y_min if y_min is not None else 0
    if low >= top_value:
        top_value = low + 1
    parts = _axis(left, top, plot_w, plot_h, low, top_value, unit)
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * (value - low) / (top_value - low)

    for n, label in enumerate(labels):
        x = left + step * n
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{escape(label)}</text>')
    if target is not None:
        y = y_of(target)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{TARGET}" '
                     f'stroke-width="1.2" stroke-dasharray="4 2"/>')
    for n, line in enumerate(series):
        colour = line.colour or PALETTE[n % len(PALETTE)]
        points = [(left + step * i, y_of(v)) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>')
    parts += _legend(series, left, height - 10, target_label if target is not None else "")
    return _svg(width, height, title, parts)


def bar_chart(
    title: str,
    labels: list[str],
    series: list[Series],
    *,
    unit: str = "",
    target: float | None = None,
    target_label: str = "Target",
    width: int = 520,
    height: int = 220,
    rotate_labels: bool = False,
) -> SafeString:
    """Grouped vertical bars per category (department or day), with an optional target line."""
    left, right, top = 48, 12, 12
    bottom = 70 if rotate_labels else 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for line in series for v in line.values if v is not None] + ([target] if target is not None else [])
    top_value = _nice_max(max(values, default=1))
    parts = _axis(left, top, plot_w, plot_h, 0, top_value, unit)
    slot = plot_w / max(len(labels), 1)
    bar = min(28.0, slot * 0.8 / max(len(series), 1))
    for i, label in enumerate(labels):
        centre = left + slot * (i + 0.5)
        for n, line in enumerate(series):
            value = line.values[i]
            if value is None:
                continue
            colour = line.colour or PALETTE[n % len(PALETTE)]
            h = plot_h * value / top_value
            x = centre - bar * len(series) / 2 + bar * n
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"/>')
        y = top + plot_h + 12
        if rotate_labels:
            parts.append(f'<text x="{centre:.1f}" y="{y}" text-anchor="end" font-size="8" '
                         f'transform="rotate(-40 {centre:.1f} {y})">{escape(label)}</text>')
        else:
            parts.append(f'<text x="{centre:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>')
    if target is not None:
        y = top + plot_h - plot_h * target / top_value
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{TARGET}" '
                     f'stroke-width="1.2" stroke-dasharray="4 2"/>')
    if len(series) > 1 or target is not None:
        parts += _legend(series if len(series) > 1 else [], left, height - 6, target_label if target else "")
    return _svg(width, height, title, parts)


def hbar_chart(
    title: str,
    labels: list[str],
    values: list[float | None],
    *,
    unit: str = "%",
    maximum: float | None = None,
    target: float | None = None,
    width: int = 520,
    colour: str = PALETTE[0],
) -> SafeString:
    """One horizontal bar per row (department), the value printed at its end; a target line if given."""
    row, label_w, right, top = 16, 170, 48, 6
    height = top + row * len(labels) + 22
    plot_w = width - label_w - right
    top_value = maximum or _nice_max(max((v for v in values if v is not None), default=1))
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * i
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 11}" text-anchor="end">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 2}" y="{y + 11}" fill="#7f7f7f">no data</text>')
            continue
        w = plot_w * min(value, top_value) / top_value
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 11}">{escape(_fmt(value, unit))}</text>')
    if target is not None:
        x = label_w + plot_w * target / top_value
        bottom = top + row * len(labels)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{TARGET}" '
                     f'stroke-width="1.2" stroke-dasharray="4 2"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="{TARGET}">'
                     f'{escape("Target " + _fmt(target, unit))}</text>')
    return _svg(width, height, title, parts)
