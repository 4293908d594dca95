"""The API's OpenAPI description (set as REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS): every operation lists
the errors it really answers, and times are described in a form strict clients validate."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"

PROBLEM = {
    "type": "object",
    "description": "What went wrong, in words a person can act on.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "Each field that was refused (or `non_field_errors`, or `detail` when the body could not be "
    "read) with its messages; a list of rows answers with the row's index.",
    "additionalProperties": {},
}

ERRORS = {
    "400": (_("The request was refused: see the messages."), "ValidationProblem", INVALID),
    "401": (_("Not signed in, or the token is unknown, expired or revoked."), "Problem", PROBLEM),
    "403": (_("Signed in, but not allowed to do this (or the token lacks the scope)."), "Problem", PROBLEM),
    "404": (_("No such object, or not one the caller may see."), "Problem", PROBLEM),
    "409": (_("The object is no longer in a state that allows this: someone changed it first."),
            "ValidationProblem", INVALID),
    "429": (_("Too many requests: try again later (see Retry-After)."), "Problem", PROBLEM),
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def error_codes(self) -> list[str]:
        """The error statuses this operation can answer."""
        codes = ["401", "403"]
        has_path_ids = "{" in self.path
        is_list = self.method == "GET" and not has_path_ids and self._is_list_view()
        if self.method in WRITES or is_list or self._get_filter_parameters():
            codes.append("400")  # a refused body, or a refused filter or page size
        if has_path_ids or is_list:
            codes.append("404")  # out of scope, or a page past the end
        if self.method in WRITES:
            codes.append("409")
        if self.view.get_throttles():
            codes.append("429")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            description, name, schema = ERRORS[code]
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)
            response = responses.setdefault(code, {"description": description})
            response.setdefault("content", {"application/json": {"schema": component.ref}})
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            # RFC 3339's "time" needs a zone offset; these are wall-clock times in the hospital's zone.
            schema = {key: value for key, value in schema.items() if key != "format"}
            schema.update(pattern=TIME_PATTERN, example="07:30")
        return schema
