"""Catalogues are hospital-wide: a department head proposes a new entry, a manager decides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from records import services
from records.models import CatalogueProposal, CredentialType, Skill
from tests.records.factories import SkillFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {"catalogue": "skill", "code": "ECMO", "name": "ECMO specialist", "description": "",
            "reason": "Our ICU runs ECMO from January."}


def propose(hospital, who="head_med", **changes):
    return services.propose_catalogue_entry(actor=hospital.users[who], data=PROPOSAL | changes)


def test_a_head_proposes_and_nothing_joins_the_catalogue_yet(hospital):
    proposal = propose(hospital)
    assert proposal.status == CatalogueProposal.Status.PROPOSED
    assert proposal.history.get().history_change_reason == "proposed"
    assert not Skill.objects.filter(code="ECMO").exists()


@pytest.mark.parametrize("who", ["ops", "scheduler_med", "staff", "board", "finance"])
def test_only_department_heads_propose(hospital, who):
    with pytest.raises(PermissionDenied):
        propose(hospital, who)


def test_a_proposal_needs_a_reason_and_a_new_code(hospital):
    SkillFactory(code="TELE", name="Telemetry")
    with pytest.raises(ValidationError) as missing_reason:
        propose(hospital, reason="  ")
    assert "reason" in missing_reason.value.message_dict
    with pytest.raises(ValidationError) as taken:
        propose(hospital, code="TELE")
    assert "code" in taken.value.message_dict


def test_a_manager_accepts_and_the_entry_exists(hospital):
    proposal = propose(hospital, catalogue="credential_type", code="ECMO-C", name="ECMO certificate")
    decided = services.decide_catalogue_proposal(actor=hospital.users["ops"], proposal=proposal, accept=True)
    assert decided.status == CatalogueProposal.Status.ACCEPTED
    assert decided.decided_by == hospital.users["ops"] and decided.decided_at
    assert CredentialType.objects.filter(code="ECMO-C", name="ECMO certificate").exists()


def test_declining_needs_a_reason_and_creates_nothing(hospital):
    proposal = propose(hospital)
    with pytest.raises(ValidationError):
        services.decide_catalogue_proposal(actor=hospital.users["ops"], proposal=proposal, accept=False)
    services.decide_catalogue_proposal(
        actor=hospital.users["ops"], proposal=proposal, accept=False, note="Use the existing critical-care skill."
    )
    proposal.refresh_from_db()
    assert proposal.status == CatalogueProposal.Status.DECLINED
    assert not Skill.objects.filter(code="ECMO").exists()


def test_a_second_decision_is_a_conflict(hospital):
    proposal = propose(hospital)
    services.decide_catalogue_proposal(actor=hospital.users["ops"], proposal=proposal, accept=True)
    with pytest.raises(ValidationError) as second:
        services.decide_catalogue_proposal(actor=hospital.users["admin"], proposal=proposal, accept=True)
    assert second.value.error_list[0].code == "conflict"
    assert Skill.objects.filter(code="ECMO").count() == 1


def test_a_head_cannot_decide_even_their_own(hospital):
    proposal = propose(hospital)
    with pytest.raises(PermissionDenied):
        services.decide_catalogue_proposal(actor=hospital.users["head_med"], proposal=proposal, accept=True)


def test_heads_see_their_own_proposals_only(client, hospital):
    mine = propose(hospital)
    theirs = propose(hospital, "head_surg", code="ROBOT", name="Robotic surgery")
    client.force_login(hospital.users["head_med"])
    page = client.get(reverse("records:proposal-list"))
    assert page.status_code == 200
    assert list(page.context["proposals"]) == [mine]
    client.force_login(hospital.users["ops"])
    assert set(client.get(reverse("records:proposal-list")).context["proposals"]) == {mine, theirs}


@pytest.mark.parametrize("who", ["scheduler_med", "staff", "board"])
def test_the_proposals_page_is_404_for_others(client, hospital, who):
    client.force_login(hospital.users[who])
    assert client.get(reverse("records:proposal-list")).status_code == 404
    assert client.get(reverse("records:proposal-create")).status_code == 404


def test_a_head_proposes_through_the_page(client, hospital):
    client.force_login(hospital.users["head_med"])
    response = client.post(reverse("records:proposal-create"), PROPOSAL)
    assert response.status_code == 302
    assert CatalogueProposal.objects.get().proposed_by == hospital.users["head_med"]
    bad = client.post(reverse("records:proposal-create"), PROPOSAL | {"code": "lower case", "reason": "x" * 2001})
    assert bad.status_code == 400
    assert {"code", "reason"} <= set(bad.context["form"].errors)
    assert CatalogueProposal.objects.count() == 1


def test_a_manager_decides_through_the_page(client, hospital):
    proposal = propose(hospital)
    client.force_login(hospital.users["ops"])
    client.post(reverse("records:proposal-decide", args=[proposal.pk]), {"accept": "1"})
    assert Skill.objects.filter(code="ECMO").exists()


def test_the_api_lets_heads_propose_and_managers_decide(hospital):
    api = APIClient()
    api.force_login(hospital.users["head_med"])
    created = api.post("/api/v1/records/catalogue-proposals/", PROPOSAL, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api.post(f"/api/v1/records/catalogue-proposals/{pk}/accept/", {}, format="json").status_code == 403
    api.force_login(hospital.users["head_surg"])
    assert api.get(f"/api/v1/records/catalogue-proposals/{pk}/").status_code == 404
    api.force_login(hospital.users["ops"])
    accepted = api.post(f"/api/v1/records/catalogue-proposals/{pk}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api.post(f"/api/v1/records/catalogue-proposals/{pk}/decline/", {"note": "no"}, format="json")
    assert again.status_code == 409
