"""Pages for departments, employees, skills and credentials.

Every object is looked up through a scoped selector, so anything outside the user's reach is a 404.
Writes go through `records.services`; a refused right is a 404 too, a rule broken is shown on the form.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Select
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response

from . import access, selectors, services
from .filters import EmployeeFilter
from .forms import CredentialForm, DepartmentForm, EmployeeForm, EmployeeSkillForm, SkillForm
from .models import Credential, Skill

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


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _can_add_people(user) -> bool:
    return access.is_hospital_wide(user) or bool(access.department_ids(user, access.HEAD))


def _form_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}


def _save_with(form, save):
    """Run `save(data)` (a service call); a ValidationError lands on the form, a refusal is a 404."""
    try:
        return save(_form_data(form))
    except ValidationError as error:
        form.add_service_error(error)
    except PermissionDenied as refused:
        raise Http404 from refused
    return None


# Departments


@login_required
@require_GET
def department_list(request):
    _require(access.can_browse_people(request.user))
    departments = list(selectors.department_list(request.user).order_by("path"))
    top = min((department.depth for department in departments), default=0)
    for department in departments:
        department.tree_depth = department.depth - top
    return render(
        request,
        "records/department_list.html",
        {"departments": departments, "can_create": _can_add_people(request.user)},
    )


@login_required
@require_GET
def department_detail(request, pk):
    _require(access.can_browse_people(request.user))
    departments = selectors.department_list(request.user)
    department = get_object_or_404(departments, pk=pk)
    units = [unit for unit in departments.filter(path__startswith=department.path).order_by("path")]
    for unit in units:
        unit.tree_depth = unit.depth - department.depth
    context = {
        "department": department,
        "units": [unit for unit in units if unit.pk != department.pk],
        "subtree_headcount": sum(unit.headcount for unit in units),
        "can_manage": access.can_manage_department(request.user, department),
        "can_add_unit": access.can_create_department(request.user, department),
    }
    return render(request, "records/department_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request):
    user = request.user
    _require(_can_add_people(user))
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = DepartmentForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            department = _save_with(form, lambda data: services.create_department(actor=user, data=data))
            if department:
                messages.success(request, _("Department %(name)s created.") % {"name": department.name})
                return redirect(department)
        return render(request, "records/department_form.html", {"form": form}, status=400)
    return render(request, "records/department_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk):
    user = request.user
    department = get_object_or_404(selectors.department_list(user), pk=pk)
    _require(access.can_manage_department(user, department))
    form = DepartmentForm(request.POST or None, user=user, instance=copy(department))
    if request.method == "POST":
        if form.is_valid():
            saved = _save_with(
                form, lambda data: services.update_department(actor=user, department=department, data=data)
            )
            if saved:
                messages.success(request, _("Department %(name)s saved.") % {"name": saved.name})
                return redirect(saved)
        return render(request, "records/department_form.html", {"form": form, "department": department}, status=400)
    return render(request, "records/department_form.html", {"form": form, "department": department})


# Employees


def _label_empty_choices(form, label) -> None:
    """Filter drop-downs read "All …" instead of a row of dashes."""
    for field in form.fields.values():
        if isinstance(field.widget, Select):
            field.empty_label = label
            if not hasattr(field, "queryset"):
                field.widget.choices = [(value, label if value == "" else text) for value, text in field.widget.choices]


def _filtered_employees(request):
    """The filter and the employees it selects, in a fixed order so pages and exports agree."""
    queryset = selectors.employee_list(request.user)
    filterset = EmployeeFilter(request.GET, queryset=queryset, request=request)
    _label_empty_choices(filterset.form, _("All"))
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
    _require(access.can_browse_people(request.user))
    filterset, employees = _filtered_employees(request)
    page = Paginator(employees, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "employees": page.object_list,
        "can_create": _can_add_people(request.user),
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
    _require(access.can_browse_people(request.user))
    _filter, employees = _filtered_employees(request)
    rows = (employee_row(employee) for employee in employees)
    return export_response("employees", EMPLOYEE_COLUMNS, rows, fmt)


def _render_employee(request, employee, *, skill_form=None, status=200):
    user = request.user
    can_manage = access.can_edit_employee(user, employee)
    credentials = sorted(employee.credentials.all(), key=lambda c: (c.expiry_date is None, c.expiry_date, c.pk))
    context = {
        "employee": employee,
        "skills": employee.employee_skills.all(),
        "credentials": credentials,
        "can_manage": can_manage,
        "can_verify": access.can_manage_department(user, employee.department) and employee.user_id != user.pk,
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
    _require(_can_add_people(user))
    initial = {}
    if request.GET.get("department", "").isdigit():
        initial["department"] = int(request.GET["department"])
    form = EmployeeForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            employee = _save_with(form, lambda data: services.create_employee(actor=user, data=data))
            if employee:
                messages.success(request, _("%(name)s added.") % {"name": employee.full_name})
                return redirect(employee)
        return render(request, "records/employee_form.html", {"form": form}, status=400)
    return render(request, "records/employee_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request, pk):
    user = request.user
    employee = get_object_or_404(selectors.employee_detail(user), pk=pk)
    _require(access.can_edit_employee(user, employee))
    form = EmployeeForm(request.POST or None, user=user, instance=copy(employee))
    context = {"form": form, "employee": employee}
    if request.method == "POST":
        if form.is_valid():
            saved = _save_with(form, lambda data: services.update_employee(actor=user, employee=employee, data=data))
            if saved:
                messages.success(request, _("%(name)s saved.") % {"name": saved.full_name})
                return redirect(saved)
        return render(request, "records/employee_form.html", context, status=400)
    return render(request, "records/employee_form.html", context)


@login_required
@require_POST
def employee_skill_add(request, pk):
    user = request.user
    employee = get_object_or_404(selectors.employee_detail(user), pk=pk)
    _require(access.can_edit_employee(user, employee))
    form = EmployeeSkillForm(request.POST)
    if form.is_valid():
        holding = _save_with(form, lambda data: services.add_employee_skill(actor=user, employee=employee, data=data))
        if holding:
            messages.success(request, _("Skill %(skill)s added.") % {"skill": holding.skill.name})
            return redirect(employee)
    return _render_employee(request, employee, skill_form=form, status=400)


@login_required
@require_POST
def employee_skill_remove(request, pk, skill_pk):
    user = request.user
    holding = get_object_or_404(selectors.employee_skill_list(user), pk=skill_pk, employee_id=pk)
    _require(access.can_edit_employee(user, holding.employee))
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
    _require(access.can_edit_employee(user, employee))
    form = CredentialForm(request.POST or None)
    context = {"form": form, "employee": employee}
    if request.method == "POST":
        if form.is_valid():
            credential = _save_with(
                form, lambda data: services.save_credential(actor=user, employee=employee, data=data)
            )
            if credential:
                messages.success(request, _("Credential %(credential)s added.") % {"credential": credential})
                return redirect(employee)
        return render(request, "records/credential_form.html", context, status=400)
    return render(request, "records/credential_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def credential_edit(request, pk):
    user = request.user
    credential = get_object_or_404(selectors.credential_list(user).select_related("employee__department"), pk=pk)
    employee = credential.employee
    _require(access.can_edit_employee(user, employee))
    form = CredentialForm(request.POST or None, instance=copy(credential))
    context = {"form": form, "employee": employee, "credential": credential}
    if request.method == "POST":
        if form.is_valid():
            saved = _save_with(
                form,
                lambda data: services.save_credential(actor=user, employee=employee, data=data, credential=credential),
            )
            if saved:
                messages.success(request, _("Credential %(credential)s saved.") % {"credential": saved})
                return redirect(employee)
        return render(request, "records/credential_form.html", context, status=400)
    return render(request, "records/credential_form.html", context)


@login_required
@require_POST
def credential_verify(request, pk):
    user = request.user
    credential = get_object_or_404(selectors.credential_list(user).select_related("employee__department"), pk=pk)
    _require(access.can_manage_department(user, credential.employee.department))
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
    _require(access.can_browse_people(user))
    context = {
        "skills": selectors.skill_list(),
        "can_manage": access.can_manage_catalogue(user),
        "show_counts": access.is_hospital_wide(user),
    }
    return render(request, "records/skill_list.html", context)


def _skill_form_page(request, skill=None):
    user = request.user
    _require(access.can_manage_catalogue(user))
    form = SkillForm(request.POST or None, instance=copy(skill) if skill else None)
    context = {"form": form, "skill": skill}
    if request.method == "POST":
        if form.is_valid():
            saved = _save_with(
                form,
                lambda data: services.save_catalogue_entry(actor=user, model=Skill, instance=skill, data=data),
            )
            if saved:
                messages.success(request, _("Skill %(skill)s saved.") % {"skill": saved.name})
                return redirect("records:skill-list")
        return render(request, "records/skill_form.html", context, status=400)
    return render(request, "records/skill_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def skill_create(request):
    return _skill_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request, pk):
    _require(access.can_manage_catalogue(request.user))
    return _skill_form_page(request, get_object_or_404(Skill, pk=pk))

