"""The bed board in a browser: discharge a patient, clean the bed, place a waiting patient in a bed that
fits."""

import pytest

from facilities import bed_services
from facilities.models import Bed, PatientStay
from records import access
from tests.facilities.beds_helpers import at, beds_fixture  # noqa: F401
from tests.records.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_discharge_clean_and_assign_on_the_board(page, sign_in, hospital, beds):
    bed_services.admit(actor=None, encounter_number="ENC-1", mrn="M1", bed=beds["a"], at=at(0))
    bed_services.pre_admit(actor=None, encounter_number="ENC-2", mrn="M2", unit=hospital.ward, at=at(1),
                           needs_isolation=True, waiting_location="ED")
    make_user(username="evs", groups=[access.ENVIRONMENTAL_SERVICES])

    sign_in("head_med")
    page.goto(f"/facilities/beds/board/{hospital.ward.pk}/")
    tile = page.locator('[data-bed="401-A"]')
    assert "ENC-1" in tile.inner_text()
    tile.get_by_role("button", name="Discharge").click()
    page.wait_for_selector('[data-bed="401-A"].bed-dirty')
    assert Bed.objects.get(pk=beds["a"].pk).status == Bed.Status.DIRTY

    page.context.clear_cookies()
    sign_in("evs")
    page.goto("/facilities/beds/housekeeping/")
    page.locator('[data-task="401-A"]').get_by_role("button", name="Start cleaning").click()
    page.locator('[data-task="401-A"]').get_by_role("button", name="Finished: bed ready").click()
    page.wait_for_selector("text=No bed is waiting to be cleaned.")
    assert Bed.objects.get(pk=beds["a"].pk).status == Bed.Status.AVAILABLE

    page.context.clear_cookies()
    sign_in("head_med")
    page.goto(f"/facilities/beds/board/{hospital.ward.pk}/")
    page.get_by_role("link", name="Assign bed").click()
    options = page.locator("select[name=bed] option").all_inner_texts()
    assert len(options) == 1 and "402-A" in options[0]  # only the isolation room fits
    page.get_by_role("button", name="Place in this bed").click()
    page.wait_for_selector('[data-bed="402-A"].bed-occupied')
    assert PatientStay.objects.get(encounter_number="ENC-2").bed_id == beds["iso"].pk
