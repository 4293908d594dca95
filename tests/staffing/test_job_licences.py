"""Licences protect patients: what a job (or a skill) requires is checked on every roster cell, as a
hard rule, on the roster page, in approval and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from records.models import Credential
from staffing import rules, selectors, services
from staffing.models import Schedule
from staffing.services import CellChange
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(hospital):
    """Registered nurses need the RN licence; Nora's runs out on the roster's tenth day."""
    rn_licence = CredentialTypeFactory(code="RN-LIC", name="RN licence")
    hospital.nurse.job_title.required_credentials.add(rn_licence)
    return rn_licence


def nora_licensed_until(hospital, licence, last_day: dt.date) -> Credential:
    return CredentialFactory(employee=hospital.nurse, credential_type=licence, issued_on=dt.date(2024, 1, 1),
                             expiry_date=last_day)


def put(hospital, roster, *days, employee=None, shift=None):
    return services.set_cells(
        actor=hospital.users["scheduler_med"], schedule=roster.schedule,
        changes=[CellChange(employee or hospital.nurse, day, shift or roster.day) for day in days],
    )


def refusal(hospital, roster, *days, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        put(hospital, roster, *days, **kwargs)
    return " ".join(error.value.messages)


def test_it_refuses_a_shift_after_the_job_licence_expires(hospital, roster, licence):
    nora_licensed_until(hospital, licence, roster.days[9])
    put(hospital, roster, roster.days[9])
    message = refusal(hospital, roster, roster.days[10])
    assert "Every Registered Nurse shift needs a valid RN licence" in message
    assert "Nora Nightingale's has expired by" in message


def test_it_refuses_any_shift_to_a_nurse_without_the_licence(hospital, roster, licence):
    assert "is missing for" in refusal(hospital, roster, roster.days[0], shift=roster.night)


def test_it_refuses_a_shift_before_the_licence_is_issued(hospital, roster, licence):
    CredentialFactory(employee=hospital.nurse, credential_type=licence, issued_on=roster.days[5],
                      expiry_date=roster.days[5] + dt.timedelta(days=700))
    assert "is not yet valid on" in refusal(hospital, roster, roster.days[4])
    put(hospital, roster, roster.days[5])


def test_it_leaves_other_jobs_alone(hospital, roster, licence):
    clerk = EmployeeFactory(department=hospital.ward, job_title__code="CLERK", job_title__name="Unit Clerk")
    put(hospital, roster, roster.days[0], employee=clerk)


def test_it_asks_for_the_credentials_of_the_skill_a_shift_needs(hospital, roster):
    acls = SkillFactory(name="Advanced cardiac life support")
    certificate = CredentialTypeFactory(code="ACLS-C", name="ACLS certification", is_licence=False)
    acls.required_credentials.add(certificate)
    roster.night.required_skill = acls
    roster.night.save()
    EmployeeSkillFactory(employee=hospital.nurse, skill=acls)
    message = refusal(hospital, roster, roster.days[0], shift=roster.night)
    assert "N (Advanced cardiac life support) needs a valid ACLS certification" in message
    CredentialFactory(employee=hospital.nurse, credential_type=certificate)
    put(hospital, roster, roster.days[0], shift=roster.night)


@pytest.fixture
def lapsed(hospital, roster, licence):
    """Nora is on the first two weeks; her licence is then found to have run out on day 10."""
    credential = nora_licensed_until(hospital, licence, roster.days[27])
    put(hospital, roster, *roster.days[:5], *roster.days[7:12])
    credential.expiry_date = roster.days[9]
    credential.save()
    return roster


def test_it_flags_every_cell_after_the_licence_lapsed(hospital, lapsed):
    checks = selectors.schedule_checks(lapsed.schedule)
    hard = [(v.date, v.rule) for v in checks.violations if v.severity == rules.HARD]
    assert hard == [(lapsed.days[10], rules.Rule.CREDENTIAL), (lapsed.days[11], rules.Rule.CREDENTIAL)]


def test_the_roster_page_shows_the_lapsed_licence(client, hospital, lapsed):
    client.force_login(hospital.users["scheduler_med"])
    response = client.get(reverse("staffing:schedule-detail", args=[lapsed.schedule.pk]))
    assert "2 hard" in response.text
    assert "needs a valid RN licence" in response.text
    assert response.text.count("has-hard") == 2


def test_approval_is_refused_while_a_licence_has_lapsed(hospital, lapsed):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=lapsed.schedule)
    with pytest.raises(ValidationError) as error:
        services.approve_schedule(actor=hospital.users["head_med"], schedule=lapsed.schedule)
    assert "needs a valid RN licence" in " ".join(error.value.messages)
    assert Schedule.objects.get(pk=lapsed.schedule.pk).status == Schedule.Status.SUBMITTED


def test_the_api_reports_the_lapsed_licence(hospital, lapsed):
    api = APIClient()
    api.force_login(hospital.users["scheduler_med"])
    response = api.get(reverse("staffing-api:schedule-violations", args=[lapsed.schedule.pk]))
    hard = [v for v in response.json() if v["severity"] == "hard"]
    assert [(v["rule"], v["date"]) for v in hard] == [("credential", str(lapsed.days[10])),
                                                      ("credential", str(lapsed.days[11]))]


def test_the_requirement_keeps_its_history(hospital, licence):
    job = hospital.nurse.job_title
    latest = job.history.latest()
    assert [c.credentialtype_id for c in latest.required_credentials.all()] == [licence.pk]


@pytest.mark.parametrize("count", [1, 25])
def test_the_rule_check_costs_the_same_queries_with_requirements(
    hospital, roster, licence, django_assert_num_queries, count
):
    acls = SkillFactory()
    acls.required_credentials.add(CredentialTypeFactory(code="ACLS-C", name="ACLS certification"))
    roster.day.required_skill = acls
    roster.day.save()
    for employee in EmployeeFactory.create_batch(count, department=hospital.ward):
        CredentialFactory(employee=employee, credential_type=licence)
        EmployeeSkillFactory(employee=employee, skill=acls)
        put(hospital, roster, *roster.days[:3], employee=employee, shift=roster.late)
    schedule = Schedule.objects.select_related("department").get(pk=roster.schedule.pk)
    with django_assert_num_queries(9):  # the same for one employee or twenty-five (one: the staffing ratios)
        checks = selectors.schedule_checks(schedule)
    assert not [v for v in checks.violations if v.severity == rules.HARD]
