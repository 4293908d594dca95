"""The home page: what each role needs first when they sign in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from records import access, selectors
from records.models import Department


@login_required
@require_GET
def home(request):
    user = request.user
    context = {
        "roles": access.role_names(user),
        "board_only": access.is_board_only(user),
        "show_figures": access.can_browse_people(user),
        "show_finance": access.is_finance_officer(user),
    }
    if context["show_figures"]:
        context["figures"] = selectors.records_figures(user)
    if context["show_finance"]:
        context["department_count"] = Department.objects.visible_to(user).filter(is_active=True).count()
    if not context["board_only"]:
        own = selectors.employee_detail(user).filter(user_id=user.pk).first()
        if own is not None:
            context["own"] = own
            context["own_credentials"] = sorted(
                own.credentials.all(), key=lambda c: (c.expiry_date is None, c.expiry_date, c.pk)
            )
    return render(request, "reports/home.html", context)
