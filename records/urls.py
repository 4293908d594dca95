from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("departments/", views.department_list, name="department-list"),
    path("departments/new/", views.department_create, name="department-create"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path("employees/", views.employee_list, name="employee-list"),
    path("employees/export/<str:fmt>/", views.employee_export, name="employee-export"),
    path("employees/new/", views.employee_create, name="employee-create"),
    path("employees/search/", views.employee_search, name="employee-search"),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee-edit"),
    path("employees/<int:pk>/skills/add/", views.employee_skill_add, name="employee-skill-add"),
    path(
        "employees/<int:pk>/skills/<int:skill_pk>/remove/",
        views.employee_skill_remove,
        name="employee-skill-remove",
    ),
    path("employees/<int:pk>/credentials/add/", views.credential_add, name="credential-add"),
    path("credentials/<int:pk>/edit/", views.credential_edit, name="credential-edit"),
    path("credentials/<int:pk>/verify/", views.credential_verify, name="credential-verify"),
    path("skills/", views.skill_list, name="skill-list"),
    path("skills/new/", views.skill_create, name="skill-create"),
    path("skills/<int:pk>/edit/", views.skill_edit, name="skill-edit"),
    path("catalogue/proposals/", views.proposal_list, name="proposal-list"),
    path("catalogue/proposals/new/", views.proposal_create, name="proposal-create"),
    path("catalogue/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
]
