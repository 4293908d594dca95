"""The board's occupancy trend and its month figures are the census measures of each month, as the census gives
one month on its own (facilities.census.utilisation), although the board counts its six months in one pass.

On top of the census fixtures (America/Chicago; stays in January and March 2026): a stay in the isolation bed
from 27 February to 3 March 2025, boarded for four hours and cleaned after it; another from 31 January to
2 February 2026, cleaned after it; Ward 4 West's beds are counted at 3 staffed from 2025 and 2 staffed from
15 February 2026 (the theatre keeps the one bed it has)."""

import datetime as dt

import pytest

from facilities import bed_services as s
from facilities import census
from facilities.models import Bed, BedCount, CleaningTask
from hospital_ops.scoping import hospital_zone
from reports.periods import Period
from reports.scope import Scope
from reports.sections import beds
from tests.facilities.beds_helpers import beds_fixture  # noqa: F401
from tests.facilities.test_beds_census import stays as census_stays  # noqa: F401

MARCH = Period.parse("2026-03")


def local(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=hospital_zone())


def clean(bed, *, finished):
    CleaningTask.objects.filter(bed=bed, status=CleaningTask.Status.OPEN).update(
        status=CleaningTask.Status.DONE, finished_at=finished)
    Bed.objects.filter(pk=bed.pk).update(status=Bed.Status.AVAILABLE)
    bed.refresh_from_db()


@pytest.fixture
def months_of_stays(request, hospital):
    request.getfixturevalue("census_stays")
    iso = Bed.objects.get(unit=hospital.ward, isolation=True)
    s.pre_admit(actor=None, encounter_number="Y1", mrn="Y1", unit=hospital.ward, at=local(2025, 2, 27, 6))
    stay = s.admit(actor=None, encounter_number="Y1", mrn="Y1", bed=iso, at=local(2025, 2, 27, 10))
    s.discharge(actor=None, stay=stay, at=local(2025, 3, 3, 9))
    clean(iso, finished=local(2025, 3, 3, 10, 30))
    stay = s.admit(actor=None, encounter_number="Y2", mrn="Y2", bed=iso, at=local(2026, 1, 31, 20))
    s.discharge(actor=None, stay=stay, at=local(2026, 2, 2, 11))
    clean(iso, finished=local(2026, 2, 2, 12))
    BedCount.objects.create(unit=hospital.ward, effective_from=dt.date(2025, 1, 1), staffed_beds=3, licensed_beds=3)
    BedCount.objects.create(unit=hospital.ward, effective_from=dt.date(2026, 2, 15), staffed_beds=2, licensed_beds=3)


def occupancy_of(month: Period) -> float | None:
    _, whole = census.utilisation(start=month.start, end=beds.counted_until(month))
    return None if whole.occupancy_staffed is None else float(whole.occupancy_staffed)


@pytest.fixture
def trend(monkeypatch):
    """The series the board's occupancy chart is drawn from, as the chart receives them."""
    drawn = {}

    def line_chart(title, labels, series, **options):
        drawn.update(labels=labels, series={line.name: line.values for line in series})
        return ""

    monkeypatch.setattr(beds, "line_chart", line_chart)
    return drawn


@pytest.mark.usefixtures("months_of_stays")
def test_the_trend_shows_each_months_census_occupancy(trend):
    beds.build_board(Scope(None), MARCH)
    months = MARCH.months_back(6)
    assert trend["labels"] == ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    assert trend["series"]["This year"] == [occupancy_of(month) for month in months]
    assert trend["series"]["A year earlier"] == [occupancy_of(beds.same_month_last_year(month)) for month in months]
    # the months differ, so a figure put in the wrong month would show
    assert len({value for value in trend["series"]["This year"]}) >= 3
    assert trend["series"]["A year earlier"][-2] and trend["series"]["A year earlier"][-1]


@pytest.mark.usefixtures("months_of_stays")
def test_a_departments_trend_counts_its_units_only(hospital, trend):
    beds.build_board(Scope(hospital.surgery), MARCH)
    expected = []
    for month in MARCH.months_back(6):
        _, whole = census.utilisation(start=month.start, end=month.end, unit_ids=[hospital.theatre.pk])
        expected.append(None if whole.occupancy_staffed is None else float(whole.occupancy_staffed))
    assert trend["series"]["This year"] == expected
    assert expected[3] == pytest.approx(100 / 31, abs=0.05)  # the theatre's one patient day of January


@pytest.mark.usefixtures("months_of_stays")
def test_the_board_months_are_the_census_months():
    data = beds.build_board(Scope(None), Period.parse("2026-02"))
    for key, month in (("current", "2026-02"), ("previous", "2026-01"), ("last_year", "2025-02")):
        period = Period.parse(month)
        _, whole = census.utilisation(start=period.start, end=period.end)
        row = data[key]
        assert (row["patient_days"], row["admissions"], row["discharges"]) == (
            whole.patient_days, whole.admissions, whole.discharges)
        assert (row["occupancy_staffed"], row["occupancy_licensed"], row["alos"]) == (
            whole.occupancy_staffed, whole.occupancy_licensed, whole.average_length_of_stay)
        assert (row["cleaning_minutes"], row["boarding_hours"]) == (whole.cleaning_minutes, whole.boarding_hours)
    assert data["current"]["cleaning_minutes"] == 60  # the February 2026 clean only
    assert data["last_year"]["boarding_hours"] == 4


@pytest.mark.usefixtures("months_of_stays")
def test_consecutive_months_counted_together_equal_each_month_counted_alone(hospital):
    months = [Period.parse(key) for key in ("2025-02", "2025-03", "2026-01", "2026-02", "2026-03")]
    together = census.utilisation_by_period([(month.start, month.end) for month in months[2:]])
    alone = [census.utilisation(start=month.start, end=month.end) for month in months[2:]]
    assert together == alone  # every unit's figures, day by day, with cleaning and boarding
    assert census.utilisation_by_period([(month.start, month.end) for month in months[:2]]) == [
        census.utilisation(start=month.start, end=month.end) for month in months[:2]]
    assert together[1][0][hospital.ward.pk].staffed_bed_days == 14 * 3 + 14 * 2


def test_overlapping_periods_are_refused():
    with pytest.raises(ValueError):
        census.utilisation_by_period([(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
                                      (dt.date(2026, 1, 31), dt.date(2026, 2, 28))])
