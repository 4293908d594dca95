"""On a phone: an inspector fails an item, the finding appears, its owner does the action, and someone else
verifies and closes it."""

import pytest

from facilities.models import Finding
from tests.facilities.equipment_fixtures import site
from tests.facilities.inspection_fixtures import inspection

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def sign_in(context, username):
    context.clear_cookies()
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_an_inspector_fails_an_item_on_a_phone_and_the_finding_is_closed_by_two_people(phone, hospital):
    site(hospital)
    insp = inspection(hospital)
    page = sign_in(phone, "inspector")
    page.goto(f"/facilities/inspections/{insp.pk}/")
    page.get_by_role("button", name="Start the inspection").click()
    for result in insp.results.select_related("item").order_by("pk"):
        card = page.locator(f"#item-{result.pk}")
        failing = result.item.area == "fire_life_safety"
        card.locator("label", has_text="Fail" if failing else "Pass").click()
        if failing:
            card.locator("textarea").fill("Fire door wedged open with a chair")
        card.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Complete the inspection").click()
    page.get_by_text("1 finding(s) opened").wait_for()
    finding = Finding.objects.get()
    page.goto("/facilities/findings/")
    page.get_by_role("link", name=f"F-{finding.pk}").wait_for()

    owner = sign_in(phone, "head_med")
    owner.goto(f"/facilities/findings/{finding.pk}/")
    owner.fill("textarea[name=note]", "Chair removed; door closer adjusted")
    owner.get_by_role("button", name="Action done").click()
    owner.locator("#finding-status", has_text="Action done").wait_for()
    assert owner.get_by_role("button", name="Verify and close").count() == 0  # not by whoever did it

    verifier = sign_in(phone, "inspector2")
    verifier.goto(f"/facilities/findings/{finding.pk}/")
    verifier.get_by_role("button", name="Verify and close").click()
    verifier.locator("#finding-status", has_text="Closed").wait_for()
    finding.refresh_from_db()
    assert (finding.status, finding.done_by.username, finding.verified_by.username) == (
        "closed", "head_med", "inspector2")
