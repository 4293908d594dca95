"""Finding cover: a repair moves the fewest people and tells only them; open shifts are claimed and
approved; swaps are checked for both people and change both cells in one transaction."""


import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from staffing import cover_services as cover
from staffing import generation_services as gen
from staffing import services
from staffing.models import (
    Generation,
    LabourRules,
    OpenShift,
    PublishedShift,
    ShiftAssignment,
    ShiftPreference,
    StaffingRequirement,
    SwapRequest,
)
from tests.records.factories import EmployeeFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(roster, hospital):
    """A day shift needing one person on each of the first seven days; Nora works all seven."""
    for n in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, on_date=roster.days[n],
                                           required_count=1)
    for n in range(7):
        ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.day,
                                       date=roster.days[n])
    roster.other = EmployeeFactory(department=roster.ward, first_name="Olga", last_name="Other",
                                   email="olga@example.org")
    roster.staff = hospital.staff_employee
    return roster


def test_a_repair_moves_only_one_person_for_a_one_day_absence_and_tells_only_them(week, hospital,
                                                                                    django_capture_on_commit_callbacks):
    # A full re-optimisation would give Stacy Saturday (her wish); a repair leaves it to Nora.
    ShiftPreference.objects.create(employee=week.staff, date=week.days[5], shift_type=week.day,
                                   kind=ShiftPreference.Kind.WANT, priority=5)
    head = hospital.users["head_med"]
    before = {(a.employee_id, a.date) for a in ShiftAssignment.objects.all()}

    run = cover.find_cover(actor=head, schedule=week.schedule, employee=hospital.nurse,
                           start=week.days[2], end=week.days[2], time_limit=5)
    run = gen.run_generation(run.pk, workers=1, tick=0.2)
    assert run.state == Generation.State.PROPOSED and run.mode == Generation.Mode.REPAIR

    after = {(a.employee_id, a.date) for a in ShiftAssignment.objects.all()}
    assert before - after == {(hospital.nurse.pk, week.days[2])}
    added = after - before
    assert len(added) == 1 and next(iter(added))[1] == week.days[2]
    moved = gen.moved_people(run)
    assert len(moved) == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gen.accept_generation(actor=head, generation=run)
    assert len(mail.outbox) <= 1  # only the person moved (if they have an address)
    for message in mail.outbox:
        assert message.to == [ShiftAssignment.objects.get(date=week.days[2]).employee.email]


def test_an_open_shift_is_claimed_by_an_eligible_person_and_approved_by_the_head(week, hospital):
    olga_user = make_user(username="olga", employee=week.other)
    post = cover.post_open_shift(actor=hospital.users["scheduler_med"], schedule=week.schedule,
                                 shift_type=week.night, day=week.days[10])
    assert week.other in cover.eligible_staff(post)

    with pytest.raises(PermissionDenied):
        cover.claim_open_shift(actor=olga_user, open_shift=post, employee=week.staff)  # not oneself
    cover.claim_open_shift(actor=olga_user, open_shift=post, employee=week.other)
    with pytest.raises(ValidationError, match="already been taken"):
        cover.claim_open_shift(actor=hospital.users["staff"], open_shift=post, employee=week.staff)
    with pytest.raises(PermissionDenied):
        cover.decide_open_shift(actor=hospital.users["head_surg"], open_shift=post, approve=True)
    cover.decide_open_shift(actor=hospital.users["head_med"], open_shift=post, approve=True)

    post.refresh_from_db()
    assert post.status == OpenShift.Status.FILLED
    assert ShiftAssignment.objects.filter(employee=week.other, date=week.days[10], shift_type=week.night).exists()


def test_a_person_the_rules_refuse_cannot_claim(week, hospital):
    post = cover.post_open_shift(actor=hospital.users["scheduler_med"], schedule=week.schedule,
                                 shift_type=week.night, day=week.days[1])  # Nora is on the day shift then
    nora_user = make_user(username="nora", employee=hospital.nurse)
    assert hospital.nurse not in cover.eligible_staff(post)
    with pytest.raises(ValidationError):
        cover.claim_open_shift(actor=nora_user, open_shift=post, employee=hospital.nurse)
    post.refresh_from_db()
    assert post.status == OpenShift.Status.OPEN


def publish(roster, hospital):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    services.approve_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    services.publish_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)


def test_a_swap_that_breaks_rest_for_the_offerer_is_refused(week, hospital):
    """Stacy takes Nora's Thursday day shift and gives back her Tuesday night: Nora would then work
    Tuesday night and Wednesday's day shift (a forbidden succession, no rest)."""
    LabourRules.objects.create(scope=LabourRules.Scope.HOSPITAL, min_rest_hours=11)
    ShiftAssignment.objects.filter(employee=hospital.nurse, date=week.days[1]).delete()
    stacy_night = ShiftAssignment.objects.create(schedule=week.schedule, employee=week.staff,
                                                 shift_type=week.night, date=week.days[1])
    publish(week, hospital)
    nora_user = make_user(username="nora", employee=hospital.nurse)
    thursday = ShiftAssignment.objects.get(employee=hospital.nurse, date=week.days[3])

    offer = cover.offer_swap(actor=nora_user, assignment=thursday, to=week.staff, in_return=stacy_night)
    with pytest.raises(ValidationError) as refused:
        cover.accept_swap(actor=hospital.users["staff"], swap=offer, employee=week.staff)
    assert any("may not follow" in m or "rest" in m for m in refused.value.messages)
    offer.refresh_from_db()
    assert offer.status == SwapRequest.Status.OFFERED


def test_an_approved_swap_changes_both_cells_and_both_feeds_in_one_go(week, hospital):
    stacy_later = ShiftAssignment.objects.create(schedule=week.schedule, employee=week.staff,
                                                 shift_type=week.day, date=week.days[20])
    publish(week, hospital)
    nora_user = make_user(username="nora", employee=hospital.nurse)
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=week.days[0])

    offer = cover.offer_swap(actor=nora_user, assignment=monday, to=week.staff, in_return=stacy_later)
    cover.accept_swap(actor=hospital.users["staff"], swap=offer, employee=week.staff)
    with pytest.raises(PermissionDenied):
        cover.decide_swap(actor=hospital.users["head_surg"], swap=offer, approve=True)
    cover.decide_swap(actor=hospital.users["head_med"], swap=offer, approve=True)

    assert ShiftAssignment.objects.get(date=week.days[0]).employee == week.staff
    assert ShiftAssignment.objects.get(date=week.days[20]).employee == hospital.nurse
    assert PublishedShift.objects.get(date=week.days[0]).employee == week.staff
    assert PublishedShift.objects.get(date=week.days[20]).employee == hospital.nurse
    offer.refresh_from_db()
    assert offer.status == SwapRequest.Status.APPROVED
    assert offer.history.count() >= 3


def test_only_the_owner_offers_a_shift(week, hospital):
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=week.days[0])
    publish(week, hospital)
    with pytest.raises(PermissionDenied):
        cover.offer_swap(actor=hospital.users["staff"], assignment=monday)




def test_posting_an_open_shift_tells_only_the_eligible(week, hospital, django_capture_on_commit_callbacks):
    week.other.email, hospital.nurse.email = "olga@example.org", "nora@example.org"
    week.other.save()
    hospital.nurse.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cover.post_open_shift(actor=hospital.users["scheduler_med"], schedule=week.schedule,
                              shift_type=week.night, day=week.days[1])  # Nora works the day shift then
    told = {address for message in mail.outbox for address in message.to}
    assert "olga@example.org" in told and "nora@example.org" not in told
