"""The administrators' view of people records, with the change history of every row."""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApiToken,
    CatalogueProposal,
    Credential,
    CredentialType,
    Department,
    Employee,
    EmployeeSkill,
    JobTitle,
    Membership,
    Skill,
)


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "cost_centre", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "cost_centre"]
    list_select_related = ["parent", "head"]
    autocomplete_fields = ["parent", "head"]
    readonly_fields = ["path"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "department"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "department__code", "department__name"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["user", "department"]


@admin.register(JobTitle)
class JobTitleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_clinical"]
    list_filter = ["is_clinical"]
    search_fields = ["code", "name"]
    filter_horizontal = ["required_credentials"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = [
        "employee_number", "last_name", "first_name", "department", "job_title", "employment_type", "status"
    ]
    list_display_links = ["employee_number", "last_name"]
    list_filter = ["status", "employment_type", "job_title"]
    search_fields = ["employee_number", "first_name", "last_name", "email"]
    list_select_related = ["department", "job_title"]
    autocomplete_fields = ["user", "department", "job_title"]
    date_hierarchy = "hire_date"


@admin.register(Skill)
class SkillAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["required_credentials"]


@admin.register(EmployeeSkill)
class EmployeeSkillAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "skill", "level", "acquired_on"]
    list_filter = ["level", "skill"]
    search_fields = ["employee__employee_number", "employee__last_name", "skill__code", "skill__name"]
    list_select_related = ["employee", "skill"]
    autocomplete_fields = ["employee", "skill"]


@admin.register(CredentialType)
class CredentialTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_licence"]
    list_filter = ["is_licence"]
    search_fields = ["code", "name"]


@admin.register(Credential)
class CredentialAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "credential_type", "number", "issuer", "issued_on", "expiry_date", "verified_at"]
    list_filter = ["credential_type", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "issuer", "employee__employee_number", "employee__last_name"]
    list_select_related = ["employee", "credential_type"]
    autocomplete_fields = ["employee", "credential_type", "verified_by"]
    date_hierarchy = "expiry_date"


@admin.register(CatalogueProposal)
class CatalogueProposalAdmin(SimpleHistoryAdmin):
    list_display = ["catalogue", "code", "name", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["catalogue", "status"]
    search_fields = ["code", "name"]
    readonly_fields = ["proposed_by", "proposed_at", "decided_by", "decided_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """The key is made on add and shown once; only its hash is stored, and never displayed."""

    list_display = ["name", "prefix", "user", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = [
        "name", "user", "scopes", "expires_at", "revoked_at", "prefix", "created_by", "created_at", "last_used_at"
    ]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        key = None
        if not change:
            key = obj.generate_key()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if key:
            messages.success(request, _("Copy this key now, it will not be shown again: %(key)s") % {"key": key})

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        now = timezone.now()
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoked_at = now
            token._change_reason = "revoked"
            token.save(update_fields=["revoked_at"])
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserHistoryAdmin(SimpleHistoryAdmin, UserAdmin):
    """Accounts, with their department roles inline and a history of every change (never the password)."""

    inlines = [MembershipInline]


@admin.register(Group)
class GroupHistoryAdmin(SimpleHistoryAdmin, GroupAdmin):
    pass
