import pytest

from reports import services
from reports.models import ReportKind
from reports.periods import Period
from reports.rendering import render_document, render_pdf
from reports.scope import Scope

from .conftest import MARCH
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def board_text(scope=None) -> str:
    content, _ = services.render_report(kind=ReportKind.BOARD, scope=scope or Scope(None), period=Period.parse(MARCH))
    return pdf_text(content)


def test_it_renders_a_template_to_pdf_without_celery():
    content, pages = render_document("reports/pdf/report.html", {"sections": [], "key_figures": [], "notes": []})
    assert content.startswith(b"%PDF")
    assert pages >= 3


def test_it_returns_bytes_from_render_pdf():
    assert render_pdf("reports/pdf/report.html", {}).startswith(b"%PDF")


def test_it_puts_the_coverage_and_overtime_figures_in_the_board_report(march):
    text = board_text()
    assert "77.4 %" in text  # 48 of 62 places filled
    assert "16.7 %" in text  # 64 of 384 hours are overtime
    assert "Required places" in text


def test_it_puts_the_workforce_figures_in_the_board_report(march):
    text = board_text()
    assert "4 people were employed at the end of the month" in text
    assert "1 joined and 1 left" in text
    assert "66.7 %" in text  # credential compliance


def test_it_counts_a_roster_approved_a_month_ahead_as_on_time(march):
    assert "1 of 1 rosters starting this month were approved more than 14 days" in board_text()


def test_it_prints_the_header_footer_and_page_numbers(march, settings):
    text = board_text()
    assert settings.HOSPITAL_NAME in text
    assert "CONFIDENTIAL" in text
    assert "Page 3 of" in text
    assert "Monthly board report · March 2026" in text


def test_it_says_vacancies_are_not_yet_tracked(march):
    assert "Vacancies are not yet tracked" in board_text()


def test_it_lists_named_credentials_in_the_compliance_workbook(march):
    import io

    import openpyxl

    _content, _pages, workbook = services.render_report_files(
        kind=ReportKind.COMPLIANCE, scope=Scope(None), period=Period.parse(MARCH)
    )
    names = {row[2] for row in openpyxl.load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True)}
    assert "Staff, Stacy" in names  # expired on 15 March
    assert "Sutures, Sam" in names  # expiring on 20 April


def test_it_renders_a_weekly_department_activity_report(march):
    content, _ = services.render_report(
        kind=ReportKind.DEPARTMENT_ACTIVITY, scope=Scope(march.medicine), period=Period.parse("2026-W11")
    )
    text = pdf_text(content)
    assert "Department activity report" in text
    assert "Ward 4 West" in text
