"""A board member signs in, lands on the archive and downloads the monthly board report."""

import io

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import HOSPITAL, ReportKind
from tests.reports.conftest import MARCH, march  # noqa: F401 - the known month's fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_board_member_downloads_the_monthly_report(page, sign_in, march, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report(kind=ReportKind.BOARD, period=MARCH, scope=HOSPITAL, requested_by=march.users["ops"])
    sign_in("board")
    assert page.get_by_role("heading", name="Board reports").is_visible()
    row = page.get_by_role("row").filter(has_text="March 2026")
    assert row.count() == 1
    assert page.get_by_role("link", name="Employees").count() == 0
    with page.expect_download() as info:
        row.get_by_role("link", name="Download PDF").click()
    content = open(info.value.path(), "rb").read()
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert "Monthly board report" in reader.pages[0].extract_text()
