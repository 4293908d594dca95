"""Finance: fiscal years, accounts, budgets, actuals, expenditures and service rates."""

from .actuals import LedgerBatch, LedgerLine, PayPolicy, ServiceUnits
from .budgets import Budget, BudgetLine, VarianceExplanation
from .expenditure import AmountRaise, Approval, Attachment, AuthorisationBand, ExpenditureLine, ExpenditureRequest
from .rates import ChargeCode, ChargeRate, RateChange, ServiceVolume
from .setup import Account, FiscalYear, Period

__all__ = [
    "Account", "AmountRaise", "Approval", "Attachment", "AuthorisationBand", "Budget", "BudgetLine", "ChargeCode",
    "ChargeRate", "ExpenditureLine", "ExpenditureRequest", "FiscalYear", "LedgerBatch", "LedgerLine", "PayPolicy",
    "Period", "RateChange", "ServiceUnits", "ServiceVolume", "VarianceExplanation",
]
