"""The compliance report counts what to act on in its PDF and names every credential in a workbook built in
the same run, stored with it and downloadable where the PDF is."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportDownload, ReportKind, ReportRun
from reports.periods import Period
from reports.scope import Scope
from reports.sections.compliance import BANDS, _as_of
from reports.selectors import credential_action_list

from .conftest import MARCH
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def old_pdf_rows(scope, period):
    """Every row the compliance PDF named before the list moved to the workbook: each band's named list."""
    as_of = _as_of(period)
    return [
        (title, row["employee__department__name"], f"{row['employee__last_name']}, {row['employee__first_name']}",
         row["employee__employee_number"], row["credential_type__name"], row["number"] or None,
         row["expiry_date"])
        for key, title, _advice in BANDS
        for row in credential_action_list(scope, as_of, key)
    ]


def as_compared(rows):
    return [(*row[:6], row[6].date() if hasattr(row[6], "date") else row[6]) for row in rows]


@pytest.mark.parametrize("department", [None, "medicine"])
def test_the_workbook_holds_every_row_the_old_pdf_held(march, department):
    scope = Scope(getattr(march, department) if department else None)
    period = Period.parse(MARCH)

    _content, _pages, workbook = services.render_report_files(kind=ReportKind.COMPLIANCE, scope=scope, period=period)

    header, *rows = sheet_rows(workbook)
    assert header == ("Band", "Department", "Name", "Employee no.", "Credential", "Number", "Expires")
    expected = old_pdf_rows(scope, period)
    assert expected, "the fixture holds credentials to act on"
    assert as_compared(rows) == expected


def test_the_pdf_counts_what_to_act_on_by_department_without_names(march):
    content, _pages, _workbook = services.render_report_files(
        kind=ReportKind.COMPLIANCE, scope=Scope(None), period=Period.parse(MARCH)
    )

    text = pdf_text(content)
    assert "Credentials to act on" in text
    assert "Full list, Excel" in text
    assert "Staff, Stacy" not in text


def test_the_board_report_has_no_workbook(march):
    assert services.render_report_files(kind=ReportKind.BOARD, scope=Scope(None), period=Period.parse(MARCH))[2] is None


def build(march, kind, capture, scope="hospital"):
    with capture(execute=True):
        run, _ = services.request_report(kind=kind, period=MARCH, scope=scope, requested_by=march.users["ops"])
    run.refresh_from_db()
    assert run.status == ReportRun.Status.SUCCEEDED
    return run


def test_a_run_stores_the_workbook_beside_the_pdf_and_serves_it_where_the_pdf_is(
    march, client, django_capture_on_commit_callbacks
):
    run = build(march, ReportKind.COMPLIANCE, django_capture_on_commit_callbacks)
    client.force_login(march.users["ops"])

    page = client.get(run.get_absolute_url()).content.decode()
    response = client.get(reverse("reports:run-workbook", args=[run.pk]))

    assert reverse("reports:run-workbook", args=[run.pk]) in page
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="compliance-report-hospital-2026-03')
    assert sheet_rows(response.getvalue())[1:] and ReportDownload.objects.filter(run=run).count() == 1
    api = client.get(reverse("reports-api:run-detail", args=[run.pk])).json()
    assert api["workbook_url"].endswith(reverse("reports-api:run-full-list", args=[run.pk]))
    assert client.get(api["workbook_url"]).status_code == 200


def test_a_rebuilt_run_replaces_its_workbook(march, django_capture_on_commit_callbacks):
    run = build(march, ReportKind.COMPLIANCE, django_capture_on_commit_callbacks)
    first = run.workbook.name
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report(kind=ReportKind.COMPLIANCE, period=MARCH, scope="hospital",
                                requested_by=march.users["ops"], regenerate=True)
    run.refresh_from_db()

    assert run.workbook.name and run.workbook.storage.exists(run.workbook.name)
    assert run.workbook.name == first or not run.workbook.storage.exists(first)


def test_it_answers_404_for_the_workbook_of_a_board_report(march, client, django_capture_on_commit_callbacks):
    run = build(march, ReportKind.BOARD, django_capture_on_commit_callbacks)
    client.force_login(march.users["ops"])

    assert client.get(reverse("reports:run-workbook", args=[run.pk])).status_code == 404


def test_it_hides_another_departments_workbook(march, client, django_capture_on_commit_callbacks):
    run = build(march, ReportKind.COMPLIANCE, django_capture_on_commit_callbacks, scope=str(march.surgery.pk))

    for username in ("head_med", "board"):
        client.force_login(march.users[username])
        assert client.get(reverse("reports:run-workbook", args=[run.pk])).status_code == 404
