"""What a job or a skill requires is kept in the catalogue: set through the API, the skill page and
the admin, with its history."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from records.models import JobTitle, Skill
from tests.records.factories import CredentialTypeFactory, JobTitleFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rn_licence(db):
    return CredentialTypeFactory(code="RN-LIC", name="RN licence")


def api_as(hospital, name):
    api = APIClient()
    api.force_login(hospital.users[name])
    return api


def test_a_manager_sets_what_a_job_requires(hospital, rn_licence):
    job = JobTitleFactory()
    response = api_as(hospital, "ops").patch(
        reverse("records-api:job-title-detail", args=[job.pk]), {"required_credentials": [rn_licence.pk]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["required_credentials"] == [rn_licence.pk]
    assert list(JobTitle.objects.get(pk=job.pk).required_credentials.all()) == [rn_licence]


def test_the_job_keeps_the_history_of_its_requirements(hospital, rn_licence):
    job = JobTitleFactory()
    api_as(hospital, "ops").patch(reverse("records-api:job-title-detail", args=[job.pk]),
                                  {"required_credentials": [rn_licence.pk]}, format="json")
    api_as(hospital, "ops").patch(reverse("records-api:job-title-detail", args=[job.pk]),
                                  {"required_credentials": []}, format="json")
    snapshots = [[c.credentialtype_id for c in h.required_credentials.all()] for h in job.history.order_by("pk")]
    assert [rn_licence.pk] in snapshots
    assert snapshots[-1] == []


def test_a_scheduler_cannot_change_what_a_job_requires(hospital, rn_licence):
    job = JobTitleFactory()
    response = api_as(hospital, "scheduler_med").patch(
        reverse("records-api:job-title-detail", args=[job.pk]), {"required_credentials": [rn_licence.pk]},
        format="json",
    )
    assert response.status_code == 403
    assert not job.required_credentials.exists()


def test_the_skill_page_sets_the_credentials_a_skill_requires(client, hospital, rn_licence):
    skill = SkillFactory(code="ACLS", name="Advanced cardiac life support")
    client.force_login(hospital.users["ops"])
    page = client.get(reverse("records:skill-edit", args=[skill.pk]))
    assert "Required credentials" in page.text
    response = client.post(reverse("records:skill-edit", args=[skill.pk]), {
        "code": "ACLS", "name": "Advanced cardiac life support", "description": "",
        "required_credentials": [rn_licence.pk],
    })
    assert response.status_code == 302
    assert list(Skill.objects.get(pk=skill.pk).required_credentials.all()) == [rn_licence]


def test_the_skill_list_api_shows_requirements_in_constant_queries(hospital, rn_licence,
                                                                  django_assert_max_num_queries):
    for _ in range(10):
        SkillFactory().required_credentials.add(rn_licence)
    api = api_as(hospital, "ops")
    with django_assert_max_num_queries(8):
        response = api.get(reverse("records-api:skill-list"))
    assert all(row["required_credentials"] == [rn_licence.pk] for row in response.json()["results"])
