"""Labour cost from worked shifts counted in actuals exactly once: posted as a month's ledger batch, posted
again without doubling, refused for closed months, and never beside the ledger's own payroll."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance import measures
from finance.models import Account, LedgerBatch, LedgerLine, PayPolicy
from finance.services.actuals import import_ledger, post_labour_cost
from records.models import Department
from staffing.models import Schedule, ShiftAssignment
from tests.staffing.factories import ShiftTypeFactory

from .test_labour_cost import MONDAY, roster  # noqa: F401 - the known roster: 2,960.78 in March 2026

pytestmark = pytest.mark.usefixtures("roster")
MARCH = dt.date(2026, 3, 1)
PAY = Decimal("2514.78")  # base 2,372.50 + night 110.40 + weekend 31.88
PREMIUM = Decimal("446.00")  # overtime premium 170.00 + agency mark-up 276.00


@pytest.fixture
def policy(books):
    premium = Account.objects.create(gl_code="5150", name="Overtime and agency", kind="salaries", is_variable=True)
    return PayPolicy.objects.create(salaries_account=books.salaries, premium_account=premium)


def ward_lines(hospital):
    """The ward's labour actuals per account."""
    from django.db.models import Sum

    return sorted(LedgerLine.objects.filter(department=hospital.ward).values_list("account__gl_code")
                  .annotate(total=Sum("amount")).order_by())


def test_it_posts_a_known_rosters_labour_cost_once(hospital, books, policy):
    result = post_labour_cost(actor=hospital.users["finance"], month=dt.date(2026, 3, 17))
    assert result == {"batch": "LABOUR-2026-03", "lines": 5, "total": Decimal("2960.78"), "replaced": 0}
    batch = LedgerBatch.objects.get(batch_id="LABOUR-2026-03")
    assert batch.source == LedgerBatch.Source.LABOUR and batch.line_count == 5
    assert ward_lines(hospital) == [("5100", PAY), ("5150", PREMIUM)]
    parts = {line.reference: (line.account.gl_code, line.amount, line.hours) for line in batch.lines.all()}
    assert parts == {
        "BASE:MED-4W": ("5100", Decimal("2372.50"), Decimal("56.50")),
        "NGHT:MED-4W": ("5100", Decimal("110.40"), None),
        "WKND:MED-4W": ("5100", Decimal("31.88"), None),
        "OVTM:MED-4W": ("5150", Decimal("170.00"), Decimal("8.00")),
        "AGCY:MED-4W": ("5150", Decimal("276.00"), None),
    }
    assert set(batch.lines.values_list("posted_on", "period__month")) == {(dt.date(2026, 3, 31), MARCH)}


def test_posting_again_replaces_the_month_and_never_doubles_it(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    again = post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert again["replaced"] == 5 and again["total"] == Decimal("2960.78")
    assert ward_lines(hospital) == [("5100", PAY), ("5150", PREMIUM)]
    # the roster changes (one more Sunday day shift: 7.5 h × 42.50, and the weekend differential on 15 h is
    # 63.75 where it was 31.88): the re-post follows it
    day = ShiftTypeFactory(department=hospital.ward, code="D2", start_time=dt.time(7), duration_minutes=480,
                           paid_minutes=450)
    ShiftAssignment.objects.create(schedule=Schedule.objects.get(), employee=hospital.nurse, shift_type=day,
                                   date=MONDAY + dt.timedelta(days=13))
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert ward_lines(hospital) == [("5100", PAY + Decimal("318.75") + Decimal("31.87")), ("5150", PREMIUM)]
    assert LedgerBatch.objects.filter(source="labour").count() == 1


def test_a_closed_month_is_refused_and_nothing_is_written(hospital, books, policy):
    books.year.periods.filter(month=MARCH).update(is_closed=True)
    with pytest.raises(ValidationError, match="March 2026 is closed"):
        post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert not LedgerLine.objects.exists() and not LedgerBatch.objects.exists()


def test_a_posted_month_stays_as_it_was_once_closed(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    books.year.periods.filter(month=MARCH).update(is_closed=True)
    ShiftAssignment.objects.all().delete()
    with pytest.raises(ValidationError, match="closed"):
        post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert ward_lines(hospital) == [("5100", PAY), ("5150", PREMIUM)]


def test_the_variance_page_reads_the_posted_month_back(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    labour = measures.posted_labour(department_ids=[hospital.ward.pk, hospital.medicine.pk], month=MARCH)
    assert (labour.paid_hours, labour.base, labour.overtime_hours, labour.overtime_premium, labour.night,
            labour.weekend, labour.agency, labour.total) == (
        Decimal("56.50"), Decimal("2372.50"), Decimal("8.00"), Decimal("170.00"), Decimal("110.40"),
        Decimal("31.88"), Decimal("276.00"), Decimal("2960.78"))
    assert measures.posted_labour(department_ids=[hospital.surgery.pk], month=MARCH) is None
    assert measures.posted_labour(department_ids=[hospital.ward.pk], month=dt.date(2026, 4, 1)) is None


def test_the_variance_counts_labour_cost_once(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    report = measures.variance(departments=Department.objects.filter(pk__in=[hospital.medicine.pk, hospital.ward.pk]),
                               fiscal_year=books.year, through=MARCH)
    salaries = {line.account.gl_code: line for line in report.lines if line.department == hospital.ward}
    assert salaries["5100"].actual_ytd == PAY and salaries["5150"].actual_ytd == PREMIUM
    assert report.total("actual_ytd") == Decimal("2960.78")
    assert report.through == MARCH


def test_the_ledger_import_refuses_payroll_the_rosters_already_count(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    rows = [
        {"reference": "1", "cost_centre": hospital.ward.code, "gl_code": "5100", "posted_on": "2026-03-28",
         "amount": "2514.78"},
        {"reference": "2", "cost_centre": hospital.ward.code, "gl_code": "6100", "posted_on": "2026-03-28",
         "amount": "80"},
    ]
    with pytest.raises(ValidationError) as refused:
        import_ledger(actor=hospital.users["finance"], batch_id="GL-2026-03", rows=rows)
    assert refused.value.messages == [
        "Row 2: MED-4W's account 5100 is counted from worked shifts in 2026-03 (labour cost posted): leave its "
        "payroll out of the extract."]
    # another department's payroll, which no roster feeds, still comes from the ledger
    rows[0]["cost_centre"] = hospital.surgery.code
    assert import_ledger(actor=hospital.users["finance"], batch_id="GL-2026-03", rows=rows)["added"] == 2


def test_a_month_whose_payroll_came_with_the_ledger_is_refused(hospital, books, policy):
    import_ledger(actor=hospital.users["finance"], batch_id="GL-2026-03", rows=[
        {"reference": "1", "cost_centre": hospital.ward.code, "gl_code": "5100", "posted_on": "2026-03-28",
         "amount": "2500"}])
    with pytest.raises(ValidationError, match="already holds MED-4W's payroll on 5100.*GL-2026-03.*twice"):
        post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert not LedgerBatch.objects.filter(source="labour").exists()


def test_a_ledger_import_may_not_reuse_a_labour_batch(hospital, books, policy):
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    with pytest.raises(ValidationError, match="labour-cost posting"):
        import_ledger(actor=hospital.users["finance"], batch_id="LABOUR-2026-03", rows=[
            {"reference": "X", "cost_centre": "SURG", "gl_code": "6100", "posted_on": "2026-03-02", "amount": "1"}])
    assert LedgerLine.objects.count() == 5


def test_without_a_salaries_account_nothing_is_posted(hospital, books, policy):
    PayPolicy.objects.update(salaries_account=None)
    with pytest.raises(ValidationError, match="salaries account first"):
        post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    assert not LedgerLine.objects.exists()


@pytest.mark.parametrize("role", ["head_med", "ops", "board"])
def test_only_finance_posts_labour_cost(hospital, books, policy, role):
    with pytest.raises(PermissionDenied):
        post_labour_cost(actor=hospital.users[role], month=MARCH)


def test_finance_posts_from_the_actuals_page(client, hospital, books, policy):
    client.force_login(hospital.users["finance"])
    response = client.post("/finance/actuals/labour/", {"month": "2026-03"}, follow=True)
    assert "LABOUR-2026-03 posted: 5 lines, 2,960.78 in all." in response.content.decode()
    assert ward_lines(hospital) == [("5100", PAY), ("5150", PREMIUM)]
    response = client.post("/finance/actuals/labour/", {"month": "2030-03"}, follow=True)
    assert "No fiscal period covers March 2030." in response.content.decode()


@pytest.mark.parametrize("role", ["head_med", "ops", "board"])
def test_the_posting_page_is_not_found_for_others(client, hospital, books, policy, role):
    client.force_login(hospital.users[role])
    assert client.post("/finance/actuals/labour/", {"month": "2026-03"}).status_code == 404
    assert not LedgerLine.objects.exists()


def test_the_api_posts_a_month(as_user, hospital, books, policy):
    response = as_user("finance").post("/api/v1/finance/labour-postings/", {"month": "2026-03-01"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"batch": "LABOUR-2026-03", "lines": 5, "total": "2960.78", "replaced": 0}
    books.year.periods.filter(month=dt.date(2026, 4, 1)).update(is_closed=True)
    response = as_user("finance").post("/api/v1/finance/labour-postings/", {"month": "2026-04-01"}, format="json")
    assert response.status_code == 400 and "closed" in str(response.json())
    assert as_user("head_med").post("/api/v1/finance/labour-postings/", {"month": "2026-03-01"},
                                    format="json").status_code == 403
