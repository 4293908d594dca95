from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from . import views


class FinanceApiRoot(APIRootView):
    """The finance API: fiscal years and periods, accounts, budgets, expenditure requests, the chargemaster,
    ledger imports and variance."""

    api_app = "finance"  # a token's "finance" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = FinanceApiRoot
router.register("fiscal-years", views.FiscalYearViewSet, basename="fiscal-year")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("expenditures", views.ExpenditureViewSet, basename="expenditure")
router.register("budgets", views.BudgetViewSet, basename="budget")
router.register("charge-codes", views.ChargeCodeViewSet, basename="charge-code")
router.register("rate-changes", views.RateChangeViewSet, basename="rate-change")

app_name = "finance-api"
urlpatterns = [
    path("ledger-import/", views.LedgerImportView.as_view(), name="ledger-import"),
    path("labour-postings/", views.LabourPostingView.as_view(), name="labour-posting"),
    path("variance/", views.VarianceView.as_view(), name="variance"),
    *router.urls,
]
