"""The main pages, as each kind of user sees them, are well-formed for browsers and assistive
technology: every element id once, filter drop-downs with one "All", and dates in one format."""

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportKind
from staffing.models import CalendarFeed, PublishedShift, Schedule, ShiftAssignment, ShiftPreference, TimeOff
from tests.records.factories import CredentialFactory, EmployeeSkillFactory
from tests.reports.factories import make_run
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db

US_DATE = re.compile(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b")  # "Dec. 2, 2026", "December 2, 2026"
PADDED_DAY = re.compile(r"\b0\d [A-Z][a-z]{2}\b")  # "07 Dec"
TWELVE_HOUR = re.compile(r"\b\d{1,2}(:\d\d)? ?[ap]\.m\.|\bnoon\b|\bmidnight\b")


class Page(HTMLParser):
    """What the checks need of a page: its ids, its drop-downs' options, and its visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: Counter = Counter()
        self.selects: list[tuple[str, list[tuple[str, str]]]] = []
        self.text: list[str] = []
        self._option = None
        self._hidden = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag in ("script", "style", "title"):
            self._hidden += 1
        if tag == "select":
            self.selects.append((attrs.get("name") or attrs.get("id") or "?", []))
        if tag == "option" and self.selects:
            self._option = [attrs.get("value", ""), ""]
            self.selects[-1][1].append(self._option)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._hidden -= 1
        if tag in ("option", "select"):
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()
        if not self._hidden:
            self.text.append(data)

    @property
    def duplicate_ids(self) -> list[str]:
        return sorted(name for name, count in self.ids.items() if count > 1)

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def busy_hospital(hospital):
    """Ward 4 West with shift types and requirements, a draft roster with shifts, a published
    roster running now that holds Stacy's shifts, time off, a preference, a calendar feed,
    credentials and skills, and built reports for the hospital and for Medicine."""
    h = hospital
    ward, scheduler = h.ward, h.users["scheduler_med"]
    today = timezone.localdate()
    day = ShiftTypeFactory(department=ward, code="D", name="Day", start_time=dt.time(7), duration_minutes=480)
    night = ShiftTypeFactory(department=ward, code="N", name="Night", start_time=dt.time(21),
                             duration_minutes=600, is_night=True)
    for weekday in range(7):
        RequirementFactory(department=ward, shift_type=day, weekday=weekday, required_count=2)
    monday = today - dt.timedelta(days=today.weekday())
    published = ScheduleFactory(department=ward, start_date=monday, created_by=scheduler)
    draft = ScheduleFactory(department=ward, start_date=monday + dt.timedelta(days=28), created_by=scheduler)
    for schedule in (published, draft):
        for n in range(0, 28, 3):
            for employee, shift in ((h.nurse, day), (h.staff_employee, night)):
                assignment = ShiftAssignment.objects.create(
                    schedule=schedule, employee=employee, shift_type=shift, date=schedule.start_date + dt.timedelta(n)
                )
                if schedule is published:
                    PublishedShift.objects.create(
                        schedule=schedule, employee=employee, shift_type=shift, date=assignment.date,
                        starts_at=assignment.starts_at, ends_at=assignment.ends_at,
                    )
    Schedule.objects.filter(pk=published.pk).update(
        status=Schedule.Status.PUBLISHED, submitted_by=scheduler, submitted_at=timezone.now(),
        decided_by=h.users["head_med"], decided_at=timezone.now(), published_at=timezone.now(),
    )
    TimeOff.objects.create(employee=h.staff_employee, requested_by=h.users["staff"],
                           start_date=today + dt.timedelta(days=40), end_date=today + dt.timedelta(days=42))
    TimeOff.objects.create(employee=h.nurse, requested_by=h.users["head_med"], status=TimeOff.Status.APPROVED,
                           decided_by=h.users["head_med"], decided_at=timezone.now(),
                           start_date=today + dt.timedelta(days=50), end_date=today + dt.timedelta(days=50))
    ShiftPreference.objects.create(employee=h.staff_employee, date=today + dt.timedelta(days=35),
                                   shift_type=night, kind=ShiftPreference.Kind.AVOID)
    CalendarFeed.objects.create(employee=h.staff_employee, token="t" * 40)
    for employee in (h.nurse, h.staff_employee):
        CredentialFactory(employee=employee, verified_at=timezone.now(), verified_by=h.users["head_med"])
        EmployeeSkillFactory(employee=employee, acquired_on=dt.date(2024, 3, 4))
    h.runs = {
        "hospital": make_run(kind=ReportKind.BOARD, period="2026-03"),
        "medicine": make_run(kind=ReportKind.COMPLIANCE, period="2026-03", department=h.medicine),
    }
    h.draft, h.published = draft, published
    return h


def pages_for(h, who: str) -> list[str]:
    """The main pages of each role, as its navigation offers them."""
    ward, nurse = h.ward.pk, h.nurse.pk
    managing = [
        reverse("reports:home"),
        reverse("records:department-list"),
        reverse("records:department-detail", args=[h.medicine.pk]),
        reverse("records:employee-list"),
        reverse("records:employee-detail", args=[nurse]),
        reverse("records:employee-create"),
        reverse("records:employee-edit", args=[nurse]),
        reverse("records:skill-list"),
        reverse("staffing:schedule-list"),
        reverse("staffing:schedule-detail", args=[h.draft.pk]),
        reverse("staffing:schedule-detail", args=[h.published.pk]),
        reverse("staffing:unit-detail", args=[ward]),
        reverse("staffing:shift-type-list"),
        reverse("staffing:shift-type-create", args=[ward]),
        reverse("staffing:requirement-list"),
        reverse("staffing:requirement-create", args=[ward]),
        reverse("staffing:labour-rules-list"),
        reverse("staffing:unit-rules", args=[ward]),
        reverse("staffing:time-off-list"),
        reverse("reports:archive"),
        reverse("reports:run-request"),
    ]
    return {
        "ops": managing + [
            reverse("records:department-create"),
            reverse("staffing:hospital-rules"),
            reverse("staffing:contract-rules-create"),
            reverse("reports:run-detail", args=[h.runs["hospital"].pk]),
            reverse("reports:schedule-list"),
            reverse("reports:schedule-create"),
        ],
        "head_med": managing + [reverse("reports:run-detail", args=[h.runs["medicine"].pk])],
        "scheduler_med": [
            reverse("staffing:schedule-list"),
            reverse("staffing:schedule-detail", args=[h.draft.pk]),
            reverse("records:employee-list"),
        ],
        "staff": [
            reverse("reports:home"),
            reverse("staffing:my-shifts"),
            reverse("staffing:my-time-off"),
            reverse("staffing:my-preferences"),
            reverse("records:employee-detail", args=[h.staff_employee.pk]),
        ],
        "board": [
            reverse("reports:home"),
            reverse("reports:archive"),
            reverse("reports:run-detail", args=[h.runs["hospital"].pk]),
        ],
    }[who]


ROLES = ["ops", "head_med", "scheduler_med", "staff", "board"]


def rendered(client, h, who):
    client.force_login(h.users[who])
    for url in pages_for(h, who):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, Page(response.content.decode())


@pytest.mark.parametrize("who", ROLES)
def test_no_page_repeats_an_element_id(client, busy_hospital, who):
    repeated = {url: page.duplicate_ids for url, page in rendered(client, busy_hospital, who) if page.duplicate_ids}
    assert repeated == {}


@pytest.mark.parametrize("who", ["ops", "head_med"])
def test_no_drop_down_offers_all_twice(client, busy_hospital, who):
    doubled = {}
    for url, page in rendered(client, busy_hospital, who):
        for name, options in page.selects:
            empty = [text for value, text in options if value == ""]
            alls = [text for value, text in options if text.lower() == "all"]
            if len(empty) > 1 or len(alls) > 1:
                doubled[f"{url} {name}"] = [text for _value, text in options][:3]
    assert doubled == {}


def test_the_filter_drop_downs_offer_all_first(client, busy_hospital):
    client.force_login(busy_hospital.users["ops"])
    for name in ("staffing:schedule-list", "staffing:time-off-list", "records:employee-list"):
        page = Page(client.get(reverse(name)).content.decode())
        status = dict(page.selects)["status"]
        assert status[0] == ["", "All"], name
        assert [text for _value, text in status].count("All") == 1, name


@pytest.mark.parametrize("who", ROLES)
def test_every_page_writes_dates_one_way(client, busy_hospital, who):
    """Day before month, no leading zero, a short month name, the 24-hour clock: "2 Dec 2026, 14:05"."""
    odd = {}
    for url, page in rendered(client, busy_hospital, who):
        text = page.visible_text
        found = US_DATE.findall(text) + PADDED_DAY.findall(text) + TWELVE_HOUR.findall(text)
        if found:
            odd[url] = found[:3]
    assert odd == {}


def test_a_record_shows_its_dates_in_the_suites_format(client, busy_hospital):
    h = busy_hospital
    client.force_login(h.users["ops"])
    page = Page(client.get(reverse("records:employee-detail", args=[h.nurse.pk])).content.decode()).visible_text
    assert "6 Jan 2020" in page  # hire date
    assert "since 4 Mar 2024" in page  # a skill
    expiry = timezone.localdate() + dt.timedelta(days=365)
    assert f"{expiry.day} {expiry:%b %Y}" in page
