"""JSON that people and integrations send: parsed with a bound on nesting, so a body of a thousand
nested brackets is a clear "400 Bad Request" rather than a RecursionError (500), wherever it comes in
(the API's parser, a form's JSON field, a model's JSON field)."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_JSON_DEPTH = 32  # far deeper than any document this suite takes (a roster is three levels deep)
TOO_DEEP = _("The JSON is nested too deeply: at most %(depth)s levels of arrays and objects.")


class TooDeep(ValueError):
    """JSON nested beyond MAX_JSON_DEPTH (or beyond what the parser can follow at all)."""

    def __init__(self, depth: int = MAX_JSON_DEPTH):
        self.depth = depth
        super().__init__(str(TOO_DEEP % {"depth": depth}))


def too_deep(value, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays and objects in `value` nest more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list | tuple))
    return False


def check_depth(value, limit: int = MAX_JSON_DEPTH):
    """`value`, or TooDeep when it nests beyond `limit`."""
    if too_deep(value, limit):
        raise TooDeep(limit)
    return value


def loads(text, limit: int = MAX_JSON_DEPTH, **kwargs):
    """json.loads, refusing nesting beyond `limit` with TooDeep (a ValueError) instead of recursing away."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeep(limit) from None
    return check_depth(value, limit)


def load(stream, limit: int = MAX_JSON_DEPTH, **kwargs):
    try:
        value = json.load(stream, **kwargs)
    except RecursionError:
        raise TooDeep(limit) from None
    return check_depth(value, limit)


@deconstructible
class JSONDepthValidator:
    """A model validator: the stored JSON nests at most `limit` levels."""

    def __init__(self, limit: int = MAX_JSON_DEPTH):
        self.limit = limit

    def __call__(self, value):
        if too_deep(value, self.limit):
            raise ValidationError(TOO_DEEP, code="too_deep", params={"depth": self.limit})

    def __eq__(self, other):
        return isinstance(other, JSONDepthValidator) and other.limit == self.limit


class JSONFormField(forms.JSONField):
    """A form's JSON field that answers absurd nesting with a form error."""

    default_error_messages = {"too_deep": TOO_DEEP}

    def to_python(self, value):
        if isinstance(value, str) and not self.disabled:
            try:
                loads(value, cls=self.decoder)
            except TooDeep:
                raise ValidationError(
                    self.error_messages["too_deep"], code="too_deep", params={"depth": MAX_JSON_DEPTH}
                ) from None
            except json.JSONDecodeError:
                pass  # the parent class words it
        return super().to_python(value)

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class JSONField(models.JSONField):
    """A model JSON field bounded in depth, in its form field and its validation."""

    default_validators = [JSONDepthValidator()]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": JSONFormField, **kwargs})
