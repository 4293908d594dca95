"""Small server-side SVG line charts for the bed pages and PDFs (no script, no inline style: CSS classes)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 720, 220, 40, 24, 10, 10


def line_chart(labels: list[str], series: list[tuple[str, list[float | None], str]], *,
               band: tuple[list[float], list[float]] | None = None, title: str = "") -> str:
    """`series`: (name, values, css class); `band`: (low, high) values drawn as a shaded interval."""
    values = [v for _, vs, _ in series for v in vs if v is not None]
    if band:
        values += [v for v in band[0] + band[1] if v is not None]
    top = max(values + [1]) * 1.1
    count = max(len(labels), 2)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + plot_w * i / (count - 1)

    def y(v):
        return TOP + plot_h * (1 - v / top)

    parts = [f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>']
    for fraction in (0, 0.5, 1):
        value = top / 1.1 * fraction
        parts.append(f'<text x="{LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>')
    step = max(1, len(labels) // 6)
    for i in range(0, len(labels), step):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 6}" text-anchor="middle">{escape(labels[i])}</text>')
    if band:
        low, high = band
        points = [(x(i), y(v)) for i, v in enumerate(high) if v is not None]
        points += [(x(i), y(v)) for i, v in reversed(list(enumerate(low))) if v is not None]
        if points:
            parts.append('<polygon class="band" points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in points) + '"/>')
    for name, vs, css in series:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs) if v is not None)
        if path:
            parts.append(f'<polyline class="{escape(css)}" points="{path}"><title>{escape(name)}</title></polyline>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
