"""A department head's report holds only their departments' data, checked in the PDF's own text."""

import pytest

from reports import services
from reports.models import ReportKind, ReportRun

from .conftest import MARCH
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def heads_report(march, kind, capture):
    with capture(execute=True):
        run, _ = services.request_report(kind=kind, period=MARCH, scope=str(march.medicine.pk),
                                         requested_by=march.users["head_med"])
    run.refresh_from_db()
    assert run.status == ReportRun.Status.SUCCEEDED
    return pdf_text(run.file.read())


def test_it_names_no_one_from_another_department_in_a_heads_compliance_report(
    march, django_capture_on_commit_callbacks
):
    import io

    import openpyxl

    text = heads_report(march, ReportKind.COMPLIANCE, django_capture_on_commit_callbacks)
    run = ReportRun.objects.get(kind=ReportKind.COMPLIANCE)
    sheet = openpyxl.load_workbook(io.BytesIO(run.workbook.read())).active
    listed = " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value)
    assert "Staff, Stacy" in listed
    for outside in ("Sutures", "Operating Theatres", "Surgery", "Hire"):
        assert outside not in text
        assert outside not in listed


def test_it_keeps_a_heads_board_style_report_to_their_departments(march, django_capture_on_commit_callbacks):
    text = heads_report(march, ReportKind.BOARD, django_capture_on_commit_callbacks)
    assert "Ward 4 West" in text
    assert "Surgery" not in text
    assert "Operating Theatres" not in text
    assert "50.0 %" in text  # Medicine's credential compliance: Nora's valid, Stacy's expired


def test_it_keeps_a_heads_activity_report_to_their_units(march, django_capture_on_commit_callbacks):
    text = heads_report(march, ReportKind.DEPARTMENT_ACTIVITY, django_capture_on_commit_callbacks)
    assert "Ward 4 West" in text
    assert "Operating Theatres" not in text
