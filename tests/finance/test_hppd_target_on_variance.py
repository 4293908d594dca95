"""The variance page shows nursing hours per patient day against the units' targets: staffing's HPPD measure
(tests/staffing/test_hppd.py), which finance asks for and never computes itself."""

import datetime as dt
from decimal import Decimal

import pytest

from staffing.models import HppdTarget
from tests.finance.test_labour_cost import roster  # noqa: F401
from tests.finance.test_labour_per_patient_day import posted, ward_plan  # noqa: F401
from tests.staffing.census_helpers import patients, ward_bed  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("department", ["ward", None])
def test_the_variance_page_shows_hours_per_patient_day_against_target(client, hospital, ward_plan,  # noqa: F811
                                                                      posted, ward_bed, department,  # noqa: F811
                                                                      django_assert_max_num_queries):
    patients(ward_bed, 2, dt.date(2026, 2, 28), dt.date(2026, 3, 31))  # 62 patient days in March
    HppdTarget.objects.create(department=hospital.ward, effective_from=dt.date(2026, 1, 1),
                              hours_per_patient_day=Decimal("7.5"))
    client.force_login(hospital.users["finance"])
    url = f"/finance/variance/?fiscal_year={ward_plan.year.pk}&through=2026-03"
    if department:
        url += f"&department={getattr(hospital, department).pk}"
    with django_assert_max_num_queries(15):
        page = client.get(url).content.decode()
    block = page[page.index("hours-per-patient-day"):]
    assert "0.91" in block[:400] and "target 7.50" in block[:400]  # 56.5 h ÷ 62 census patient days against 7.5


def test_without_a_target_it_says_so(client, hospital, ward_plan, posted):  # noqa: F811
    client.force_login(hospital.users["finance"])
    page = client.get(f"/finance/variance/?fiscal_year={ward_plan.year.pk}&through=2026-03").content.decode()
    block = page[page.index("hours-per-patient-day"):]
    assert "target —" in block[:400]
