"""Open shifts and swaps: staff claim, offer and accept on My shifts; heads approve or refuse claims
and accepted swaps. Rows outside the person's unit (or the head's units) are a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hospital_ops.pages import refused, require

from .. import access, cover_selectors, cover_services
from ..cover_forms import SwapOfferForm, in_return_choices
from ..models import OpenShift, SwapRequest
from ._common import _own_employee

OPEN_SHIFTS_PER_PAGE = 20


def _today():
    return timezone.localdate()


def offer_form(employee, data=None) -> SwapOfferForm:
    return SwapOfferForm(data, shifts=cover_selectors.offerable_shifts(employee, today=_today()),
                         colleagues=cover_selectors.colleagues(employee),
                         returns=lambda colleague: cover_selectors.return_shifts(employee, colleague, today=_today()))


def my_cover_context(employee, page=None) -> dict:
    """The open-shift and swap sections of My shifts; open shifts a page at a time."""
    choices = cover_selectors.cover_choices(employee, today=_today())
    open_page = Paginator(choices.open_shifts, OPEN_SHIFTS_PER_PAGE).get_page(page)
    return {
        "open_shifts": open_page.object_list,
        "open_page": open_page,
        "my_claims": choices.claims,
        "swaps": cover_selectors.swaps_of(employee),
        "offer_form": SwapOfferForm(shifts=choices.offerable, colleagues=cover_selectors.colleagues(employee)),
    }


def _done(request, call, message):
    try:
        call()
    except (PermissionDenied, ValidationError) as error:
        refused(request, error)
    else:
        messages.success(request, message)


@login_required
@require_POST
def open_shift_claim(request, pk):
    employee = _own_employee(request.user)
    shift = get_object_or_404(OpenShift, pk=pk, schedule__department_id=employee.department_id)
    _done(request, lambda: cover_services.claim_open_shift(actor=request.user, open_shift=shift, employee=employee),
          _("Claimed; the head of the unit decides."))
    return redirect("staffing:my-shifts")


@login_required
@require_GET
def swap_returns(request):
    """The "In return for" options for the colleague picked on My shifts: their shifts the person may take
    in return. No colleague picked: a plain offer only. Anyone but an active colleague of the unit: 404."""
    employee = _own_employee(request.user)
    picked = request.GET.get("offered_to", "")
    returns = []
    if picked:
        require(picked.isdigit())
        colleague = get_object_or_404(cover_selectors.colleagues(employee), pk=int(picked))
        returns = cover_selectors.return_shifts(employee, colleague, today=_today())
    return render(request, "staffing/_swap_returns.html", {"choices": in_return_choices(returns)})


@login_required
@require_POST
def swap_offer(request):
    employee = _own_employee(request.user)
    form = offer_form(employee, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("staffing:my-shifts")
    data = form.cleaned_data
    _done(request, lambda: cover_services.offer_swap(actor=request.user, assignment=data["assignment"],
                                                     to=data["offered_to"], in_return=data["in_return"],
                                                     note=data["note"]),
          _("Shift offered in return for a colleague's.") if data["in_return"] else _("Shift offered."))
    return redirect("staffing:my-shifts")


@login_required
@require_POST
def swap_accept(request, pk):
    employee = _own_employee(request.user)
    swap = get_object_or_404(cover_selectors.swaps_open_to(employee), pk=pk)
    _done(request, lambda: cover_services.accept_swap(actor=request.user, swap=swap, employee=employee),
          _("Accepted; the head of the unit decides."))
    return redirect("staffing:my-shifts")


@login_required
@require_GET
def cover_decisions(request):
    require(access.decides_cover(request.user))
    claims, swaps = cover_selectors.awaiting_head(request.user)
    return render(request, "staffing/cover_decisions.html", {"claims": claims, "swaps": swaps})


@login_required
@require_POST
def cover_decide(request, kind, pk, decision):
    require(decision in ("approve", "refuse") and kind in ("claims", "swaps"))
    claims, swaps = cover_selectors.awaiting_head(request.user)
    approve = decision == "approve"
    if kind == "claims":
        item = get_object_or_404(OpenShift.objects.filter(pk__in=claims.values("pk")), pk=pk)
        _done(request, lambda: cover_services.decide_open_shift(actor=request.user, open_shift=item, approve=approve),
              _("Claim approved; the shift is on the roster.") if approve else _("Claim refused; the shift is open."))
    else:
        item = get_object_or_404(SwapRequest.objects.filter(pk__in=swaps.values("pk")), pk=pk)
        _done(request, lambda: cover_services.decide_swap(actor=request.user, swap=item, approve=approve),
              _("Swap approved; both rosters changed.") if approve else _("Swap refused."))
    return redirect("staffing:cover-decisions")
