"""Pages for departments, employees, skills and credentials.

Every object is looked up through a scoped selector, so anything outside the user's reach is a 404.
Writes go through `records.services`; a refused right is a 404 too, a rule broken is shown on the form.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import stream_export
from hospital_ops.pages import form_data, form_page, label_empty_choices, refused, require
from hospital_ops.scoping import within

from . import access, selectors, services
from .filters import EmployeeFilter
from .forms import (
    CatalogueProposalForm,
    CredentialForm,
    DepartmentForm,
    EmployeeForm,
    EmployeeSkillForm,
    ProposalDecisionForm,
    SkillForm,
)
from .models import CatalogueProposal, Credential, Skill

EMPLOYEES_PER_PAGE = 50
EMPLOYEE_COLUMNS = [
    gettext_lazy("Number"),
    gettext_lazy("Name"),
    gettext_lazy("Department"),
    gettext_lazy("Job title"),
    gettext_lazy("Employment type"),
    gettext_lazy("FTE"),
    gettext_lazy("Status"),
    gettext_lazy("Credential status"),
    gettext_lazy("Skills"),
]


# Departments


@login_required
@require_GET
def department_list(request):
    require(access.can_browse_people(request.user))
    departments = list(selectors.department_list(request.user).order_by("path"))
    top = min((department.depth for department in departments), default=0)
    for department in departments:
        department.tree_depth = department.depth - top
    return render(
        request,
        "records/department_list.html",
        {"departments": departments, "can_create": access.can_add_people(request.user)},
    )


@login_required
@require_GET
def department_detail(request, pk):
    require(access.can_browse_people(request.user))
    departments = selectors.department_list(request.user)
    department = get_object_or_404(departments, pk=pk)
    units = list(departments.filter(within(department, "")).order_by("path"))
    for unit in units:
        unit.tree_depth = unit.depth - department.depth
    context = {
        "department": department,
        "units": [unit for unit in units if unit.pk != department.pk],
        "subtree_headcount": sum(unit.headcount for unit in units),
        "can_manage": access.can_manage_department(request.user, department),
        "can_add_unit": access.can_create_department(request.user, department),
        # a ward's scheduler sees the ward, not the department above it: name it, link it only if visible
        "parent_visible": departments.filter(pk=department.parent_id).exists() if department.parent_id else False,
    }
    return render(request, "records/department_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request):
    user = request.user
    require(access.can_add_people(user))
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    return form_page(
        request,
        DepartmentForm(request.POST or None, user=user, initial=initial),
        "records/department_form.html",
        save=lambda form: services.create_department(actor=user, data=form_data(form)),
        success=lambda department: _("Department %(name)s created.") % {"name": department.name},
        then=lambda department: department,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk):
    user = request.user
    department = get_object_or_404(selectors.department_list(user), pk=pk)
    require(access.can_manage_department(user, department))
    return form_page(
        request,
        DepartmentForm(request.POST or None, user=user, instance=copy(department)),
        "records/department_form.html",
        save=lambda form: services.update_department(actor=user, department=department, data=form_data(form)),
        success=lambda saved: _("Department %(name)s saved.") % {"name": saved.name},
        then=lambda saved: saved,
        context={"department": department},
    )


# Employees


def _filtered_employees(request):
    """The filter and the employees it selects, in a fixed order so pages and exports agree."""
    queryset = selectors.employee_list(request.user)
    filterset = EmployeeFilter(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    if not filterset.is_valid():
        return filterset, queryset.none()
    employees = filterset.qs
    return filterset, employees.order_by(*(employees.query.order_by or ("last_name", "first_name")), "pk")


def employee_row(employee) -> list:
    """One employee as the list shows it and the exports write it."""
    return [
        employee.employee_number,
        f"{employee.last_name}, {employee.first_name}",
        employee.department.name,
        employee.job_title.name,
        employee.get_employment_type_display(),
        employee.fte,
        employee.get_status_display(),
        Credential.State(employee.credential_state).label,
        "; ".join(holding.skill.name for holding in employee.employee_skills.all()),
    ]


@login_required
@require_GET
def employee_list(request):
    require(access.can_browse_people(request.user))
    filterset, employees = _filtered_employees(request)
    page = Paginator(employees, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "employees": page.object_list,
        "can_create": access.can_add_people(request.user),
        "ordering": request.GET.get("ordering", ""),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "records/_employee_results.html" if partial else "records/employee_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def employee_export(request, fmt):
    require(access.can_browse_people(request.user))
    _filter, employees = _filtered_employees(request)
    return stream_export(
        "employees", EMPLOYEE_COLUMNS, selectors.employee_export_rows(employees), fmt, sheet=_("Employees")
    )


EMPLOYEE_SEARCH_LIMIT = 20


@login_required
@require_GET
def employee_search(request):
    """Up to 20 employees the user may see (not terminated) whose name or number holds every word typed, as
    `<option>`s for the suggestions of a field that takes an employee number (it sends its value under its own
    name, or as `q`)."""
    text = (request.GET.get("q") or next(iter(request.GET.values()), "")).strip()[:100]
    employees = []
    if text:
        found = EmployeeFilter({"q": text}, queryset=selectors.employee_choices(request.user), request=request).qs
        employees = found[:EMPLOYEE_SEARCH_LIMIT]
    return render(request, "records/_employee_options.html", {"employees": employees})


def _render_employee(request, employee, *, skill_form=None, status=200):
    user = request.user
    can_manage = access.can_edit_employee(user, employee)
    credentials = sorted(employee.credentials.all(), key=lambda c: (c.expiry_date is None, c.expiry_date, c.pk))
    context = {
        "employee": employee,
        "skills": employee.employee_skills.all(),
        "credentials": credentials,
        "can_manage": can_manage,
        "can_verify": access.can_verify_credentials_of(user, employee),
        "skill_form": skill_form or (EmployeeSkillForm() if can_manage else None),
        "history": selectors.employee_history(employee, show_pay=access.can_see_pay(user, employee)),
        "is_own_record": employee.user_id == user.pk,
        "show_pay": access.can_see_pay(user, employee),
    }
    return render(request, "records/employee_detail.html", context, status=status)


@login_required
@require_GET
def employee_detail(request, pk):
    employee = get_object_or_404(selectors.employee_detail(request.user), pk=pk)
    return _render_employee(request, employee)


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request):
    user = request.user
    require(access.can_add_people(user))
    initial = {}
    if request.GET.get("department", "").isdigit():
        initial["department"] = int(request.GET["department"])
    return form_page(
        request,
        EmployeeForm(request.POST or None, user=user, initial=initial),
        "records/employee_form.html",
        save=lambda form: services.create_employee(actor=user, data=form_data(form)),
        success=lambda employee: _("%(name)s added.") % {"name": employee.full_name},
        then=lambda employee: employee,
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request, pk):
    user = request.user
    employee = get_object_or_404(selectors.employee_detail(user), pk=pk)
    require(access.can_edit_employee(user, employee))
    return form_page(
        request,
        EmployeeForm(request.POST or None, user=user, instance=copy(employee)),
        "records/employee_form.html",
        save=lambda form: services.update_employee(actor=user, employee=employee, data=form_data(form)),
        success=lambda saved: _("%(name)s saved.") % {"name": saved.full_name},
        then=lambda saved: saved,
        context={"employee": employee},
    )


@login_required
@require_POST
def employee_skill_add(request, pk):
    user = request.user
    employee = get_object_or_404(selectors.employee_detail(user), pk=pk)
    require(access.can_edit_employee(user, employee))
    form = EmployeeSkillForm(request.POST)
    if form.is_valid():
        try:
            holding = services.add_employee_skill(actor=user, data=form_data(form) | {"employee": employee})
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("Skill %(skill)s added.") % {"skill": holding.skill.name})
            return redirect(employee)
    return _render_employee(request, employee, skill_form=form, status=400)


@login_required
@require_POST
def employee_skill_remove(request, pk, skill_pk):
    user = request.user
    holding = get_object_or_404(selectors.employee_skill_list(user), pk=skill_pk, employee_id=pk)
    require(access.can_edit_employee(user, holding.employee))
    try:
        services.remove_employee_skill(actor=user, employee_skill=holding)
    except PermissionDenied as refused:
        raise Http404 from refused
    messages.success(request, _("Skill %(skill)s removed.") % {"skill": holding.skill.name})
    return redirect(holding.employee)


# Credentials


@login_required
@require_http_methods(["GET", "POST"])
def credential_add(request, pk):
    user = request.user
    employee = get_object_or_404(selectors.employee_detail(user), pk=pk)
    require(access.can_edit_employee(user, employee))
    return form_page(
        request,
        CredentialForm(request.POST or None),
        "records/credential_form.html",
        save=lambda form: services.save_credential(actor=user, data=form_data(form) | {"employee": employee}),
        success=lambda credential: _("Credential %(credential)s added.") % {"credential": credential},
        then=lambda credential: employee,
        context={"employee": employee},
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_edit(request, pk):
    user = request.user
    credential = get_object_or_404(selectors.credential_list(user).select_related("employee__department"), pk=pk)
    employee = credential.employee
    require(access.can_edit_employee(user, employee))
    return form_page(
        request,
        CredentialForm(request.POST or None, instance=copy(credential)),
        "records/credential_form.html",
        save=lambda form: services.save_credential(actor=user, data=form_data(form), credential=credential),
        success=lambda saved: _("Credential %(credential)s saved.") % {"credential": saved},
        then=lambda saved: employee,
        context={"employee": employee, "credential": credential},
    )


@login_required
@require_POST
def credential_verify(request, pk):
    user = request.user
    credential = get_object_or_404(selectors.credential_list(user).select_related("employee__department"), pk=pk)
    require(access.can_manage_department(user, credential.employee.department))  # else 404; own: a message
    try:
        services.verify_credential(actor=user, credential=credential)
    except PermissionDenied as refused:
        messages.error(request, str(refused) or _("You may not verify this credential."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Credential %(credential)s verified.") % {"credential": credential})
    return redirect(credential.employee)


# Skills catalogue


@login_required
@require_GET
def skill_list(request):
    user = request.user
    require(access.can_browse_people(user))
    context = {
        "skills": selectors.skill_list(),
        "can_manage": access.can_manage_catalogue(user),
        "can_propose": access.can_propose_catalogue_entry(user),
        "waiting_proposals": selectors.proposal_list(user).filter(status=CatalogueProposal.Status.PROPOSED).count()
        if access.can_manage_catalogue(user) else 0,
        "show_counts": access.is_hospital_wide(user),
    }
    return render(request, "records/skill_list.html", context)


def _skill_form_page(request, skill=None):
    user = request.user
    require(access.can_manage_catalogue(user))
    return form_page(
        request,
        SkillForm(request.POST or None, instance=copy(skill) if skill else None),
        "records/skill_form.html",
        save=lambda form: services.save_catalogue_entry(actor=user, model=Skill, instance=skill, data=form_data(form)),
        success=lambda saved: _("Skill %(skill)s saved.") % {"skill": saved.name},
        then=lambda saved: "records:skill-list",
        context={"skill": skill},
    )


@login_required
@require_http_methods(["GET", "POST"])
def skill_create(request):
    return _skill_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request, pk):
    require(access.can_manage_catalogue(request.user))
    return _skill_form_page(request, get_object_or_404(Skill, pk=pk))



# Catalogue proposals: heads propose, managers decide


@login_required
@require_GET
def proposal_list(request):
    user = request.user
    require(access.can_manage_catalogue(user) or access.can_propose_catalogue_entry(user))
    proposals = selectors.proposal_list(user)
    status = request.GET.get("status", "")
    if status in CatalogueProposal.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    return render(request, "records/proposal_list.html", {
        "page": page,
        "proposals": page.object_list,
        "status": status,
        "statuses": CatalogueProposal.Status.choices,
        "can_decide": access.can_manage_catalogue(user),
        "can_propose": access.can_propose_catalogue_entry(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    user = request.user
    require(access.can_propose_catalogue_entry(user))
    initial = {"catalogue": request.GET["catalogue"]} if request.GET.get("catalogue") else {}
    return form_page(
        request,
        CatalogueProposalForm(request.POST or None, initial=initial),
        "records/proposal_form.html",
        save=lambda form: services.propose_catalogue_entry(actor=user, data=form_data(form)),
        success=lambda proposal: _("Your proposal of %(name)s is with the managers.") % {"name": proposal.name},
        then=lambda proposal: "records:proposal-list",
    )


@login_required
@require_POST
def proposal_decide(request, pk):
    user = request.user
    proposal = get_object_or_404(selectors.proposal_list(user), pk=pk)
    require(access.can_manage_catalogue(user))
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect("records:proposal-list")
    try:
        services.decide_catalogue_proposal(
            actor=user, proposal=proposal, accept=form.cleaned_data["accept"], note=form.cleaned_data["note"]
        )
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Proposal of %(name)s decided.") % {"name": proposal.name})
    return redirect("records:proposal-list")
