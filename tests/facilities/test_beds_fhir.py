"""FHIR R4 reads of beds (Location) and current stays (Encounter), validated by fhir.resources, scoped and
logged."""

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location

from facilities import bed_services
from facilities.models import StayAccess
from tests.facilities.beds_helpers import at, beds_fixture  # noqa: F401


def test_locations_carry_the_bed_operational_status(as_user, beds):
    bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(0))
    answer = as_user("ops").get("/api/v1/facilities/fhir/Location")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate(answer.json())
    codes = {entry.resource.name: entry.resource.operationalStatus.code for entry in bundle.entry}
    assert codes == {"401-A": "O", "401-B": "U", "402-A": "U", "PACU-1": "U"}
    one = as_user("ops").get(f"/api/v1/facilities/fhir/Location/{beds['a'].pk}")
    assert Location.model_validate(one.json()).physicalType.coding[0].code == "bd"


def test_encounters_are_current_stays_and_every_read_is_logged(as_user, beds, hospital):
    stay = bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(0))
    answer = as_user("head_med").get("/api/v1/facilities/fhir/Encounter")
    bundle = Bundle.model_validate(answer.json())
    assert bundle.total == 1
    encounter = bundle.entry[0].resource
    assert encounter.identifier[0].value == "E1"
    assert encounter.location[0].location.reference == f"Location/{beds['a'].pk}"
    Encounter.model_validate(as_user("head_med").get(f"/api/v1/facilities/fhir/Encounter/{stay.pk}").json())
    log = StayAccess.objects.filter(user=hospital.users["head_med"])
    assert log.count() == 2 and log.first().encounter_numbers == ["E1"]


def test_another_departments_beds_and_stays_are_not_found(as_user, beds):
    stay = bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(0))
    client = as_user("head_surg")
    assert client.get(f"/api/v1/facilities/fhir/Location/{beds['a'].pk}").status_code == 404
    assert client.get(f"/api/v1/facilities/fhir/Encounter/{stay.pk}").status_code == 404
    assert client.get(f"/api/v1/facilities/stays/{stay.pk}/").status_code == 404
    assert client.get(f"/api/v1/facilities/beds/{beds['a'].pk}/").status_code == 404


def test_board_members_see_no_stays_and_no_beds(as_user, beds):
    bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(0))
    client = as_user("board")
    assert Bundle.model_validate(client.get("/api/v1/facilities/fhir/Encounter").json()).total == 0
    assert client.get("/api/v1/facilities/stays/").json()["count"] == 0
    assert client.get("/api/v1/facilities/beds/").json()["count"] == 0


def test_a_bad_search_parameter_is_an_operation_outcome(as_user, beds):
    answer = as_user("ops").get("/api/v1/facilities/fhir/Location?_count=100000")
    assert answer.status_code == 400 and answer.json()["resourceType"] == "OperationOutcome"
