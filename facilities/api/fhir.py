"""FHIR R4 reads: beds as Location (with their operational status) and current stays as Encounter, so an
integration engine reads bed status the standard way. Each resource is built and validated with the
R4B models of fhir.resources before it is sent."""

from __future__ import annotations

from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location
from rest_framework.views import APIView

from hospital_ops.filters import LARGEST_ID

from .. import bed_selectors
from ..models import Bed, PatientStay

FHIR_JSON = "application/fhir+json"
V2_0116 = "http://terminology.hl7.org/CodeSystem/v2-0116"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DEFAULT_COUNT, MAX_COUNT = 100, 500
# What the FHIR operations answer, as the schema describes them: FHIR JSON resources (Bundle, Location,
# Encounter, or an OperationOutcome for a refused search or an unknown id).
SEARCH_RESPONSES = {(200, FHIR_JSON): OpenApiTypes.OBJECT, (400, FHIR_JSON): OpenApiTypes.OBJECT}
READ_RESPONSES = {(200, FHIR_JSON): OpenApiTypes.OBJECT, (404, FHIR_JSON): OpenApiTypes.OBJECT}

OPERATIONAL = {
    Bed.Status.AVAILABLE: ("U", "Unoccupied"),
    Bed.Status.OCCUPIED: ("O", "Occupied"),
    Bed.Status.DIRTY: ("H", "Housekeeping"),
    Bed.Status.CLEANING: ("H", "Housekeeping"),
    Bed.Status.BLOCKED: ("C", "Closed"),
    Bed.Status.OUT_OF_SERVICE: ("C", "Closed"),
}
OPERATIONAL_CODES = {code for code, _ in OPERATIONAL.values()}
ENCOUNTER_STATUS = {
    PatientStay.Status.PENDING: "planned",
    PatientStay.Status.ACTIVE: "in-progress",
    PatientStay.Status.DISCHARGED: "finished",
    PatientStay.Status.CANCELLED: "cancelled",
}


def fhir_response(resource, status=200) -> JsonResponse:
    body = resource.model_dump(mode="json", exclude_none=True)
    response = JsonResponse(body, status=status, content_type=FHIR_JSON)
    response["Cache-Control"] = "no-store"
    return response


def outcome(status: int, code: str, text: str) -> JsonResponse:
    from fhir.resources.R4B.operationoutcome import OperationOutcome

    resource = OperationOutcome.model_validate(
        {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code, "diagnostics": text}]}
    )
    return fhir_response(resource, status=status)


def location(bed: Bed) -> Location:
    code, display = OPERATIONAL[bed.status]
    if not bed.is_active:
        status = "inactive"
    elif bed.status in (Bed.Status.BLOCKED, Bed.Status.OUT_OF_SERVICE):
        status = "suspended"
    else:
        status = "active"
    return Location.model_validate({
        "resourceType": "Location",
        "id": str(bed.pk),
        "identifier": [{"system": "urn:hospital-ops:bed", "value": f"{bed.unit.code}/{bed.room.number}/{bed.label}"}],
        "status": status,
        "operationalStatus": {"system": V2_0116, "code": code, "display": display},
        "name": str(bed),
        "alias": [bed.unit.code],
        "description": ", ".join([str(bed.get_kind_display()), *bed.attribute_names]),
        "mode": "instance",
        "physicalType": {"coding": [{"system": PHYSICAL_TYPE, "code": "bd", "display": "Bed"}]},
    })


def encounter(stay: PatientStay) -> Encounter:
    data = {
        "resourceType": "Encounter",
        "id": str(stay.pk),
        "identifier": [{"system": "urn:hospital-ops:encounter", "value": stay.encounter_number}],
        "status": ENCOUNTER_STATUS[stay.status],
        "class": {"system": ACT_CODE, "code": "IMP", "display": "inpatient encounter"},
        "subject": {"identifier": {"system": "urn:hospital-ops:mrn-as-received", "value": stay.mrn}},
        "serviceProvider": {"display": stay.unit.code},
    }
    period = {}
    if stay.admitted_at:
        period["start"] = stay.admitted_at.isoformat()
    if stay.discharged_at:
        period["end"] = stay.discharged_at.isoformat()
    if period:
        data["period"] = period
    if stay.bed_id:
        data["location"] = [{
            "location": {"reference": f"Location/{stay.bed_id}", "display": str(stay.bed)},
            "status": "active" if stay.status == PatientStay.Status.ACTIVE else "completed",
        }]
    return Encounter.model_validate(data)


def _count(request) -> int | None:
    raw = request.GET.get("_count", str(DEFAULT_COUNT))
    if not raw.isdigit() or not 0 < int(raw) <= MAX_COUNT:
        return None
    return int(raw)


def _page(request) -> int | None:
    raw = request.GET.get("_page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 100_000 else None


def searchset(request, rows, build) -> tuple[JsonResponse, list]:
    """A searchset Bundle of one page of `rows`, and the rows on it."""
    count, page = _count(request), _page(request)
    if count is None or page is None:
        return outcome(400, "invalid", f"_count must be 1 to {MAX_COUNT} and _page a page number."), []
    total = rows.count()
    chunk = list(rows[(page - 1) * count: page * count])
    base = request.build_absolute_uri(request.path)
    links = [{"relation": "self", "url": f"{base}?_count={count}&_page={page}"}]
    if page * count < total:
        links.append({"relation": "next", "url": f"{base}?_count={count}&_page={page + 1}"})
    bundle = Bundle.model_validate({
        "resourceType": "Bundle", "type": "searchset", "total": total, "link": links,
        "entry": [{"fullUrl": f"{base}{row.pk}", "resource": build(row).model_dump(mode="json", exclude_none=True),
                   "search": {"mode": "match"}} for row in chunk],
    })
    return fhir_response(bundle), chunk


def _by_id(rows, pk: str):
    if not pk.isdigit() or not 0 < int(pk) <= LARGEST_ID:
        return None
    return rows.filter(pk=int(pk)).first()


class FhirView(APIView):
    api_app = "facilities"


class LocationSearch(FhirView):
    """FHIR R4 Location search: the beds the caller sees (Bundle of type searchset)."""

    @extend_schema(tags=["facilities"], operation_id="facilities_fhir_location_search", parameters=[
        OpenApiParameter("operational-status", str, description="v2-0116 code: U, O, H, C"),
        OpenApiParameter("_count", int), OpenApiParameter("_page", int),
    ], responses=SEARCH_RESPONSES)
    def get(self, request):
        rows = bed_selectors.bed_list(request.user).filter(is_active=True).order_by("pk")
        wanted = request.GET.get("operational-status")
        if wanted:
            if wanted not in OPERATIONAL_CODES:
                return outcome(400, "invalid", "operational-status must be one of U, O, H, C.")
            rows = rows.filter(status__in=[status for status, (code, _) in OPERATIONAL.items() if code == wanted])
        return searchset(request, rows, location)[0]


class LocationRead(FhirView):
    """FHIR R4 Location read: one bed."""

    @extend_schema(tags=["facilities"], responses=READ_RESPONSES)
    def get(self, request, pk: str):
        bed = _by_id(bed_selectors.bed_list(request.user), pk)
        if bed is None:
            return outcome(404, "not-found", "No such Location.")
        return fhir_response(location(bed))


class EncounterSearch(FhirView):
    """FHIR R4 Encounter search: the current stays in the caller's units (in-progress; planned for patients
    waiting for a bed). Each read is recorded in the stay access log."""

    @extend_schema(tags=["facilities"], operation_id="facilities_fhir_encounter_search", parameters=[
        OpenApiParameter("status", str, description="in-progress (default) or planned"),
        OpenApiParameter("_count", int), OpenApiParameter("_page", int),
    ], responses=SEARCH_RESPONSES)
    def get(self, request):
        wanted = request.GET.get("status", "in-progress")
        states = {"in-progress": PatientStay.Status.ACTIVE, "planned": PatientStay.Status.PENDING}
        if wanted not in states:
            return outcome(400, "invalid", "status must be in-progress or planned.")
        rows = bed_selectors.stay_list(request.user).filter(status=states[wanted]).order_by("pk")
        response, chunk = searchset(request, rows, encounter)
        bed_selectors.record_stay_access(request.user, request.path, [stay.encounter_number for stay in chunk])
        return response


class EncounterRead(FhirView):
    """FHIR R4 Encounter read: one current stay."""

    @extend_schema(tags=["facilities"], responses=READ_RESPONSES)
    def get(self, request, pk: str):
        stay = _by_id(bed_selectors.stay_list(request.user), pk)
        if stay is None:
            return outcome(404, "not-found", "No such Encounter.")
        bed_selectors.record_stay_access(request.user, request.path, [stay.encounter_number])
        return fhir_response(encounter(stay))
