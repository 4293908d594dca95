"""Every change to people records goes through here: rights checked, rows validated, history kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from . import access
from .models import (
    ApiToken,
    CatalogueProposal,
    Credential,
    CredentialType,
    Department,
    Employee,
    EmployeeSkill,
    JobTitle,
    Skill,
)

CATALOGUES = {
    CatalogueProposal.Catalogue.SKILL: Skill,
    CatalogueProposal.Catalogue.JOB_TITLE: JobTitle,
    CatalogueProposal.Catalogue.CREDENTIAL_TYPE: CredentialType,
}


def _apply(obj, data: dict[str, Any]):
    for field, value in data.items():
        setattr(obj, field, value)
    return obj


@transaction.atomic
def create_department(*, actor, data: dict[str, Any]) -> Department:
    department = Department(**data)
    if not access.can_create_department(actor, department.parent):
        raise PermissionDenied
    return save_checked(department, "created")


@transaction.atomic
def update_department(*, actor, department: Department, data: dict[str, Any]) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    if not access.can_manage_department(actor, department):
        raise PermissionDenied
    old_parent_id = department.parent_id
    _apply(department, data)
    if department.parent_id != old_parent_id and not access.can_create_department(actor, department.parent):
        raise PermissionDenied  # moving a unit under a department you do not run
    return save_checked(department, "updated")


@transaction.atomic
def create_employee(*, actor, data: dict[str, Any]) -> Employee:
    employee = Employee(**data)
    if not access.can_manage_department(actor, employee.department):
        raise PermissionDenied
    return save_checked(employee, "created")


@transaction.atomic
def update_employee(*, actor, employee: Employee, data: dict[str, Any]) -> Employee:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if not access.can_edit_employee(actor, employee):
        raise PermissionDenied
    was_terminated = employee.status == Employee.Status.TERMINATED
    _apply(employee, data)
    if not access.can_manage_department(actor, employee.department):
        raise PermissionDenied  # moving someone into a department you do not run
    if employee.status == Employee.Status.TERMINATED and employee.termination_date is None:
        employee.termination_date = timezone.localdate()
    save_checked(employee, "updated")
    if employee.status == Employee.Status.TERMINATED and not was_terminated:
        _close_access(employee)
    return employee


def _close_access(employee: Employee) -> None:
    """A leaver's login stops working, and so do the API tokens that act as them."""
    user = employee.user
    if user is None:
        return
    if user.is_active:
        user.is_active = False
        user._change_reason = "employment ended"
        user.save(update_fields=["is_active"])
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        token.revoked_at = timezone.now()
        token._change_reason = "employment ended"
        token.save(update_fields=["revoked_at"])


@transaction.atomic
def save_catalogue_entry(*, actor, model: type[Skill | JobTitle | CredentialType], instance=None, data):
    """Create or change a hospital-wide catalogue entry, with the credentials it requires (job titles
    and skills): history keeps both."""
    if not access.can_manage_catalogue(actor):
        raise PermissionDenied
    data = dict(data)
    related = {f.name: data.pop(f.name) for f in model._meta.many_to_many if f.name in data}
    entry = save_checked(_apply(instance or model(), data), "updated" if instance else "created")
    for name, values in related.items():
        getattr(entry, name).set(values)
    return entry


@transaction.atomic
def propose_catalogue_entry(*, actor, data: dict[str, Any]) -> CatalogueProposal:
    """A department head asks for a new skill, job title or credential type."""
    if not access.can_propose_catalogue_entry(actor):
        raise PermissionDenied(_("Managers add to the catalogues directly; department heads propose."))
    proposal = CatalogueProposal(proposed_by=actor, **data)
    if not (proposal.reason or "").strip():
        raise ValidationError({"reason": _("Say why the hospital needs it.")})
    model = CATALOGUES.get(proposal.catalogue)
    if model is not None and model.objects.filter(Q(code=proposal.code) | Q(name=proposal.name)).exists():
        raise ValidationError({"code": _("The catalogue already has an entry with this code or name.")})
    return save_checked(proposal, "proposed")


@transaction.atomic
def decide_catalogue_proposal(*, actor, proposal: CatalogueProposal, accept: bool, note: str = "") -> CatalogueProposal:
    """Accept (the entry joins the catalogue) or decline (with a reason) a head's proposal."""
    proposal = CatalogueProposal.objects.select_for_update().get(pk=proposal.pk)
    if not access.can_manage_catalogue(actor):
        raise PermissionDenied(_("Only managers decide on catalogue proposals."))
    if proposal.status != CatalogueProposal.Status.PROPOSED:
        who = proposal.decided_by.get_full_name() or proposal.decided_by.username
        raise ValidationError(
            _("%(who)s already decided on this proposal at %(when)s.")
            % {"who": who, "when": date_format(timezone.localtime(proposal.decided_at), "DATETIME_FORMAT")},
            code="conflict",
        )
    if not accept and not note.strip():
        raise ValidationError({"decision_note": _("Say why the proposal is declined.")})
    if accept:
        entry = {"code": proposal.code, "name": proposal.name}
        if proposal.catalogue == CatalogueProposal.Catalogue.SKILL:
            entry["description"] = proposal.description
        save_catalogue_entry(actor=actor, model=CATALOGUES[proposal.catalogue], data=entry)
    proposal.status = CatalogueProposal.Status.ACCEPTED if accept else CatalogueProposal.Status.DECLINED
    proposal.decided_by, proposal.decided_at, proposal.decision_note = actor, timezone.now(), note.strip()
    return save_checked(proposal, proposal.status)


@transaction.atomic
def add_employee_skill(*, actor, data: dict[str, Any]) -> EmployeeSkill:
    """Record that `data["employee"]` holds `data["skill"]`."""
    holding = EmployeeSkill(**data)
    if holding.employee_id is None or not access.can_edit_employee(actor, holding.employee):
        raise PermissionDenied
    return save_checked(holding, "skill added")


@transaction.atomic
def remove_employee_skill(*, actor, employee_skill: EmployeeSkill) -> None:
    if not access.can_edit_employee(actor, employee_skill.employee):
        raise PermissionDenied
    employee_skill._change_reason = "skill removed"
    employee_skill.delete()


@transaction.atomic
def save_credential(*, actor, data: dict[str, Any], credential: Credential | None = None):
    """Add a credential to `data["employee"]`, or correct `credential` (which stays with its holder).
    Changing its type, number, issuer or dates clears a previous verification."""
    data = dict(data)
    employee = credential.employee if credential is not None else data.get("employee")
    data.pop("employee", None)
    if employee is None:
        raise ValidationError({"employee": _("Choose whose credential this is.")})
    if not access.can_edit_employee(actor, employee):
        raise PermissionDenied
    if credential is None:
        credential = Credential(employee=employee)
    else:
        credential = Credential.objects.select_for_update().get(pk=credential.pk, employee=employee)

    def identity(c):
        return (c.credential_type_id, c.number, c.issuer, c.issued_on, c.expiry_date)

    before = identity(credential)
    _apply(credential, data)
    if credential.pk and before != identity(credential):
        credential.verified_at = credential.verified_by = None
    return save_checked(credential, "updated" if credential.pk else "created")


@transaction.atomic
def verify_credential(*, actor, credential: Credential) -> Credential:
    credential = (
        Credential.objects.select_for_update(of=("self",)).select_related("employee__department").get(pk=credential.pk)
    )
    if not access.can_manage_department(actor, credential.employee.department):
        raise PermissionDenied
    if not access.can_verify_credentials_of(actor, credential.employee):
        raise PermissionDenied("Nobody verifies their own credential.")
    credential.verified_by, credential.verified_at = actor, timezone.now()
    return save_checked(credential, "verified")


@transaction.atomic
def close_departed_employees(*, today=None) -> int:
    """Mark employees whose termination date has passed as terminated. Returns how many changed."""
    today = today or timezone.localdate()
    departed = (
        Employee.objects.select_for_update(of=("self",))
        .filter(termination_date__lt=today)
        .exclude(status=Employee.Status.TERMINATED)
    )
    count = 0
    for employee in departed.select_related("user"):
        employee.status = Employee.Status.TERMINATED
        save_checked(employee, "termination date passed")
        _close_access(employee)
        count += 1
    return count
