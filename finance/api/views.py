"""Finance over REST: reads through selectors, writes through services, scoped to the caller. A state conflict
answers 409, a refused right 403, a row out of scope 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.scoping import within

from .. import access, measures, selectors
from ..models import Account, Budget, FiscalYear, Period, RateChange
from ..services import actuals as actual_services
from ..services import budgets as budget_services
from ..services import expenditure as expenditure_services
from ..services import rates as rate_services
from ..services import setup as setup_services
from . import serializers


def _finance_only(user) -> None:
    if not access.uses_finance(user):
        raise exceptions.NotFound


@extend_schema(tags=["finance"])
class FinanceViewSet(ScopedModelViewSet):
    """Scoped viewset of this app (schema tag)."""

    def answer(self, obj, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(self.reload(obj), context=self.get_serializer_context()).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _catalogue(user, queryset):
    """Finance's own lists (years, periods, accounts): for the people who use finance, nobody else."""
    return queryset if access.uses_finance(user) else queryset.none()


def _years(user):
    return _catalogue(user, FiscalYear.objects.all()).prefetch_related("periods").order_by("-start_date")


class FiscalYearViewSet(FinanceViewSet):
    """Fiscal years with their twelve monthly periods. Finance creates them."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.FiscalYearSerializer
    selector = staticmethod(_years)
    create_service = staticmethod(setup_services.create_fiscal_year)


class PeriodViewSet(FinanceViewSet):
    """Monthly periods: finance closes one (no more postings) or reopens it with PATCH is_closed."""

    http_method_names = ["get", "patch", "head", "options"]
    serializer_class = serializers.PeriodSerializer
    selector = staticmethod(lambda user: _catalogue(user, Period.objects.order_by("month")))
    update_service = staticmethod(setup_services.update_period)
    object_name = "period"


class AccountViewSet(FinanceViewSet):
    """The chart of accounts."""

    serializer_class = serializers.AccountSerializer
    selector = staticmethod(lambda user: _catalogue(user, Account.objects.order_by("gl_code")))
    create_service = staticmethod(setup_services.create_account)
    update_service = staticmethod(setup_services.update_account)
    object_name = "account"


class ExpenditureViewSet(FinanceViewSet):
    """Expenditure requests and their authorisation: approve (with a reason when over budget), deny, advance
    (ordered, received, paid), cancel."""

    serializer_class = serializers.ExpenditureSerializer
    selector = staticmethod(selectors.expenditure_detail)
    create_service = staticmethod(expenditure_services.raise_expenditure)
    update_service = staticmethod(expenditure_services.update_expenditure)
    object_name = "request"

    def get_queryset(self):
        queryset = super().get_queryset().order_by("-raised_at", "-pk")
        status = self.request.query_params.get("status", "")
        return queryset.filter(status=status) if status else queryset

    @extend_schema(request=serializers.ExpenditureReasonSerializer, responses=serializers.ExpenditureSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve at the next level of the chain. Over budget needs a reason and goes to the next level."""
        data = self._input(serializers.ExpenditureReasonSerializer)
        return self.answer(expenditure_services.approve_expenditure(
            request=self.get_object(), approver=request.user, reason=data["reason"]))

    @extend_schema(request=serializers.ExpenditureReasonSerializer, responses=serializers.ExpenditureSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        data = self._input(serializers.ExpenditureReasonSerializer)
        return self.answer(expenditure_services.deny_expenditure(
            request=self.get_object(), approver=request.user, reason=data["reason"]))

    @extend_schema(request=serializers.ExpenditureAdvanceSerializer, responses=serializers.ExpenditureSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        data = self._input(serializers.ExpenditureAdvanceSerializer)
        return self.answer(expenditure_services.advance_expenditure(
            request=self.get_object(), actor=request.user, to=data["to"]))

    @extend_schema(request=None, responses=serializers.ExpenditureSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.answer(expenditure_services.cancel_expenditure(request=self.get_object(), actor=request.user))

    @extend_schema(methods=["get"], request=None, responses=serializers.AttachmentSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": serializers.AttachmentUploadSerializer},
                   responses={201: serializers.AttachmentSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """The request's files (GET) or attach one (POST, multipart `file`): PDF, PNG or JPEG, at most 5 MB,
        checked as the page checks them; a refused file saves nothing."""
        item = self.get_object()
        if request.method == "GET":
            files = item.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")
            return Response(serializers.AttachmentSerializer(files, many=True).data)
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": ["Choose a file to attach."]})
        attachment = expenditure_services.add_attachment(request=item, actor=request.user, upload=upload)
        return Response(serializers.AttachmentSerializer(attachment).data, status=201)


def _budgets(user):
    return Budget.objects.visible_to(user).select_related("department", "fiscal_year").prefetch_related("lines")


class BudgetViewSet(FinanceViewSet):
    """Budget versions and their lines. POST cells/ writes a draft's grid; submit/ and decide/ move it on."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.BudgetSerializer
    selector = staticmethod(_budgets)
    create_service = staticmethod(budget_services.create_budget)

    @extend_schema(request=serializers.BudgetCellsSerializer, responses=serializers.BudgetSerializer)
    @action(detail=True, methods=["post"])
    def cells(self, request, pk=None):
        data = self._input(serializers.BudgetCellsSerializer)
        cells = {(cell["account"], cell["month"]): cell["amount"] for cell in data["cells"]}
        budget = self.get_object()
        budget_services.set_budget_lines(actor=request.user, budget=budget, cells=cells)
        return self.answer(budget)

    @extend_schema(request=None, responses=serializers.BudgetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.answer(budget_services.submit_budget(actor=request.user, budget=self.get_object()))

    @extend_schema(request=serializers.FinanceDecisionSerializer, responses=serializers.BudgetSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self._input(serializers.FinanceDecisionSerializer)
        return self.answer(budget_services.decide_budget(actor=request.user, budget=self.get_object(), **data))


class ChargeCodeViewSet(FinanceViewSet):
    """The chargemaster. GET rate/?date=YYYY-MM-DD answers what a code cost that day; POST price/ sets a price
    from a date (the current price ends the day before)."""

    serializer_class = serializers.ChargeCodeSerializer
    selector = staticmethod(lambda user: selectors.charge_codes(user).prefetch_related("rates").order_by("code"))
    create_service = staticmethod(rate_services.create_charge_code)
    update_service = staticmethod(rate_services.update_charge_code)
    object_name = "code"

    @extend_schema(parameters=[OpenApiParameter("date", str, required=True)],
                   responses={200: serializers.RateOnDateSerializer,
                              400: OpenApiResponse(description="The date is not YYYY-MM-DD.")})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rate(self, request, pk=None):
        field = drf_serializers.DateField()
        try:
            day = field.to_internal_value(request.query_params.get("date", ""))
        except drf_serializers.ValidationError as error:
            raise exceptions.ValidationError({"date": error.detail}) from None
        code = self.get_object()
        rate = selectors.rate_on(code, day)
        return Response(serializers.RateOnDateSerializer({
            "code": code.code, "date": day, "price": rate.price if rate else None,
            "valid_from": rate.valid_from if rate else None, "valid_to": rate.valid_to if rate else None}).data)

    @extend_schema(request=serializers.ChargePriceSerializer, responses=serializers.ChargeCodeSerializer)
    @action(detail=True, methods=["post"])
    def price(self, request, pk=None):
        data = self._input(serializers.ChargePriceSerializer)
        code = self.get_object()
        rate_services.set_price(actor=request.user, code=code, **data)
        return self.answer(code)


class RateChangeViewSet(FinanceViewSet):
    """Bulk % changes: proposed, their impact (impact/), approved or rejected by another finance officer."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.RateChangeSerializer
    selector = staticmethod(lambda user: RateChange.objects.visible_to(user).order_by("-proposed_at"))
    create_service = staticmethod(rate_services.propose_rate_change)

    @extend_schema(request=serializers.FinanceDecisionSerializer, responses=serializers.RateChangeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self._input(serializers.FinanceDecisionSerializer)
        return self.answer(rate_services.decide_rate_change(actor=request.user, change=self.get_object(),
                                                            approve=data["approve"]))

    @extend_schema(responses=None)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def impact(self, request, pk=None):
        impact = selectors.rate_change_impact(self.get_object())
        return Response({"total": str(impact["total"]), "codes": [
            {"code": row["code"].code, "price": str(row["price"]), "new_price": str(row["new_price"]),
             "volume": row["volume"], "impact": str(row["impact"])} for row in impact["rows"]]})


@extend_schema(tags=["finance"])
class LedgerImportView(APIView):
    """Import general-ledger lines (at most 5,000 per call; larger files go through the page's background
    import). Idempotent by batch id and line reference; every bad line is listed and nothing is written."""

    api_app = "finance"

    @extend_schema(request=serializers.LedgerImportSerializer, responses=serializers.LedgerImportResultSerializer)
    def post(self, request):
        serializer = serializers.LedgerImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not access.can_import_actuals(request.user):
            raise PermissionDenied("Only finance imports actuals.")
        result = actual_services.import_ledger(actor=request.user, batch_id=data["batch_id"],
                                               rows=[dict(row) for row in data["lines"]])
        return Response(result, status=201 if result["added"] else 200)


@extend_schema(tags=["finance"])
class LabourPostingView(APIView):
    """Post a month's labour cost from worked shifts as the ledger batch LABOUR-YYYY-MM. Posting an open month
    again replaces its batch; a closed month, or one whose payroll came with the ledger, is refused."""

    api_app = "finance"

    @extend_schema(request=serializers.LabourPostingSerializer, responses=serializers.LabourPostingResultSerializer)
    def post(self, request):
        serializer = serializers.LabourPostingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not access.can_import_actuals(request.user):
            raise PermissionDenied("Only finance posts labour cost.")
        result = actual_services.post_labour_cost(actor=request.user, month=serializer.validated_data["month"])
        return Response(serializers.LabourPostingResultSerializer(result).data)


@extend_schema(tags=["finance"])
class VarianceView(APIView):
    """Budget vs actual vs committed by department and account, year to date, with the flexible budget."""

    api_app = "finance"

    @extend_schema(parameters=[OpenApiParameter("fiscal_year", int), OpenApiParameter("department", int)],
                   responses={200: serializers.VarianceSerializer,
                              404: OpenApiResponse(description="No such fiscal year or department in your scope.")})
    def get(self, request):
        user = request.user
        _finance_only(user)
        years = FiscalYear.objects.order_by("-start_date")
        year_id = request.query_params.get("fiscal_year", "")
        year = years.filter(pk=int(year_id)).first() if year_id.isdigit() and len(year_id) < 12 else years.first()
        if year is None:
            raise exceptions.NotFound("No such fiscal year.")
        departments = access.finance_departments(user)
        department_id = request.query_params.get("department", "")
        if department_id:
            if not (department_id.isdigit() and len(department_id) < 12):
                raise exceptions.NotFound
            department = get_object_or_404(departments, pk=int(department_id))
            departments = departments.filter(within(department, ""))
        report = measures.variance(departments=departments, fiscal_year=year)
        return Response({"fiscal_year": year.name, "through": report.through,
                         "lines": serializers.VarianceLineSerializer(report.lines, many=True).data})
