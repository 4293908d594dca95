"""One catalogue of roster rules (code, label, hard or soft, explanation) that the checker, the
pages, the API and the benchmark scorer all read."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from drf_spectacular.generators import SchemaGenerator

from staffing import rules, services
from staffing.rules import HARD, SOFT, Rule
from staffing.services import CellChange
from staffing.templatetags.staffing_tags import rule_label
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db


def test_every_rule_has_a_label_a_severity_and_an_explanation():
    for rule in Rule:
        assert str(rule.label)
        assert rule.severity in {HARD, SOFT}
        assert rule.template.endswith((".", ")")), rule


def test_a_rule_is_its_code():
    assert Rule.REST == "rest"
    assert Rule("max_nights") is Rule.MAX_NIGHTS
    assert [code for code, _label in Rule.choices()] == [rule.value for rule in Rule]


def test_the_hard_rules_are_the_ones_refused():
    assert {rule for rule in Rule if rule.is_hard} == {
        Rule.SHIFT_TYPE, Rule.EMPLOYEE, Rule.PERIOD, Rule.TIME_OFF, Rule.SKILL, Rule.CREDENTIAL, Rule.ONE_A_DAY,
        Rule.OVERLAP, Rule.SUCCESSION, Rule.REST,
    }


def test_the_pages_label_rules_from_the_catalogue():
    for rule in Rule:
        assert rule_label(rule.value) == str(rule.label)
    assert rule_label("not_a_rule") == "Not a rule"


def test_a_breach_takes_its_severity_and_message_from_the_catalogue(hospital, roster):
    with pytest.raises(ValidationError) as error:
        services.set_cells(actor=hospital.users["scheduler_med"], schedule=roster.schedule, changes=[
            CellChange(hospital.nurse, roster.days[0], roster.night),
            CellChange(hospital.nurse, roster.days[1], roster.day),
        ])
    expected = Rule.SUCCESSION.explain(shift="D", previous="N", day=date_format(roster.days[1], "D j M"))
    assert error.value.messages == [expected]


def test_a_warning_carries_its_rule(hospital, roster):
    hospital_rules(max_consecutive_days=2)
    warnings = services.set_cells(actor=hospital.users["scheduler_med"], schedule=roster.schedule, changes=[
        CellChange(hospital.nurse, day, roster.day) for day in roster.days[:3]
    ])
    assert [(w.rule, w.severity) for w in warnings] == [(Rule.MAX_CONSECUTIVE, SOFT)]
    assert warnings[0].message == "Nora Nightingale works 3 days in a row from " \
        f"{date_format(roster.days[0], 'D j M')}; at most 2."


def test_the_api_schema_lists_the_rule_codes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    enums = [component.get("enum") for component in schema["components"]["schemas"].values()]
    assert [rule.value for rule in Rule] in enums


def _rule_literals(path: Path) -> list[str]:
    """String constants equal to a rule code that are compared with, or passed as, a rule."""
    codes = {rule.value for rule in Rule}
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = {getattr(o, "attr", getattr(o, "id", None)) for o in operands}
            if "rule" in names:
                found += [o.value for o in operands if isinstance(o, ast.Constant) and o.value in codes]
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"Violation", "breach"}:
            found += [a.value for a in node.args[:1] if isinstance(a, ast.Constant)]
    return found


def test_no_rule_code_is_spelled_outside_the_catalogue():
    sources = [
        path for app in ("staffing", "reports", "records", "hospital_ops")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert Path(rules.__file__) in sources
    assert {str(path): _rule_literals(path) for path in sources if _rule_literals(path)} == {}
