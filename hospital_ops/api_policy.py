"""API policy referenced from settings: paging, the scoped permission and the error format.

Kept apart from the viewset base because DRF resolves these settings while importing its views.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, permissions


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ScopedAccess(permissions.BasePermission):
    """Signed in, and, for API tokens, holding the scope of the view's app (read or write).

    What the caller may see is decided by the viewset's queryset (`visible_to`); what it may
    change, by the services it calls.
    """

    message = "This token has no access to this part of the API."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if token is not None and hasattr(token, "allows"):
            app = getattr(view, "api_app", None) or view.__module__.split(".")[0]
            return token.allows(app, write=request.method not in permissions.SAFE_METHODS)
        return True


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Someone else changed this first. Reload and try again."
    default_code = "conflict"


def exception_handler(exc, context):
    """Django's ValidationError and PermissionDenied from services become DRF's JSON errors; a
    ValidationError coded "conflict" (the object moved on under you) answers 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        detail = {("non_field_errors" if key == "__all__" else key): value for key, value in detail.items()}
        codes = {error.code for error in getattr(exc, "error_list", [])}
        exc = Conflict(detail) if "conflict" in codes else exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
