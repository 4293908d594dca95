"""The roster-cell list of the API pages by key: every row once, in order, at any depth, while rows are
added; a head sees the same rows through the rewritten scope as the declaration gives."""

import pytest

from staffing.models import ShiftAssignment
from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign, url

pytestmark = pytest.mark.django_db


def walk(client, params, *, insert=None):
    """Every row through the `next` links; `insert(page_number)` runs between pages."""
    response = client.get(url("assignment-list"), params)
    pages = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        if insert:
            insert(len(pages))
        if not body["next"]:
            return pages
        response = client.get(body["next"])


def keys(rows):
    return [(row["date"], row["id"]) for row in rows]


def test_it_lists_every_cell_once_in_order_across_pages(as_user, hospital, roster):
    staff = EmployeeFactory.create_batch(7, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, roster.day) for e in staff for day in roster.days[:3]])
    client = as_user("head_med")

    pages = walk(client, {"page_size": 4})

    rows = [row for page in pages for row in page["results"]]
    expected = list(ShiftAssignment.objects.order_by("date", "starts_at", "pk").values_list("pk", flat=True))
    assert [row["id"] for row in rows] == expected
    assert len(pages) == 6
    assert pages[0]["count"] == 21 and pages[0]["count_is_exact"]
    assert pages[0]["previous"] is None


def test_it_keeps_a_stable_order_while_rows_are_inserted(as_user, hospital, roster):
    staff = EmployeeFactory.create_batch(6, department=hospital.ward)
    late = EmployeeFactory.create_batch(4, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, roster.day) for e in staff for day in roster.days[1:4]])
    client = as_user("head_med")
    before = set(ShiftAssignment.objects.values_list("pk", flat=True))

    def insert(page_number):  # new cells before and after where the reader stands
        if page_number <= len(late):
            assign(hospital.users["scheduler_med"], roster.schedule,
                   (late[page_number - 1], roster.days[0], roster.day),
                   (late[page_number - 1], roster.days[10], roster.day))

    rows = [row for page in walk(client, {"page_size": 5}, insert=insert) for row in page["results"]]

    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "a row came twice"
    assert before <= set(ids), "a row that was there from the start was skipped"
    assert keys(rows) == sorted(keys(rows), key=lambda k: (k[0], ShiftAssignment.objects.get(pk=k[1]).starts_at, k[1]))


def test_it_walks_back_with_the_previous_links(as_user, hospital, roster):
    staff = EmployeeFactory.create_batch(5, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, roster.day) for e in staff for day in roster.days[:2]])
    client = as_user("head_med")
    forward = walk(client, {"page_size": 3})

    back = client.get(forward[-1]["previous"]).json()

    assert [r["id"] for r in back["results"]] == [r["id"] for r in forward[-2]["results"]]


def test_it_answers_page_numbers_within_the_counted_rows(as_user, hospital, roster):
    staff = EmployeeFactory.create_batch(5, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule, *[(e, roster.days[0], roster.day) for e in staff])
    client = as_user("head_med")

    second = client.get(url("assignment-list"), {"page_size": 2, "page": 2}).json()

    ordered = list(ShiftAssignment.objects.order_by("date", "starts_at", "pk").values_list("pk", flat=True))
    assert [r["id"] for r in second["results"]] == ordered[2:4]
    assert client.get(url("assignment-list"), {"page_size": 2, "page": 9}).status_code == 404


@pytest.mark.parametrize("cursor", ["nonsense", "W10", "eyJhIjoxfQ", "WyJhIiwgWzEsIDIsIDNdXQ", "x" * 500,
                                    "WyJhIiwgWyIyMDI2LTEzLTAxIiwgIjIwMjYiLCAxXV0"])
def test_it_refuses_a_forged_cursor_with_404(as_user, hospital, roster, cursor):
    response = as_user("head_med").get(url("assignment-list"), {"cursor": cursor})

    assert response.status_code == 404


def test_it_caps_the_count_and_says_so(as_user, hospital, roster, monkeypatch):
    from hospital_ops.api_policy import KeysetPagination

    monkeypatch.setattr(KeysetPagination, "count_limit", 3)
    staff = EmployeeFactory.create_batch(5, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule, *[(e, roster.days[0], roster.day) for e in staff])

    body = as_user("head_med").get(url("assignment-list"), {"page_size": 2}).json()

    assert body["count"] == 3 and body["count_is_exact"] is False
    assert body["next"]


def test_the_head_sees_their_own_published_shifts_and_their_units_cells_only(as_user, hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))

    assert as_user("head_med").get(url("assignment-list")).json()["count"] == 1
    assert as_user("head_surg").get(url("assignment-list")).json()["count"] == 0
    assert as_user("board").get(url("assignment-list")).json()["count"] == 0


def test_the_list_writes_each_cell_as_the_serializer_does(as_user, hospital, roster, rf):
    from staffing.api.serializers import AssignmentSerializer

    staff = EmployeeFactory.create_batch(2, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, shift) for e in staff for day, shift in ((roster.days[0], roster.day),
                                                               (roster.days[2], roster.night))])

    listed = as_user("head_med").get(url("assignment-list")).json()["results"]

    cells = ShiftAssignment.objects.select_related("employee", "shift_type", "schedule").order_by(
        "date", "starts_at", "pk")
    assert listed == AssignmentSerializer(cells, many=True).data
