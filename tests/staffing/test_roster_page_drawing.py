"""The roster page draws its grid, coverage, findings, measures and fairness once per version of the data they
are drawn from (hospital_ops.data_version) and reuses the drawing until anything it is drawn from changes, by any
path: the ORM, a bulk update or raw SQL. Run for real on PostgreSQL, outside a test transaction (a transaction
that has written sees a version no one else does, so it is never given one)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from records.models import Employee
from staffing.models import ShiftAssignment, StaffingRatio, StaffingRequirement, TimeOff
from staffing.views import rosters
from tests.staffing.api_helpers import assign
from tests.staffing.census_helpers import patients, ward_bed  # noqa: F401

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the data version is kept by PostgreSQL triggers"),
]

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


@pytest.fixture
def page(client, hospital, roster):
    cache.clear()
    assign(hospital.users["scheduler_med"], roster.schedule,
           (hospital.nurse, roster.days[0], roster.day), (hospital.nurse, roster.days[1], roster.night))
    client.force_login(hospital.users["head_med"])
    url = reverse("staffing:schedule-detail", args=[roster.schedule.pk])
    client.get(url)  # the session's first request records when it was seen
    cache.clear()

    def view() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return CSRF.sub(r"\1…", response.text), len(queries)

    return view


def test_a_second_view_reuses_the_drawing_and_shows_exactly_what_a_fresh_one_does(page):
    first, drawn_queries = page()
    again, reused_queries = page()
    cache.clear()
    fresh, _queries = page()

    assert again == first == fresh
    assert "Nightingale, Nora" in first
    assert reused_queries <= 5 < drawn_queries  # session, user, roster, data version, history


def test_a_rename_by_bulk_update_shows_on_the_next_view(page, hospital):
    page()
    Employee.objects.filter(pk=hospital.nurse.pk).update(last_name="Seacole")
    text, _queries = page()
    assert "Seacole, Nora" in text
    assert "Nightingale" not in text


def test_a_cell_deleted_in_raw_sql_leaves_the_grid(page, hospital, roster):
    before, _queries = page()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM staffing_shiftassignment WHERE employee_id = %s AND date = %s",
                       [hospital.nurse.pk, roster.days[1]])
    after, _queries = page()
    night = f'id="cell-{hospital.nurse.pk}-{roster.days[1]:%Y%m%d}" class="roster-cell shift-{roster.night.pk}'
    assert night in before
    assert night not in after
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 1


def test_approved_time_off_under_a_shift_is_found_on_the_next_view(page, hospital, roster):
    before, _queries = page()
    TimeOff.objects.create(employee=hospital.nurse, kind=TimeOff.Kind.VACATION, start_date=roster.days[0],
                           end_date=roster.days[0], status=TimeOff.Status.APPROVED,
                           requested_by=hospital.users["head_med"])
    after, _queries = page()
    assert "0 hard" in before
    assert "1 hard" in after


def test_a_new_requirement_adds_its_coverage_row(page, hospital, roster):
    before, _queries = page()
    StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.late, weekday=roster.monday.weekday(),
                                       required_count=3)
    after, _queries = page()
    assert "No staffing requirements set for this unit." in before
    assert "No staffing requirements set for this unit." not in after


def test_someone_who_may_edit_and_someone_who_may_not_never_share_a_drawing(hospital, roster):
    drawn = rosters._kept("t", (roster.schedule.pk, 1), lambda: {"who": "editor", "reads_census": False})
    kept = rosters._kept("t", (roster.schedule.pk, 0), lambda: {"who": "reader", "reads_census": False})
    assert (drawn["who"], kept["who"]) == ("editor", "reader")


def test_each_day_is_drawn_anew(hospital, roster, monkeypatch):
    rosters._kept("t", (roster.schedule.pk,), lambda: {"day": "first", "reads_census": False})
    monkeypatch.setattr(rosters.timezone, "now", lambda: dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC))
    later = rosters._kept("t", (roster.schedule.pk,), lambda: {"day": "later", "reads_census": False})
    assert later["day"] == "later"


def test_the_unit_page_keeps_its_roster_summaries_until_the_roster_changes(client, hospital, roster):
    cache.clear()
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    client.force_login(hospital.users["head_med"])
    url = reverse("staffing:unit-detail", args=[roster.ward.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        before = client.get(url).text
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[1], roster.day),
           (hospital.nurse, roster.days[2], roster.day))
    with CaptureQueriesContext(connection) as second:
        after = client.get(url).text
    with CaptureQueriesContext(connection) as third:
        client.get(url)
    assert len(third) < len(second)  # kept, then drawn again after the change
    assert len(first) == len(third)
    assert before != after


def test_a_bed_movement_does_not_redraw_a_roster_that_reads_no_census(page, ward_bed):  # noqa: F811
    first, drawn_queries = page()
    patients(ward_bed, 2, dt.date(2026, 11, 1), dt.date(2026, 11, 3))
    again, queries = page()
    assert again == first
    assert queries < drawn_queries


def test_a_census_change_redraws_a_roster_staffed_by_ratio(page, hospital, roster, ward_bed):  # noqa: F811
    StaffingRatio.objects.create(department=roster.ward, shift_type=roster.day, patients_per_person=Decimal(4),
                                 effective_from=dt.date(2026, 1, 1))
    before, _queries = page()
    page()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    patients(ward_bed, 8, yesterday - dt.timedelta(days=3), None)  # still in: tomorrow's forecast moves
    after, queries = page()
    assert after != before
    assert queries > 5
