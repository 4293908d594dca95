"""Spreadsheet uploads through the pages: the ledger in a background job, budgets from Excel, units of service."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from finance.models import LedgerLine, ServiceUnits
from hospital_ops.models import Job


def _csv(text: str, name="ledger.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_ledger_upload_runs_as_a_job_and_posts_its_lines(client, hospital, books, django_capture_on_commit_callbacks):
    client.force_login(hospital.users["finance"])
    body = ("reference,cost_centre,gl_code,posted_on,amount,description\n"
            f"L1,{hospital.medicine.cost_centre},6100,2026-03-02,120.50,Gloves\n"
            f"L2,{hospital.surgery.cost_centre},7200,2026-03-03,80.00,Trolley\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/finance/actuals/import/", {"batch_id": "GL-2026-03", "file": _csv(body)})
    job = Job.objects.get(kind="finance-ledger-import")
    assert response.status_code == 302 and response["Location"] == f"/finance/actuals/?job={job.pk}"
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result == {"batch": "GL-2026-03", "added": 2, "already_imported": 0}
    assert LedgerLine.objects.count() == 2
    assert client.get(response["Location"]).status_code == 200


def test_a_bad_ledger_upload_fails_its_job_with_every_bad_row(client, hospital, books,
                                                              django_capture_on_commit_callbacks):
    client.force_login(hospital.users["finance"])
    body = "reference,cost_centre,gl_code,posted_on,amount\nL1,NOPE,6100,2026-03-02,1\nL2,NOPE,6100,03/02/2026,x\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/finance/actuals/import/", {"batch_id": "GL-BAD", "file": _csv(body)})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error.count("Row ") == 2 and "unknown cost centre 'NOPE'" in job.error
    assert not LedgerLine.objects.exists()


def test_heads_cannot_import_the_ledger(client, hospital, books):
    client.force_login(hospital.users["head_med"])
    assert client.post("/finance/actuals/import/", {"batch_id": "X", "file": _csv("a")}).status_code == 404


def test_a_budget_imports_from_excel(client, hospital, books):
    from finance.services.budgets import create_budget

    draft = create_budget(actor=hospital.users["head_surg"], data={"department": hospital.surgery,
                                                                   "fiscal_year": books.year})
    book = Workbook()
    sheet = book.active
    sheet.append(["GL_code", "Month", "Amount"])
    sheet.append(["6100", "2026-01", 1500])
    sheet.append(["7200", "2026-02", "250.75"])
    data = io.BytesIO()
    book.save(data)
    client.force_login(hospital.users["head_surg"])
    upload = SimpleUploadedFile("budget.xlsx", data.getvalue())
    client.post(f"/finance/budgets/{draft.pk}/import/", {"file": upload})
    assert sorted(draft.lines.values_list("amount", flat=True)) == [Decimal("250.75"), Decimal("1500.00")]


def test_units_of_service_import(client, hospital, books):
    client.force_login(hospital.users["finance"])
    body = f"cost_centre,month,unit,budgeted,actual\n{hospital.ward.cost_centre},2026-03,patient days,900,944\n"
    client.post("/finance/actuals/units/", {"file": _csv(body, "units.csv")})
    units = ServiceUnits.objects.get()
    assert (units.budgeted, units.actual, units.unit) == (Decimal("900.00"), Decimal("944.00"), "patient days")
