"""The board report's beds and environment-of-care sections and the monthly utilisation report, against the
census fixtures of tests/facilities/test_beds_census.py (America/Chicago), computed by hand:

In January 2026 Ward 4 West (3 beds) has a stay across two midnights, a same-day stay and a stay admitted on
12 January and moved to the theatre's recovery bed at 23:59: 3 patient days, 3 admissions, 2 discharges,
1 transfer out. Operating Theatres (1 bed) takes the transfer in, keeps it one midnight and discharges it:
1 patient day, 1 discharge. The hospital: 4 patient days on 4 beds over 31 days (3.2 %), 3 discharges, an
average stay of 4 ÷ 3 = 1.33 days. December 2025 and January 2025 have no stays."""

import datetime as dt
from decimal import Decimal

import pytest

from facilities.models import PatientStay
from reports import services
from reports.models import ReportKind
from reports.periods import Period
from reports.scope import Scope
from reports.sections import beds, facilities
from tests.facilities.beds_helpers import beds_fixture  # noqa: F401
from tests.facilities.test_beds_census import stays as census_stays  # noqa: F401
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.usefixtures("census_stays")

JANUARY = Period.parse("2026-01")


def test_the_board_beds_section_matches_the_census(hospital):
    data = beds.build_board(Scope(None), JANUARY)
    now = data["current"]
    assert (now["patient_days"], now["admissions"], now["discharges"]) == (4, 3, 3)
    assert (now["staffed_beds"], now["licensed_beds"]) == (4, 4)
    assert now["occupancy_staffed"] == Decimal("3.2") and now["occupancy_licensed"] == Decimal("3.2")
    assert now["alos"] == Decimal("1.33")
    assert data["previous"]["patient_days"] == 0 and data["last_year"]["patient_days"] == 0
    assert data["last_year_label"] == "January 2025"
    departments = {row["label"]: row for row in data["by_department"]}
    assert departments["Medicine"]["patient_days"] == 3 and departments["Medicine"]["discharges"] == 2
    assert departments["Surgery"]["patient_days"] == 1
    assert [row["code"] for row in data["top_units"]] == ["MED-4W", "SURG-OR"]
    figures = {figure.label: figure for figure in data["key_figures"]}
    assert figures["Average length of stay"].value_text == "1.33 days"
    assert figures["Admissions"].value == 3 and figures["Admissions"].previous == 0


def test_the_board_sees_aggregates_only():
    """No stay, encounter or medical record number reaches the section, only counts and ratios."""
    data = beds.build_board(Scope(None), JANUARY)
    encounters = set(PatientStay.objects.values_list("encounter_number", flat=True))
    text = repr(data)
    assert encounters and not any(f"'{number}'" in text for number in encounters)
    assert "PatientStay" not in text


def test_a_departments_figures_hold_its_units_only(hospital):
    data = beds.build_utilisation(Scope(hospital.medicine), JANUARY)
    assert data["current"]["patient_days"] == 3
    assert [row["code"] for row in data["units"]["rows"]] == ["MED-4W"]
    board = beds.build_board(Scope(hospital.medicine), JANUARY)
    assert [row["code"] for row in board["top_units"]] == ["MED-4W"]


def test_the_utilisation_report_compares_with_last_month_and_last_year(hospital):
    data = beds.build_utilisation(Scope(None), JANUARY)
    rows = {row["label"]: row for row in data["comparison"]}
    assert rows["Patient days"]["now"] == "4" and rows["Patient days"]["previous"] == "0"
    assert rows["Patient days"]["change_previous"] == ("+4", "better")
    assert rows["Average length of stay (days)"]["now"] == "1.33"
    assert rows["Transfers out"]["now"] == "1" and rows["Transfers in"]["now"] == "1"
    units = {row["code"]: row for row in data["units"]["rows"]}
    assert (units["MED-4W"]["transfers_out"], units["SURG-OR"]["transfers_in"]) == (1, 1)
    assert units["MED-4W"]["alos"] == Decimal("1.50")
    assert [row["label"] for row in data["units"]["by_department"]] == ["Medicine", "Surgery"]


def test_a_running_month_is_counted_to_its_last_midnight():
    today = beds.today()
    assert beds.counted_until(Period.month_of(today)) == max(today.replace(day=1), today - dt.timedelta(days=1))
    assert beds.counted_until(JANUARY) == JANUARY.end


def test_the_environment_of_care_summary_is_figures_only(hospital):
    data = facilities.build_environment_of_care(Scope(None), JANUARY)
    assert set(data) >= {"inspection_pct", "pm", "readiness", "life_support_down", "before"}
    assert isinstance(data["life_support_down"], int)
    assert [figure.label for figure in data["key_figures"]] == [
        "Inspection compliance", "PM done on time", "Overdue life-safety findings",
        "Life-support equipment out of service"]


@pytest.mark.parametrize("scope", ["hospital", "medicine"])
def test_the_utilisation_pdf_has_its_headings_and_figures(hospital, scope):
    department = hospital.medicine if scope == "medicine" else None
    content, pages = services.render_report(kind=ReportKind.UTILISATION, scope=Scope(department), period=JANUARY)
    text = pdf_text(content)
    assert pages >= 4
    assert "Monthly utilisation report" in text and "Census, flow and units" in text
    assert "Ward 4 West" in text and "December 2025" in text and "January 2025" in text
    assert ("Operating Theatres" in text) is (department is None)


def test_the_board_pdf_has_beds_and_a_short_environment_of_care():
    content, _ = services.render_report(kind=ReportKind.BOARD, scope=Scope(None), period=JANUARY)
    text = pdf_text(content)
    assert "Beds and patient flow" in text and "Fullest units" in text
    assert "Environment of care" in text
    assert "Open findings by severity" not in text  # the full facilities section is the compliance report's
