"""The compliance report carries the facilities section and the board report a short environment-of-care
summary, both computed by the facilities selectors."""

import datetime as dt

import pytest

from facilities import equipment_services
from facilities.models import Criticality
from reports import services
from reports.models import ReportKind
from reports.periods import Period
from reports.scope import Scope
from tests.reports.helpers import pdf_text

from .equipment_fixtures import asset, kind, site
from .inspection_fixtures import inspection
from .test_inspection_findings import conduct


@pytest.fixture
def h(hospital):
    return site(hospital)


def test_the_compliance_report_shows_facilities(h):
    conduct(h, inspection(h, due_on=dt.date(2026, 3, 2)))
    vent = asset(h.ward, tag="VENT-7", kind_=kind("VENT", "Ventilator"), criticality=Criticality.LIFE_SUPPORT)
    equipment_services.report_fault(actor=h.users["ops"], asset=vent, title="Fails", takes_out_of_service=True)
    content, _ = services.render_report(kind=ReportKind.COMPLIANCE, scope=Scope(None), period=Period.parse("2026-03"))
    text = pdf_text(content)
    assert "Facilities and environment of care" in text
    assert "VENT-7" in text
    assert "80.0 %" in text  # 4 of 5 applicable checks passed


def test_the_board_report_has_a_short_environment_of_care_section(h):
    content, _ = services.render_report(kind=ReportKind.BOARD, scope=Scope(None), period=Period.parse("2026-03"))
    text = pdf_text(content)
    assert "Environment of care" in text
    assert "Facilities and environment of care" not in text  # the full section is the compliance report's
