"""The roster's state machine: every allowed and refused transition, with history and e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from staffing import services
from staffing.models import Schedule, TimeOff
from staffing.services import CellChange
from tests.records.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(hospital):
    for name, user in hospital.users.items():
        user.email = f"{name}@hospital.example"
        user.save()
    hospital.nurse.email = "nora@hospital.example"
    hospital.nurse.save()
    return hospital.users


def fill(users, roster):
    services.set_cells(
        actor=users["scheduler_med"],
        schedule=roster.schedule,
        changes=[CellChange(roster.schedule.department.employees.get(first_name="Nora"), roster.days[0], roster.day)],
    )


def submitted(users, roster):
    fill(users, roster)
    return services.submit_schedule(actor=users["scheduler_med"], schedule=roster.schedule, comment="Ready")


def test_the_whole_way_from_draft_to_published(users, roster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule = submitted(users, roster)
    assert schedule.status == Schedule.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [["head_med@hospital.example"]]
    schedule = services.approve_schedule(actor=users["head_med"], schedule=schedule)
    assert (schedule.status, schedule.decided_by) == (Schedule.Status.APPROVED, users["head_med"])
    with django_capture_on_commit_callbacks(execute=True):
        schedule = services.publish_schedule(actor=users["scheduler_med"], schedule=schedule)
    assert schedule.status == Schedule.Status.PUBLISHED
    assert mail.outbox[-1].to == ["nora@hospital.example"]
    reasons = list(schedule.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == [None, "submitted: Ready", "approved", "published"]  # the factory gives no reason


def test_it_refuses_approving_your_own_submission(hospital, users, roster):
    fill(users, roster)
    services.submit_schedule(actor=users["head_med"], schedule=roster.schedule)
    with pytest.raises(PermissionDenied, match="someone else"):
        services.approve_schedule(actor=users["head_med"], schedule=roster.schedule)


def test_it_refuses_approval_by_a_scheduler_or_another_head(users, roster):
    schedule = submitted(users, roster)
    for name in ("scheduler_med", "head_surg", "staff"):
        with pytest.raises(PermissionDenied):
            services.approve_schedule(actor=users[name], schedule=schedule)


def test_an_operations_manager_may_approve(users, roster):
    schedule = services.approve_schedule(actor=users["ops"], schedule=submitted(users, roster))
    assert schedule.status == Schedule.Status.APPROVED


def test_it_refuses_a_second_approval_with_a_clear_message(users, roster):
    schedule = submitted(users, roster)
    services.approve_schedule(actor=users["head_med"], schedule=schedule)
    with pytest.raises(ValidationError, match="already approved this roster") as error:
        services.approve_schedule(actor=users["ops"], schedule=schedule)
    assert error.value.error_list[0].code == services.CONFLICT


def test_it_refuses_approval_while_hard_rules_are_broken(hospital, users, roster):
    schedule = submitted(users, roster)
    TimeOff.objects.create(  # approved behind the roster's back
        employee=hospital.nurse,
        start_date=roster.days[0],
        end_date=roster.days[0],
        status=TimeOff.Status.APPROVED,
        requested_by=users["staff"],
    )
    with pytest.raises(ValidationError, match="approved time off"):
        services.approve_schedule(actor=users["head_med"], schedule=schedule)
    assert Schedule.objects.get(pk=schedule.pk).status == Schedule.Status.SUBMITTED


def test_a_rejection_returns_the_roster_to_draft_with_the_reason(users, roster, django_capture_on_commit_callbacks):
    schedule = submitted(users, roster)
    with django_capture_on_commit_callbacks(execute=True):
        schedule = services.reject_schedule(actor=users["head_med"], schedule=schedule, reason="Nights are short")
    assert (schedule.status, schedule.rejection_reason) == (Schedule.Status.DRAFT, "Nights are short")
    assert mail.outbox[-1].to == ["scheduler_med@hospital.example"]
    assert "Nights are short" in mail.outbox[-1].body


def test_a_rejection_needs_a_reason(users, roster):
    schedule = submitted(users, roster)
    with pytest.raises(ValidationError):
        services.reject_schedule(actor=users["head_med"], schedule=schedule, reason="  ")


@pytest.mark.parametrize("status", ["submitted", "approved", "published"])
def test_it_refuses_editing_a_roster_that_is_not_a_draft(hospital, users, roster, status):
    Schedule.objects.filter(pk=roster.schedule.pk).update(status=status)
    with pytest.raises(ValidationError, match="only a draft can be changed"):
        services.set_cells(
            actor=users["scheduler_med"],
            schedule=roster.schedule,
            changes=[CellChange(hospital.nurse, roster.days[1], roster.day)],
        )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "publish"),
        ("submitted", "publish"),
        ("approved", "submit"),
        ("published", "approve"),
        ("draft", "revise"),
        ("submitted", "revise"),
    ],
)
def test_it_refuses_transitions_out_of_order(users, roster, status, action):
    Schedule.objects.filter(pk=roster.schedule.pk).update(status=status)
    call = {
        "approve": lambda: services.approve_schedule(actor=users["ops"], schedule=roster.schedule),
        "publish": lambda: services.publish_schedule(actor=users["ops"], schedule=roster.schedule),
        "submit": lambda: services.submit_schedule(actor=users["ops"], schedule=roster.schedule),
        "revise": lambda: services.start_revision(actor=users["ops"], schedule=roster.schedule, reason="x"),
    }[action]
    with pytest.raises(ValidationError):
        call()
    assert Schedule.objects.get(pk=roster.schedule.pk).status == status


def test_a_revision_reopens_a_published_roster_for_approval_again(users, roster):
    schedule = services.approve_schedule(actor=users["head_med"], schedule=submitted(users, roster))
    schedule = services.publish_schedule(actor=users["head_med"], schedule=schedule)
    schedule = services.start_revision(actor=users["scheduler_med"], schedule=schedule, reason="Sick cover")
    assert (schedule.status, schedule.revision, schedule.decided_by) == (Schedule.Status.DRAFT, 2, None)
    schedule = services.submit_schedule(actor=users["scheduler_med"], schedule=schedule)
    schedule = services.approve_schedule(actor=users["head_med"], schedule=schedule)
    assert schedule.status == Schedule.Status.APPROVED


def test_it_refuses_a_roster_overlapping_another_of_the_unit(users, roster):
    with pytest.raises(ValidationError, match="already has a roster"):
        services.create_schedule(
            actor=users["scheduler_med"],
            department=roster.ward,
            start_date=roster.days[-1],
            end_date=roster.days[-1] + dt.timedelta(days=27),
        )


def test_it_refuses_a_roster_for_a_unit_you_do_not_schedule(users, hospital):
    with pytest.raises(PermissionDenied):
        services.create_schedule(
            actor=users["scheduler_med"],
            department=hospital.theatre,
            start_date=dt.date(2027, 1, 4),
            end_date=dt.date(2027, 1, 31),
        )


def test_it_copies_the_previous_roster_skipping_what_no_longer_fits(hospital, users, roster):
    fill(users, roster)
    services.set_cells(
        actor=users["scheduler_med"],
        schedule=roster.schedule,
        changes=[CellChange(hospital.staff_employee, roster.days[1], roster.day)],
    )
    next_start = roster.days[-1] + dt.timedelta(days=1)
    nxt = services.create_schedule(
        actor=users["scheduler_med"],
        department=roster.ward,
        start_date=next_start,
        end_date=next_start + dt.timedelta(days=27),
    )
    TimeOff.objects.create(
        employee=hospital.staff_employee,
        start_date=next_start + dt.timedelta(days=1),
        end_date=next_start + dt.timedelta(days=1),
        status="approved",
        requested_by=users["staff"],
    )
    copied, skipped = services.copy_previous_roster(actor=users["scheduler_med"], schedule=nxt)
    assert copied == 1
    assert len(skipped) == 1 and "approved time off" in skipped[0]
    assert list(nxt.assignments.values_list("date", flat=True)) == [next_start]


class TestTimeOff:
    def request(self, users, hospital, day):
        return services.request_time_off(
            actor=users["staff"], employee=hospital.staff_employee, kind="vacation", start_date=day, end_date=day
        )

    def test_staff_request_and_the_head_approves(self, users, hospital, roster):
        time_off = self.request(users, hospital, roster.days[3])
        time_off = services.decide_time_off(actor=users["head_med"], time_off=time_off, approve=True)
        assert (time_off.status, time_off.decided_by) == ("approved", users["head_med"])

    def test_it_refuses_approving_over_rostered_shifts(self, users, hospital, roster):
        services.set_cells(
            actor=users["scheduler_med"],
            schedule=roster.schedule,
            changes=[CellChange(hospital.staff_employee, roster.days[3], roster.day)],
        )
        time_off = self.request(users, hospital, roster.days[3])
        with pytest.raises(ValidationError, match="rostered on those days"):
            services.decide_time_off(actor=users["head_med"], time_off=time_off, approve=True)

    def test_it_refuses_someone_deciding_their_own(self, users, hospital, roster):
        head = make_user(username="head_ward", head_of=[hospital.ward], employee=hospital.nurse)
        time_off = services.request_time_off(
            actor=head, employee=hospital.nurse, kind="vacation", start_date=roster.days[3], end_date=roster.days[3]
        )
        with pytest.raises(PermissionDenied):
            services.decide_time_off(actor=head, time_off=time_off, approve=True)

    def test_it_refuses_a_colleague_requesting_for_someone_else(self, users, hospital, roster):
        with pytest.raises(PermissionDenied):
            services.request_time_off(
                actor=users["staff"],
                employee=hospital.nurse,
                kind="vacation",
                start_date=roster.days[3],
                end_date=roster.days[3],
            )

    def test_it_refuses_a_request_overlapping_another(self, users, hospital, roster):
        self.request(users, hospital, roster.days[3])
        with pytest.raises(ValidationError, match="overlaps"):
            self.request(users, hospital, roster.days[3])

    def test_it_refuses_deciding_twice(self, users, hospital, roster):
        time_off = self.request(users, hospital, roster.days[3])
        services.decide_time_off(actor=users["head_med"], time_off=time_off, approve=False)
        with pytest.raises(ValidationError, match="already denied"):
            services.decide_time_off(actor=users["ops"], time_off=time_off, approve=True)


class TestPreferencesAndFeeds:
    def test_staff_set_a_preference_for_their_unit(self, users, hospital, roster):
        preference = services.set_preference(
            actor=users["staff"],
            employee=hospital.staff_employee,
            date=roster.days[2],
            shift_type=roster.night,
            kind="avoid",
            priority=5,
        )
        again = services.set_preference(
            actor=users["staff"],
            employee=hospital.staff_employee,
            date=roster.days[2],
            shift_type=roster.night,
            kind="want",
            priority=2,
        )
        assert again.pk == preference.pk and again.kind == "want"

    def test_it_refuses_a_priority_out_of_range(self, users, hospital, roster):
        with pytest.raises(ValidationError):
            services.set_preference(
                actor=users["staff"],
                employee=hospital.staff_employee,
                date=roster.days[2],
                shift_type=roster.night,
                kind="avoid",
                priority=11,
            )

    def test_renewing_a_feed_changes_its_secret(self, users, hospital):
        first = services.renew_calendar_feed(actor=users["staff"], employee=hospital.staff_employee).token
        second = services.renew_calendar_feed(actor=users["staff"], employee=hospital.staff_employee).token
        assert first != second
        with pytest.raises(PermissionDenied):
            services.renew_calendar_feed(actor=users["staff"], employee=hospital.nurse)


def test_approval_tells_the_scheduler(users, roster, django_capture_on_commit_callbacks):
    schedule = submitted(users, roster)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_schedule(actor=users["head_med"], schedule=schedule)
    assert mail.outbox[-1].to == ["scheduler_med@hospital.example"]
    assert "approved" in mail.outbox[-1].subject


def test_a_heads_own_submission_goes_to_the_operations_managers(
    hospital, users, roster, django_capture_on_commit_callbacks
):
    fill(users, roster)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_schedule(actor=users["head_med"], schedule=roster.schedule)
    assert mail.outbox[-1].to == ["ops@hospital.example"]


class TestShiftTimes:
    def test_it_keeps_the_times_of_shifts_on_approved_rosters(self, users, roster):
        from staffing import setup_services

        services.approve_schedule(actor=users["head_med"], schedule=submitted(users, roster))
        with pytest.raises(ValidationError, match="Create a new shift type"):
            setup_services.save_shift_type(
                actor=users["head_med"], instance=roster.day, data={"start_time": dt.time(8)}
            )

    def test_draft_rosters_follow_new_times(self, users, roster):
        from staffing import setup_services
        from staffing.models import ShiftAssignment

        fill(users, roster)
        setup_services.save_shift_type(actor=users["head_med"], instance=roster.day, data={"start_time": dt.time(8)})
        assignment = ShiftAssignment.objects.get()
        assert (assignment.starts_at, assignment.ends_at) == roster.day.__class__.objects.get(
            pk=roster.day.pk
        ).span_on(assignment.date)


def test_time_off_cannot_be_approved_over_a_published_shift_during_a_revision(hospital, users, roster):
    schedule = services.approve_schedule(actor=users["head_med"], schedule=submitted(users, roster))
    schedule = services.publish_schedule(actor=users["scheduler_med"], schedule=schedule)
    schedule = services.start_revision(actor=users["scheduler_med"], schedule=schedule, reason="Swap")
    services.set_cells(
        actor=users["scheduler_med"], schedule=schedule, changes=[CellChange(hospital.nurse, roster.days[0], None)]
    )
    time_off = services.request_time_off(
        actor=users["head_med"], employee=hospital.nurse, kind="vacation",
        start_date=roster.days[0], end_date=roster.days[0],
    )
    with pytest.raises(ValidationError, match="rostered on those days"):
        services.decide_time_off(actor=users["ops"], time_off=time_off, approve=True)
