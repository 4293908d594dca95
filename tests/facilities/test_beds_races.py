"""Races for real on PostgreSQL: fifty admissions at once, one bed or one patient, exactly one wins."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from facilities import adt, bed_services
from facilities.models import AdtEvent, BedOccupancy, PatientStay
from tests.facilities.beds_helpers import at, beds_fixture  # noqa: F401
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and partial unique indexes under load"),
]
RACERS = 50



def test_fifty_admissions_for_the_last_bed_make_exactly_one_stay(beds):
    calls = [
        (lambda n=n: bed_services.admit(actor=None, encounter_number=f"E{n}", mrn=f"M{n}", bed=beds["a"], at=at(1)))
        for n in range(RACERS)
    ]
    outcomes = race(*calls)
    won = [o for o in outcomes if isinstance(o, PatientStay)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(refused) == RACERS - 1, outcomes
    assert PatientStay.objects.filter(bed=beds["a"], status="active").count() == 1
    assert BedOccupancy.objects.filter(bed=beds["a"]).count() == 1


def test_fifty_admissions_of_one_patient_to_different_beds_make_one_stay(beds):
    targets = [beds["a"], beds["b"], beds["iso"], beds["pacu"]]
    calls = [
        (lambda n=n: bed_services.admit(actor=None, encounter_number=f"E{n}", mrn="SAME", bed=targets[n % 4],
                                        at=at(1)))
        for n in range(RACERS)
    ]
    race(*calls)
    assert PatientStay.objects.filter(mrn="SAME", status="active").count() == 1
    assert BedOccupancy.objects.count() == 1


def test_the_same_event_sent_fifty_times_at_once_is_applied_once(beds):
    message = adt.AdtMessage(event="admit", sender_event_id="dup-1", event_time=at(1), encounter_number="E1",
                             mrn="M1", unit="MED-4W", bed="401-A")
    outcomes = race(*[(lambda: adt.receive(message, channel="rest", body="{}")) for _ in range(RACERS)])
    assert all(isinstance(o, adt.Outcome) for o in outcomes), outcomes
    assert sum(not o.repeated for o in outcomes) == 1
    assert AdtEvent.objects.count() == 1 and PatientStay.objects.count() == 1


def test_the_database_refuses_two_overlapping_stays_in_one_bed(beds):
    from django.db import IntegrityError, transaction

    stay = bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(1))
    bed_services.discharge(actor=None, stay=stay, at=at(10))
    other = PatientStay.objects.create(encounter_number="E2", mrn="M2", unit=beds["a"].unit, status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        BedOccupancy.objects.create(stay=other, bed=beds["a"], unit=beds["a"].unit, starts_at=at(5), ends_at=at(6))
