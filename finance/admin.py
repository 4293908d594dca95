from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Account,
    AmountRaise,
    Approval,
    Attachment,
    AuthorisationBand,
    Budget,
    BudgetLine,
    ChargeCode,
    ChargeRate,
    ExpenditureLine,
    ExpenditureRequest,
    FiscalYear,
    LedgerBatch,
    LedgerLine,
    PayPolicy,
    Period,
    RateChange,
    ServiceUnits,
    ServiceVolume,
    VarianceExplanation,
)


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [PeriodInline]


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["month", "fiscal_year", "number", "is_closed"]
    list_filter = ["is_closed", "fiscal_year"]


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["gl_code", "name", "kind", "is_variable", "is_active"]
    list_filter = ["kind", "is_variable", "is_active"]
    search_fields = ["gl_code", "name"]


@admin.register(AuthorisationBand)
class AuthorisationBandAdmin(SimpleHistoryAdmin):
    list_display = ["level", "role", "limit"]


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["department", "fiscal_year", "version", "status"]
    list_filter = ["status", "fiscal_year"]
    list_select_related = ["department", "fiscal_year"]
    raw_id_fields = ["department", "created_by", "submitted_by", "approved_by"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["budget", "account", "month", "amount"]
    list_select_related = ["budget__department", "budget__fiscal_year", "account"]
    raw_id_fields = ["budget", "account"]


@admin.register(VarianceExplanation)
class VarianceExplanationAdmin(SimpleHistoryAdmin):
    list_display = ["department", "account", "month", "written_by"]
    raw_id_fields = ["department", "account", "written_by"]


@admin.register(LedgerBatch)
class LedgerBatchAdmin(admin.ModelAdmin):
    list_display = ["batch_id", "source", "imported_at", "imported_by", "line_count"]
    list_filter = ["source"]


@admin.register(LedgerLine)
class LedgerLineAdmin(admin.ModelAdmin):
    list_display = ["batch", "reference", "department", "account", "posted_on", "amount", "hours"]
    list_select_related = ["batch", "department", "account"]
    raw_id_fields = ["batch", "department", "account", "period"]
    search_fields = ["reference", "batch__batch_id"]


@admin.register(ServiceUnits)
class ServiceUnitsAdmin(SimpleHistoryAdmin):
    list_display = ["department", "month", "unit", "budgeted", "actual"]
    raw_id_fields = ["department"]


@admin.register(PayPolicy)
class PayPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["overtime_multiplier", "night_differential", "weekend_differential", "agency_multiplier",
                    "salaries_account", "premium_account"]


class ExpenditureLineInline(admin.TabularInline):
    model = ExpenditureLine
    extra = 0
    raw_id_fields = ["account"]


@admin.register(ExpenditureRequest)
class ExpenditureRequestAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "department", "month", "total", "status", "required_level"]
    list_filter = ["status"]
    list_select_related = ["department"]
    raw_id_fields = ["department", "raised_by"]
    inlines = [ExpenditureLineInline]


@admin.register(ExpenditureLine)
class ExpenditureLineAdmin(admin.ModelAdmin):
    list_display = ["request", "account", "amount"]
    raw_id_fields = ["request", "account"]


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    list_display = ["request", "level", "approver", "approved_at"]
    raw_id_fields = ["request", "approver"]


@admin.register(AmountRaise)
class AmountRaiseAdmin(admin.ModelAdmin):
    list_display = ["request", "raised_by", "old_total", "new_total", "at"]
    raw_id_fields = ["request", "raised_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["request", "name", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["request", "uploaded_by"]


@admin.register(ChargeCode)
class ChargeCodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "system", "revenue_code", "description", "department", "is_active"]
    search_fields = ["code", "description"]
    raw_id_fields = ["department"]


@admin.register(ChargeRate)
class ChargeRateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "price", "valid_from", "valid_to"]
    raw_id_fields = ["code"]


@admin.register(ServiceVolume)
class ServiceVolumeAdmin(admin.ModelAdmin):
    list_display = ["code", "month", "quantity"]
    raw_id_fields = ["code"]


@admin.register(RateChange)
class RateChangeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "department", "code_from", "code_to", "status"]
    raw_id_fields = ["department", "proposed_by", "decided_by"]
