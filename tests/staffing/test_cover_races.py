"""Open-shift claims race for real on PostgreSQL: fifty people claim at once, exactly one wins, the
others are told it is taken. A second generate racing the first is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staffing import cover_services as cover
from staffing import generation_services as gen
from staffing.models import Generation, OpenShift
from tests.races import race
from tests.records.factories import EmployeeFactory, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]



def test_fifty_concurrent_claims_make_exactly_one_winner(hospital, roster):
    people = []
    for n in range(50):
        employee = EmployeeFactory(department=roster.ward, first_name=f"Claimant{n}", last_name="Race")
        people.append((make_user(username=f"claimant{n}", employee=employee), employee))
    post = cover.post_open_shift(actor=hospital.users["scheduler_med"], schedule=roster.schedule,
                                 shift_type=roster.night, day=roster.days[3])

    outcomes = race(*[
        (lambda user=user, employee=employee: cover.claim_open_shift(actor=user, open_shift=post, employee=employee))
        for user, employee in people
    ])

    won = [o for o in outcomes if isinstance(o, OpenShift)]
    taken = [o for o in outcomes if isinstance(o, ValidationError) and "already been taken" in o.messages[0]]
    assert len(won) == 1 and len(taken) == 49, [o for o in outcomes if not isinstance(o, (OpenShift, ValidationError))]
    post.refresh_from_db()
    assert post.status == OpenShift.Status.CLAIMED and post.claimed_by_id == won[0].claimed_by_id
    assert post.history.filter(history_change_reason__startswith="claimed by").count() == 1


def test_two_generates_at_once_make_one_run(hospital, roster):
    user = hospital.users["scheduler_med"]
    outcomes = race(
        lambda: gen.start_generation(actor=user, schedule=roster.schedule, time_limit=5),
        lambda: gen.start_generation(actor=user, schedule=roster.schedule, time_limit=5),
    )
    assert sum(isinstance(o, Generation) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert Generation.objects.count() == 1
