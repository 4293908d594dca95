"""My shifts offers the calendar feed as a webcal:// subscription and a copy button, with the
button's behaviour in a static script (the content security policy allows no inline code)."""

import re

import pytest
from django.urls import reverse

from staffing.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(hospital):
    return CalendarFeed.objects.create(employee=hospital.staff_employee, token="secret-token-" + "x" * 30)


def my_shifts(client, hospital):
    client.force_login(hospital.users["staff"])
    response = client.get(reverse("staffing:my-shifts"), secure=True)
    assert response.status_code == 200
    return response


def test_it_offers_a_webcal_subscription(client, hospital, feed):
    page = my_shifts(client, hospital).text
    assert f'href="webcal://testserver{feed.get_absolute_url()}"' in page
    assert "Subscribe in my calendar app" in page


def test_it_offers_to_copy_the_address(client, hospital, feed):
    page = my_shifts(client, hospital).text
    assert f'value="https://testserver{feed.get_absolute_url()}"' in page
    assert re.search(r'<button type="button"[^>]*data-copy="#feed-url"[^>]*>Copy</button>', page)
    assert 'id="feed-url"' in page


def test_the_copy_button_needs_no_inline_script(client, hospital, feed):
    response = my_shifts(client, hospital)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"\son(click|change|load)=", response.text)


def test_without_a_feed_there_is_nothing_to_copy(client, hospital):
    page = my_shifts(client, hospital).text
    assert "webcal://" not in page
    assert "data-copy" not in page
    assert "Create my calendar address" in page
