"""Reads of people records, shaped once for pages, API, exports and reports."""

from django.db.models import Case, Count, Prefetch, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CatalogueProposal,
    Credential,
    CredentialType,
    Department,
    Employee,
    EmployeeSkill,
    Skill,
    credential_compliant,
    credential_expired,
    credential_expiring,
    credential_unverified,
    expiring_within_days,
)

HISTORY_LIMIT = 60


def department_list(user):
    return Department.objects.visible_to(user).select_related("parent", "head").annotate(
        headcount=Count("employees", filter=~Q(employees__status=Employee.Status.TERMINATED))
    ).order_by("path")  # a GROUP BY drops Meta.ordering


def employee_list(user):
    """Employees the user may see, with everything the list and the API show, in fixed queries."""
    return (
        Employee.objects.visible_to(user)
        .select_related("department", "job_title")
        .with_credential_state()
        .prefetch_related(Prefetch("employee_skills", EmployeeSkill.objects.select_related("skill")))
    )


def employee_choices(user):
    """Employees the user may pick for a role (head of a department, contract rules): not terminated, by name,
    with their department."""
    return (
        Employee.objects.visible_to(user)
        .exclude(status=Employee.Status.TERMINATED)
        .select_related("department")
        .order_by("last_name", "first_name", "pk")
    )


def employee_export_rows(employees):
    """Rows of the employee export for an ordered `employee_list` queryset, as the list shows each person:
    plain values read in batches (never all held), labels looked up once, everyone's skills in one query."""
    from collections import defaultdict

    employment = {key: str(label) for key, label in Employee.EmploymentType.choices}  # translated once
    status = {key: str(label) for key, label in Employee.Status.choices}
    states = {key: str(label) for key, label in Credential.State.choices}
    skills: dict[int, list[str]] = defaultdict(list)
    for employee_id, name in (
        EmployeeSkill.objects.filter(employee__in=employees.order_by().values("pk"))
        .order_by("skill__name", "pk")
        .values_list("employee_id", "skill__name")
    ):
        skills[employee_id].append(name)
    rows = employees.prefetch_related(None).values_list(
        "pk", "employee_number", "last_name", "first_name", "department__name", "job_title__name",
        "employment_type", "fte", "status", "has_expired_credential", "has_expiring_credential",
        "has_unverified_credential",
    )
    for pk, number, last, first, department, job, kind, fte, state, expired, expiring, unverified in rows.iterator(
        chunk_size=1000
    ):
        credential = (
            Credential.State.EXPIRED if expired else Credential.State.EXPIRING if expiring
            else Credential.State.UNVERIFIED if unverified else Credential.State.VALID
        )
        yield [number, f"{last}, {first}", department, job, employment.get(kind, kind), fte, status.get(state, state),
               states[credential], "; ".join(skills.get(pk, ()))]


def employee_detail(user):
    return employee_list(user).select_related("user", "department__parent").prefetch_related(
        Prefetch("credentials", Credential.objects.select_related("credential_type", "verified_by"))
    )


def credential_list(user):
    return Credential.objects.visible_to(user).select_related("credential_type", "employee", "verified_by")


def employee_skill_list(user):
    return EmployeeSkill.objects.filter(employee__in=Employee.objects.visible_to(user)).select_related(
        "skill", "employee"
    )


def proposal_list(user):
    """Catalogue proposals the user may see (managers: all; heads: their own), undecided first."""
    return CatalogueProposal.objects.visible_to(user).select_related("proposed_by", "decided_by").order_by(
        Case(When(status=CatalogueProposal.Status.PROPOSED, then=0), default=1), "-proposed_at", "-pk"
    )


def skill_list():
    return Skill.objects.annotate(holder_count=Count("holders")).order_by("name", "pk")


def records_figures(user) -> dict:
    """Headline numbers for the home page, within the user's scope."""
    today = timezone.localdate()
    employees = Employee.objects.visible_to(user)
    figures = employees.aggregate(
        headcount=Count("pk", filter=~Q(status=Employee.Status.TERMINATED)),
        active=Count("pk", filter=Q(status=Employee.Status.ACTIVE)),
        on_leave=Count("pk", filter=Q(status=Employee.Status.ON_LEAVE)),
        agency=Count("pk", filter=Q(employment_type=Employee.EmploymentType.AGENCY) & ~Q(status="terminated")),
    )
    credentials = Credential.objects.filter(employee__in=employees.exclude(status=Employee.Status.TERMINATED))
    figures.update(
        credentials.aggregate(
            credentials=Count("pk"),
            expired=Count("pk", filter=credential_expired(today)),
            expiring=Count("pk", filter=credential_expiring(today)),
            unverified=Count("pk", filter=credential_unverified(today)),
            compliant=Count("pk", filter=credential_compliant(today)),
        )
    )
    figures["expiring_within_days"] = expiring_within_days()
    total = figures["credentials"]
    figures["compliance_pct"] = round(100 * figures["compliant"] / total, 1) if total else None
    return figures


# History of an employee's record, credentials and skills ------------------------------------------


def _display(field, value, labels) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return labels.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def employee_history(employee, *, show_pay: bool) -> list[dict]:
    """Who changed what and when, newest first: the record itself, its credentials and its skills.
    Pay changes are left out for those who may not see pay.

    Each change is the difference between a history row and the previous row of the same object.
    Related ids are turned into names with one query per related model.
    """
    sources = [
        (_("Record"), employee.history.all()),
        (_("Credential"), Credential.history.filter(employee_id=employee.pk)),
        (_("Skill"), EmployeeSkill.history.filter(employee_id=employee.pk)),
    ]
    raw, wanted = [], {}
    for kind, records in sources:
        model = records.model.instance_type
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            changes = []
            if record.history_type == "~" and before is not None:
                for change in record.diff_against(before).changes:
                    if change.field == "hourly_rate" and not show_pay:
                        continue
                    field = model._meta.get_field(change.field)
                    changes.append((field, change.old, change.new))
                    if field.is_relation:
                        wanted.setdefault(field.related_model, set()).update({change.old, change.new})
                if not changes:
                    continue
            raw.append((kind, model, record, changes))
            for name in ("credential_type", "skill"):
                if hasattr(record, f"{name}_id"):
                    related = model._meta.get_field(name).related_model
                    wanted.setdefault(related, set()).add(getattr(record, f"{name}_id"))
    labels = {}
    for related, ids in wanted.items():
        for pk, obj in related._default_manager.in_bulk([pk for pk in ids if pk is not None]).items():
            labels[(related, pk)] = str(obj)
    entries = []
    for kind, model, record, changes in raw:
        subject = kind
        if model is Credential:
            subject = f"{kind}: {labels.get((CredentialType, record.credential_type_id), '')} {record.number}"
        elif model is EmployeeSkill:
            subject = f"{kind}: {labels.get((Skill, record.skill_id), '')}"
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "subject": subject,
                "action": {"+": _("created"), "~": _("changed"), "-": _("removed")}[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": [
                    {
                        "field": field.verbose_name,
                        "old": _display(field, old, labels),
                        "new": _display(field, new, labels),
                    }
                    for field, old, new in changes
                ],
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:HISTORY_LIMIT]
