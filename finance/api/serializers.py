"""Finance over REST: shapes and types only; services decide."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from hospital_ops.serializers import ModelSerializer, UserNameField, VisiblePrimaryKeyField, WholeIdRelatedField
from records.models import Department

from .. import access
from ..models import (
    Account,
    Approval,
    Budget,
    BudgetLine,
    ChargeCode,
    ChargeRate,
    ExpenditureLine,
    ExpenditureRequest,
    FiscalYear,
    Period,
    RateChange,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}
LARGEST = Decimal("999999999999.99")


class PeriodSerializer(ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "fiscal_year", "number", "month", "is_closed"]
        read_only_fields = ["fiscal_year", "number", "month"]


class FiscalYearSerializer(ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = FiscalYear
        fields = ["id", "name", "start_date", "end_date", "periods"]
        read_only_fields = ["end_date"]


class AccountSerializer(ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "gl_code", "name", "kind", "is_variable", "is_active"]


class ExpenditureLineSerializer(ModelSerializer):
    account = WholeIdRelatedField(queryset=Account.objects.filter(is_active=True))
    amount = serializers.DecimalField(**AMOUNT, min_value=Decimal("0.01"), max_value=LARGEST)

    class Meta:
        model = ExpenditureLine
        fields = ["account", "description", "amount"]


class ApprovalSerializer(ModelSerializer):
    approver_name = UserNameField(source="approver")

    class Meta:
        model = Approval
        fields = ["level", "approver", "approver_name", "approved_at", "over_budget_reason"]
        read_only_fields = fields


class ExpenditureSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    lines = ExpenditureLineSerializer(many=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    raised_by_name = UserNameField(source="raised_by")

    class Meta:
        model = ExpenditureRequest
        fields = ["id", "department", "month", "vendor", "justification", "lines", "total", "status",
                  "required_level", "escalation_reason", "approvals", "raised_by", "raised_by_name", "raised_at",
                  "decided_at", "denial_reason"]
        read_only_fields = ["total", "status", "required_level", "escalation_reason", "raised_by", "raised_at",
                            "decided_at", "denial_reason"]

    def validate_lines(self, value):
        if not value:
            raise serializers.ValidationError("Add at least one line.")
        if len(value) > 50:
            raise serializers.ValidationError("A request has at most 50 lines.")
        return value


class AttachmentSerializer(serializers.Serializer):
    """A file attached to an expenditure request; `download` is the signed-in page that serves it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("finance:attachment-download", args=[obj.request_id, obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PNG or JPEG, at most 5 MB")


class ExpenditureReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExpenditureAdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["ordered", "received", "paid"])


class BudgetLineSerializer(ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["account", "month", "amount"]


class BudgetSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department, selector=access.finance_departments)
    lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "department", "fiscal_year", "version", "label", "status", "created_by", "submitted_by",
                  "submitted_at", "approved_by", "approved_at", "lines"]
        read_only_fields = ["version", "status", "created_by", "submitted_by", "submitted_at", "approved_by",
                            "approved_at"]


class BudgetCellSerializer(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=2**31)
    month = serializers.DateField()
    amount = serializers.DecimalField(**AMOUNT, min_value=0, max_value=LARGEST)


class BudgetCellsSerializer(serializers.Serializer):
    cells = BudgetCellSerializer(many=True, max_length=5000)


class FinanceDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LedgerRowSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60)
    cost_centre = serializers.CharField(max_length=20)
    gl_code = serializers.CharField(max_length=20)
    posted_on = serializers.CharField(max_length=10)
    amount = serializers.CharField(max_length=20)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LedgerImportSerializer(serializers.Serializer):
    batch_id = serializers.CharField(max_length=60)
    lines = LedgerRowSerializer(many=True, max_length=5000, allow_empty=False)


class LedgerImportResultSerializer(serializers.Serializer):
    batch = serializers.CharField()
    added = serializers.IntegerField()
    already_imported = serializers.IntegerField()


class LabourPostingSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month to post (its first day is used).")


class LabourPostingResultSerializer(serializers.Serializer):
    batch = serializers.CharField()
    lines = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    replaced = serializers.IntegerField(help_text="Lines of an earlier posting of this month, now replaced.")


class ChargeRateSerializer(ModelSerializer):
    class Meta:
        model = ChargeRate
        fields = ["id", "price", "valid_from", "valid_to"]
        read_only_fields = fields


class ChargeCodeSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department, selector=access.finance_departments)
    rates = ChargeRateSerializer(many=True, read_only=True)

    class Meta:
        model = ChargeCode
        fields = ["id", "code", "system", "revenue_code", "description", "department", "is_active", "rates"]


class ChargePriceSerializer(serializers.Serializer):
    price = serializers.DecimalField(**AMOUNT, min_value=0, max_value=LARGEST)
    valid_from = serializers.DateField()


class RateOnDateSerializer(serializers.Serializer):
    code = serializers.CharField()
    date = serializers.DateField()
    price = serializers.DecimalField(**AMOUNT, allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class RateChangeSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department, selector=access.finance_departments,
                                        required=False, allow_null=True)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=-90, max_value=500)

    class Meta:
        model = RateChange
        fields = ["id", "percent", "effective_from", "department", "code_from", "code_to", "status", "proposed_by",
                  "proposed_at", "decided_by", "decided_at"]
        read_only_fields = ["status", "proposed_by", "proposed_at", "decided_by", "decided_at"]


class VarianceLineSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    department_code = serializers.CharField(source="department.code")
    account = serializers.IntegerField(source="account.pk")
    gl_code = serializers.CharField(source="account.gl_code")
    budget_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    flex_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    committed_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    variance = serializers.DecimalField(max_digits=16, decimal_places=2)
    volume_variance = serializers.DecimalField(max_digits=16, decimal_places=2)
    spending_variance = serializers.DecimalField(max_digits=16, decimal_places=2)
    budget_year = serializers.DecimalField(max_digits=16, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2)


class VarianceSerializer(serializers.Serializer):
    fiscal_year = serializers.CharField()
    through = serializers.DateField()
    lines = VarianceLineSerializer(many=True)
