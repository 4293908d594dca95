"""Charts as inline SVG, so pages and PDFs draw them alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 720, 220, 36
COLOURS = {"budget": "#9db4d0", "actual": "#1f5f99", "committed": "#e0a030"}


def _n(value: float) -> str:
    return f"{value:.1f}"


def variance_bars(months: list[dict]) -> str:
    """Monthly budget (pale bar), actual (dark bar) with the committed amount stacked on it."""
    if not months:
        return ""
    top = max([max(m["budget"], m["actual"] + m["committed"]) for m in months] + [Decimal(1)])
    slot = (WIDTH - 2 * PAD) / len(months)
    bar = slot * 0.38

    def y(value):
        return HEIGHT - PAD - float(value) / float(top) * (HEIGHT - 2 * PAD)

    shapes = []
    for index, month in enumerate(months):
        x = PAD + index * slot + slot * 0.1
        for offset, key, base, value in ((0, "budget", 0, month["budget"]), (bar, "actual", 0, month["actual"]),
                                         (bar, "committed", month["actual"], month["committed"])):
            if value:
                shapes.append((_n(x + offset), _n(y(base + value)), _n(bar), _n(max(y(base) - y(base + value), 0)),
                               COLOURS[key], f"{month['month']:%b %Y} {key}: {value:,.2f}"))
        shapes.append(("label", _n(x + bar), _n(HEIGHT - PAD + 14), f"{month['month']:%b}"))
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                                 "<title>{}</title></rect>", (s for s in shapes if s[0] != "label"))
    labels = format_html_join("", '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                              (s[1:] for s in shapes if s[0] == "label"))
    legend = format_html_join("", '<rect x="{}" y="6" width="10" height="10" fill="{}"></rect>'
                                  '<text x="{}" y="15" font-size="11">{}</text>',
                              ((PAD + i * 110, COLOURS[k], PAD + i * 110 + 14, k.capitalize())
                               for i, k in enumerate(COLOURS)))
    return format_html(
        '<svg viewBox="0 0 {} {}" role="img" aria-label="Budget, actual and committed by month" class="w-100">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"></line>{}{}{}</svg>',
        WIDTH, HEIGHT, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, rects, labels, legend,
    )


def trend_line(points: list[tuple[str, Decimal]], label: str) -> str:
    """A simple line of values over labelled points (labour cost by month)."""
    if len(points) < 2:
        return ""
    top = max([value for _, value in points] + [Decimal(1)])
    step = (WIDTH - 2 * PAD) / (len(points) - 1)
    coords = [(_n(PAD + i * step), _n(HEIGHT - PAD - float(v) / float(top) * (HEIGHT - 2 * PAD)))
              for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x},{y}" for x, y in coords)
    labels = format_html_join("", '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                              ((x, HEIGHT - PAD + 14, name) for (x, _), (name, _) in zip(coords, points, strict=True)))
    return format_html('<svg viewBox="0 0 {} {}" role="img" aria-label="{}" class="w-100">'
                       '<polyline points="{}" fill="none" stroke="#1f5f99" stroke-width="2"></polyline>{}</svg>',
                       WIDTH, HEIGHT, label, path, labels)
