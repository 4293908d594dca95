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


class KeysetPagination(pagination.BasePagination):
    """Pages of a big table that cost the same at any depth: each page starts after the last row of the
    one before (a keyset cursor on the view's `keyset` fields, which must match an index and end with
    the primary key), never by counting rows off. `count` is exact up to `count_limit` rows; beyond
    that it says `count_limit` and `count_is_exact` is false. `?page=N` still works within that many
    rows; the `next` / `previous` links carry a cursor and go on as far as the table does."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    page_query_param = "page"
    count_limit = 1_000
    invalid_cursor_message = "This cursor is not valid: follow the `next` and `previous` links as given."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self._model = queryset.model
        self.keyset = tuple(getattr(view, "keyset", ("pk",)))
        self.page_size = self._page_size(request)
        self.count, self.count_is_exact = self._capped_count(queryset)
        ordered = queryset.order_by(*self.keyset)
        cursor = request.query_params.get(self.cursor_query_param)
        self.has_before = self.has_after = False
        if cursor:
            backwards, values = self._decode(cursor)
            after = ordered.filter(_beyond(self.keyset, values, backwards=backwards))
            if backwards:
                rows = list(after.reverse()[: self.page_size + 1])
                self.has_before, self.has_after = len(rows) > self.page_size, True
                rows = rows[: self.page_size][::-1]
            else:
                rows = list(after[: self.page_size + 1])
                self.has_before, self.has_after = True, len(rows) > self.page_size
                rows = rows[: self.page_size]
        else:
            number = self._page_number(request)
            start = (number - 1) * self.page_size
            rows = list(ordered[start : start + self.page_size + 1])
            if number > 1 and not rows:
                raise exceptions.NotFound("Invalid page.")
            self.has_before, self.has_after = number > 1, len(rows) > self.page_size
            rows = rows[: self.page_size]
        self.rows = rows
        return rows

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        return Response({
            "count": self.count,
            "count_is_exact": self.count_is_exact,
            "next": self._link(self.rows[-1], backwards=False) if self.has_after and self.rows else None,
            "previous": self._link(self.rows[0], backwards=True) if self.has_before and self.rows else None,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": f"Rows, exact up to {self.count_limit}."},
                "count_is_exact": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "Where the page starts (from a `next` or `previous` link).", "schema": {"type": "string"}},
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": f"A page number, within the first {self.count_limit} rows.",
             "schema": {"type": "integer"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Rows per page (at most {self.max_page_size}).", "schema": {"type": "integer"}},
        ]

    # ---------------------------------------------------------------------------------------------

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        try:
            size = int(raw) if raw else type(self).page_size
        except (TypeError, ValueError):
            size = type(self).page_size
        return max(1, min(size, self.max_page_size))

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        if not raw.isdigit() or len(raw) > 9 or int(raw) < 1 or (int(raw) - 1) * self.page_size >= self.count_limit:
            raise exceptions.NotFound(
                f"Invalid page: page numbers reach the first {self.count_limit} rows; follow `next` beyond them."
            )
        return int(raw)

    def _capped_count(self, queryset) -> tuple[int, bool]:
        counted = queryset.order_by().values("pk")[: self.count_limit + 1].count()
        return min(counted, self.count_limit), counted <= self.count_limit

    def _values(self, row) -> list:
        if isinstance(row, dict):  # a values() row
            return [row["id" if name == "pk" else name] for name in self.keyset]
        values = []
        for name in self.keyset:
            value = row
            for part in name.split("__"):
                value = getattr(value, part)
            values.append(value)
        return values

    def _link(self, row, *, backwards: bool) -> str:
        import base64
        import json

        from rest_framework.utils.urls import remove_query_param, replace_query_param

        values = [value.isoformat() if hasattr(value, "isoformat") else value for value in self._values(row)]
        payload = json.dumps(["b" if backwards else "a", values])
        token = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def _decode(self, token: str) -> tuple[bool, list]:
        import base64
        import binascii
        import json

        from django.core.exceptions import ValidationError

        try:
            if len(token) > 400:
                raise ValueError
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            direction, values = json.loads(raw)
            if direction not in ("a", "b") or not isinstance(values, list) or len(values) != len(self.keyset):
                raise ValueError
            model = self._model
            parsed = []
            for name, value in zip(self.keyset, values, strict=True):
                field = model._meta.pk if name == "pk" else model._meta.get_field(name)
                if field.is_relation:
                    field = field.target_field
                parsed.append(field.to_python(value))
                if parsed[-1] is None:
                    raise ValueError
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, ValidationError, LookupError) as error:
            raise exceptions.NotFound(self.invalid_cursor_message) from error
        return direction == "b", parsed


def _beyond(keyset, values, *, backwards: bool):
    """Rows after (or before) `values` in the order of `keyset`: the first field bounds an index range,
    the rest break its ties."""
    from django.db.models import Q

    op = "lt" if backwards else "gt"
    tail = Q()
    for index in range(len(keyset)):
        step = Q(**{f"{keyset[index]}__{op}": values[index]})
        for before in range(index):
            step &= Q(**{keyset[before]: values[before]})
        tail |= step
    bound = Q(**{f"{keyset[0]}__{op}e": values[0]})
    return bound & tail
