"""The small demo hospital is believable: dates in order and never in the future, a handful of
warnings per roster, nobody on a month of nights, and the licence rule shown at work on drafts only."""

import random
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from records import demo as records_demo
from records.models import Employee, JobTitle
from staffing import demo as staffing_demo
from staffing import services
from staffing.models import Schedule, ShiftAssignment, TimeOff
from staffing.rules import Rule

HANDFUL = 6  # soft warnings a demo roster may show


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The people and rosters of the small demo (seed 7), built once for this module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = records_demo.DemoContext(scale="small", rng=random.Random(7), today=timezone.localdate(),
                                       log=lambda message: None)
        for step in [*records_demo.STEPS, *staffing_demo.STEPS]:
            step(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def checked(demo, db):
    """Each demo roster with its rule findings."""
    return [(s, services.schedule_violations(s)[2]) for s in Schedule.objects.select_related("department")]


def test_rosters_are_created_submitted_decided_and_published_in_that_order(demo, db):
    for schedule in Schedule.objects.all():
        moments = [schedule.created_at, schedule.submitted_at, schedule.decided_at, schedule.published_at]
        stamped = [moment for moment in moments if moment is not None]
        assert stamped == sorted(stamped), schedule
        assert schedule.first_approved_at == schedule.decided_at


def test_no_roster_is_stamped_in_the_future(demo, db):
    now = timezone.now()
    for field in ("created_at", "submitted_at", "decided_at", "first_approved_at", "published_at"):
        assert not Schedule.objects.filter(**{f"{field}__gt": now}).exists(), field


def test_time_off_is_requested_before_it_is_decided_and_never_in_the_future(demo, db):
    now = timezone.now()
    requests = list(TimeOff.objects.all())
    assert requests
    assert all(r.requested_at <= now for r in requests)
    decided = [r for r in requests if r.decided_at is not None]
    assert decided and all(r.requested_at <= r.decided_at <= now for r in decided)


def test_each_roster_shows_a_handful_of_warnings_at_most(checked):
    soft = {str(s): sum(not v.is_hard for v in found) for s, found in checked}
    assert max(soft.values()) <= HANDFUL, soft
    assert sum(soft.values()) > 0  # the rules still have something to say


def test_no_roster_past_draft_breaks_a_hard_rule(checked):
    breaking = {str(s): [v.message for v in found if v.is_hard] for s, found in checked
                if s.status != Schedule.Status.DRAFT and any(v.is_hard for v in found)}
    assert breaking == {}


def test_drafts_show_a_few_cells_refused_for_a_lapsed_licence(checked):
    hard = Counter(v.rule for s, found in checked if s.status == Schedule.Status.DRAFT for v in found if v.is_hard)
    assert set(hard) == {Rule.CREDENTIAL}
    drafts = sum(s.status == Schedule.Status.DRAFT for s, _found in checked)
    assert 0 < hard[Rule.CREDENTIAL] <= 3 * drafts


def test_nobody_works_a_month_of_nights(demo, db):
    nights = (
        ShiftAssignment.objects.filter(shift_type__is_night=True)
        .values("schedule", "employee").annotate(n=Count("pk")).order_by("-n").first()
    )
    assert nights["n"] <= 7


def test_nobody_is_rostered_before_hire_or_after_leaving(demo, db):
    for employee in Employee.objects.filter(assignments__isnull=False).distinct():
        days = employee.assignments.values_list("date", flat=True)
        assert min(days) >= employee.hire_date
        assert employee.termination_date is None or max(days) <= employee.termination_date


def test_licensed_jobs_require_their_licence(demo, db):
    required = {job.code: sorted(c.code for c in job.required_credentials.all())
                for job in JobTitle.objects.prefetch_related("required_credentials")}
    assert required["RN"] == ["RN-LIC"]
    assert required["CNA"] == ["CNA-CERT"]
    assert required["CLERK"] == []
