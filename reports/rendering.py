"""PDF rendering: HTML templates with print CSS, laid out by WeasyPrint. Pure: no database, no Celery."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def load_renderer() -> None:
    """Load WeasyPrint now rather than in the middle of a report: it takes about half a second of CPU (it looks
    its libraries up), which a worker process spends once, when it starts (reports.tasks)."""
    import weasyprint  # noqa: F401


def render_document(template: str, context: dict) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) of `template` rendered with `context`."""
    from weasyprint import HTML  # imported here: loading it costs a fraction of a second

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)


def render_pdf(template: str, context: dict) -> bytes:
    return render_document(template, context)[0]
