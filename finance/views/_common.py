"""Helpers shared by the finance pages."""

from __future__ import annotations

from django.core.paginator import Paginator

from hospital_ops.pages import require

from .. import access

PER_PAGE = 50


def require_finance_user(user) -> None:
    """Finance pages are for finance officers, managers and department heads; anyone else finds nothing."""
    require(access.uses_finance(user))


def paginate(request, queryset, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def next_url(request, fallback: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
