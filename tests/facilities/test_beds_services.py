"""Patient flow through the services: admit, transfer, discharge, their cancellations, and bed status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from facilities import bed_services as s
from facilities.models import Bed, BedOccupancy, CleaningTask, PatientStay
from tests.facilities.beds_helpers import at, beds_fixture, refresh  # noqa: F401


def admit(bed, enc="E1", mrn="M1", hours=0):
    return s.admit(actor=None, encounter_number=enc, mrn=mrn, bed=bed, at=at(hours))


def test_it_admits_a_patient_to_a_free_bed(beds):
    stay = admit(beds["a"])
    refresh(beds["a"])
    assert stay.status == PatientStay.Status.ACTIVE and stay.bed == beds["a"]
    assert beds["a"].status == Bed.Status.OCCUPIED
    assert BedOccupancy.objects.get(stay=stay).ends_at is None


def test_it_refuses_a_second_patient_in_an_occupied_bed(beds):
    admit(beds["a"])
    with pytest.raises(ValidationError, match="occupied"):
        admit(beds["a"], enc="E2", mrn="M2", hours=1)
    assert PatientStay.objects.count() == 1


def test_it_refuses_a_second_current_stay_for_one_patient(beds):
    admit(beds["a"])
    with pytest.raises(ValidationError, match="already"):
        admit(beds["b"], enc="E2", mrn="M1", hours=1)


def test_a_transfer_frees_the_old_bed_and_takes_the_new_one(beds):
    stay = admit(beds["a"])
    stay = s.transfer(actor=None, stay=stay, bed=beds["pacu"], at=at(5))
    refresh(beds["a"], beds["pacu"])
    assert beds["a"].status == Bed.Status.DIRTY and beds["pacu"].status == Bed.Status.OCCUPIED
    assert stay.unit == beds["pacu"].unit
    assert list(BedOccupancy.objects.filter(stay=stay).values_list("bed_id", "ends_at")) == [
        (beds["a"].pk, at(5)), (beds["pacu"].pk, None)]
    assert CleaningTask.objects.filter(bed=beds["a"], status="open").exists()


def test_a_transfer_to_an_occupied_bed_changes_nothing(beds):
    first = admit(beds["a"])
    admit(beds["b"], enc="E2", mrn="M2")
    with pytest.raises(ValidationError):
        s.transfer(actor=None, stay=first, bed=beds["b"], at=at(3))
    refresh(beds["a"], first)
    assert beds["a"].status == Bed.Status.OCCUPIED and first.bed == beds["a"]
    assert BedOccupancy.objects.get(stay=first).ends_at is None


def test_a_discharge_makes_the_bed_dirty_and_opens_a_cleaning_task(beds):
    stay = s.discharge(actor=None, stay=admit(beds["a"]), at=at(30))
    refresh(beds["a"])
    assert stay.status == PatientStay.Status.DISCHARGED and stay.discharged_at == at(30)
    assert beds["a"].status == Bed.Status.DIRTY
    assert CleaningTask.objects.get(bed=beds["a"]).opened_at == at(30)


def test_it_refuses_an_event_older_than_the_last_one(beds):
    stay = s.transfer(actor=None, stay=admit(beds["a"]), bed=beds["b"], at=at(10))
    with pytest.raises(ValidationError, match="older"):
        s.discharge(actor=None, stay=stay, at=at(5))


def test_cancelling_an_admission_frees_the_bed_and_forgets_the_stay_in_the_census(beds):
    stay = s.cancel_admit(actor=None, stay=admit(beds["a"]), at=at(1))
    refresh(beds["a"])
    assert stay.status == PatientStay.Status.CANCELLED and beds["a"].status == Bed.Status.AVAILABLE
    assert not BedOccupancy.objects.exists()


def test_cancelling_a_discharge_puts_the_patient_back_in_their_bed(beds):
    stay = s.discharge(actor=None, stay=admit(beds["a"]), at=at(30))
    stay = s.cancel_discharge(actor=None, stay=stay, at=at(31))
    refresh(beds["a"])
    assert stay.status == PatientStay.Status.ACTIVE and stay.discharged_at is None
    assert beds["a"].status == Bed.Status.OCCUPIED
    assert not CleaningTask.objects.exists()


def test_it_refuses_to_cancel_a_discharge_when_the_bed_was_given_away(beds):
    stay = s.discharge(actor=None, stay=admit(beds["a"]), at=at(30))
    Bed.objects.filter(pk=beds["a"].pk).update(status=Bed.Status.AVAILABLE)
    admit(beds["a"], enc="E2", mrn="M2", hours=32)
    with pytest.raises(ValidationError, match="another patient"):
        s.cancel_discharge(actor=None, stay=stay, at=at(33))


def test_cancelling_a_transfer_moves_the_patient_back(beds):
    stay = s.transfer(actor=None, stay=admit(beds["a"]), bed=beds["b"], at=at(5))
    stay = s.cancel_transfer(actor=None, stay=stay, at=at(6))
    refresh(beds["a"], beds["b"])
    assert stay.bed == beds["a"] and beds["a"].status == Bed.Status.OCCUPIED
    assert beds["b"].status == Bed.Status.AVAILABLE
    assert BedOccupancy.objects.get(stay=stay).ends_at is None


def test_a_waiting_patient_goes_only_to_a_bed_that_fits(beds, hospital):
    stay = s.pre_admit(actor=None, encounter_number="E9", mrn="M9", unit=hospital.ward, at=at(0),
                       needs_isolation=True, waiting_location="ED")
    with pytest.raises(ValidationError, match="does not fit"):
        s.assign_bed(actor=hospital.users["head_med"], stay=stay, bed=beds["a"])
    stay = s.assign_bed(actor=hospital.users["head_med"], stay=stay, bed=beds["iso"])
    assert stay.status == PatientStay.Status.ACTIVE and stay.bed == beds["iso"]


def test_another_departments_head_cannot_assign(beds, hospital):
    stay = s.pre_admit(actor=None, encounter_number="E9", mrn="M9", unit=hospital.ward, at=at(0))
    with pytest.raises(PermissionDenied):
        s.assign_bed(actor=hospital.users["head_surg"], stay=stay, bed=beds["a"])


def test_cleaning_returns_the_bed_and_keeps_who(beds, hospital):
    from records import access
    from tests.records.factories import make_user

    evs = make_user(username="evs", groups=[access.ENVIRONMENTAL_SERVICES])
    s.discharge(actor=None, stay=admit(beds["a"]), at=at(30))
    task = CleaningTask.objects.get()
    s.start_cleaning(actor=evs, task=task)
    refresh(beds["a"])
    assert beds["a"].status == Bed.Status.CLEANING
    task = s.finish_cleaning(actor=evs, task=task)
    refresh(beds["a"])
    assert beds["a"].status == Bed.Status.AVAILABLE and beds["a"].status_changed_by == evs
    assert task.finished_by == evs
    last = beds["a"].history.first()
    assert last.history_user == evs and last.history_change_reason == "available: cleaned"


def test_only_environmental_services_clean(beds, hospital):
    s.discharge(actor=None, stay=admit(beds["a"]), at=at(30))
    with pytest.raises(PermissionDenied):
        s.start_cleaning(actor=hospital.users["head_med"], task=CleaningTask.objects.get())


def test_a_block_needs_a_reason_and_keeps_who_when_why(beds, hospital):
    head = hospital.users["head_med"]
    with pytest.raises(ValidationError, match="why"):
        s.change_bed_status(actor=head, bed=beds["a"], status=Bed.Status.BLOCKED)
    bed = s.change_bed_status(actor=head, bed=beds["a"], status=Bed.Status.BLOCKED, reason="Broken call bell")
    assert bed.status_changed_by == head and bed.status_reason == "Broken call bell"
    assert bed.history.first().history_change_reason == "blocked: Broken call bell"


def test_an_occupied_bed_cannot_be_blocked(beds, hospital):
    admit(beds["a"])
    with pytest.raises(ValidationError, match="cannot become"):
        s.change_bed_status(actor=hospital.users["ops"], bed=beds["a"], status=Bed.Status.BLOCKED, reason="x")


def test_another_departments_head_cannot_block(beds, hospital):
    with pytest.raises(PermissionDenied):
        s.change_bed_status(actor=hospital.users["head_surg"], bed=beds["a"], status="blocked", reason="x")
