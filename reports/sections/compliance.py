"""Compliance report: credential compliance by department, and the named lists to act on."""

from __future__ import annotations

from ..charts import hbar_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import TARGETS, credential_action_list, credential_compliance_by_department, credential_figures, today
from . import KeyFigure, Section, register

BANDS = [
    ("expired", "Expired", "Renew now: these people may not work shifts that need the credential."),
    ("expiring_30", "Expiring within 30 days", "Book the renewal this month."),
    ("expiring_60", "Expiring in 31 to 60 days", "Plan the renewal."),
    ("expiring_90", "Expiring in 61 to 90 days", "Remind the holder."),
    ("unverified", "Awaiting verification", "Check the original and record the verification."),
]


def _as_of(period: Period):
    return min(period.end, today())


def build_summary(scope: Scope, period: Period) -> dict:
    as_of = _as_of(period)
    figures = credential_figures(scope, as_of)
    before = credential_figures(scope, period.previous().end)
    rows = credential_compliance_by_department(scope, as_of, rolled_up=False)
    return {
        "figures": figures,
        "by_department": rows,
        "chart": hbar_chart(
            "Credential compliance by department",
            [row["department"].name for row in rows],
            [row["compliance_pct"] for row in rows],
            maximum=100,
            target=TARGETS["compliance_pct"].value,
        ),
        "key_figures": [
            KeyFigure("Credential compliance", figures["compliance_pct"], before["compliance_pct"], unit="%",
                      target=TARGETS["compliance_pct"]),
            KeyFigure("Expired credentials", figures["expired"], before["expired"], higher_is_better=False),
            KeyFigure("Expiring within 30 days", figures["expiring_30"], before["expiring_30"],
                      higher_is_better=False),
            KeyFigure("Awaiting verification", figures["unverified"], before["unverified"], higher_is_better=False),
        ],
        "notes": [
            f"Figures are as of {as_of:%d %B %Y}, for credentials on file of people employed that day. A credential "
            "is compliant when it is verified and not expired; expiring bands count days from that date.",
        ],
    }


# The PDF counts, by department, what there is to act on; every credential is named in the workbook stored
# beside it (laying out a named line costs the PDF far more than a spreadsheet row).
WORKBOOK_COLUMNS = ("Band", "Department", "Name", "Employee no.", "Credential", "Number", "Expires")


def workbook_rows(lists: list[dict]):
    """Every named credential of every band, in the order of the bands, as the workbook writes them."""
    for band in lists:
        for row in band["rows"]:
            yield [band["title"], row["employee__department__name"],
                   f"{row['employee__last_name']}, {row['employee__first_name']}", row["employee__employee_number"],
                   row["credential_type__name"], row["number"], row["expiry_date"]]


def build_actions(scope: Scope, period: Period) -> dict:
    as_of = _as_of(period)
    lists = [
        {"key": key, "title": title, "advice": advice, "rows": credential_action_list(scope, as_of, key)}
        for key, title, advice in BANDS
    ]
    counts: dict[str, dict[str, int]] = {}  # department → band → credentials
    for band in lists:
        for row in band["rows"]:
            by_band = counts.setdefault(row["employee__department__name"], dict.fromkeys((key for key, *_ in BANDS), 0))
            by_band[band["key"]] += 1
    order = {department: n for n, department in enumerate(dict.fromkeys(
        row["employee__department__name"] for band in lists for row in band["rows"]
    ))}
    return {
        "as_of": as_of,
        "bands": [{"key": key, "title": title, "advice": advice} for key, title, advice in BANDS],
        "band_totals": [len(band["rows"]) for band in lists],
        "by_department": [
            {"department": department, "counts": [counts[department][key] for key, *_ in BANDS]}
            for department in sorted(counts, key=lambda name: order[name])
        ],
        "listed_total": sum(len(band["rows"]) for band in lists),
        "workbook": {
            "filename": "credentials-to-act-on",
            "sheet": "Credentials to act on",
            "headers": WORKBOOK_COLUMNS,
            "rows": list(workbook_rows(lists)),
        },
    }


register(Section(
    key="credential-compliance",
    title="Credential compliance",
    kinds=(ReportKind.COMPLIANCE,),
    build=build_summary,
    template="reports/sections/credential_compliance.html",
    order=20,
    description="Compliance % by department and the number of credentials in each state.",
))
register(Section(
    key="credential-actions",
    title="Credentials to act on",
    kinds=(ReportKind.COMPLIANCE,),
    build=build_actions,
    template="reports/sections/credential_actions.html",
    order=30,
    description="By department: expired, expiring and unverified credentials to act on; the named list of "
    "every band goes beside the PDF as a workbook.",
))
