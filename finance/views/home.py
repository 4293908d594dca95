"""The finance front page: what waits for the user, and the way to every finance page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access, selectors
from ..models import Budget, ExpenditureRequest
from ..services.expenditure import bands
from ._common import require_finance_user


@login_required
@require_GET
def home(request):
    user = request.user
    require_finance_user(user)
    chain = bands()
    waiting = [
        item for item in selectors.expenditure_detail(user).filter(status=ExpenditureRequest.Status.REQUESTED)
        .order_by("raised_at")[:50]
        if access.can_approve_expenditure(user, item, chain)
        and access.authority_level(user, item.department, chain) > max((a.level for a in item.approvals.all()),
                                                                       default=0)
    ]
    budgets = selectors.budget_list(user).filter(status=Budget.Status.SUBMITTED)[:20] \
        if access.is_finance_officer(user) else []
    return render(request, "finance/home.html", {"waiting": waiting, "budgets": budgets,
                                                 "currency": settings.FINANCE_CURRENCY})
