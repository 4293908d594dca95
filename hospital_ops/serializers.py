"""Serializer building blocks every app's API uses: whole-number references, scoped references, named
choice sets, user names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .filters import LARGEST_ID


class WholeIdRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that takes only a whole number (1, 1.0 or "1"): 1.5, "1.5" or true are refused,
    never truncated to another row; an id no database could hold is simply not found."""

    default_error_messages = {"not_whole": _("Give the id as a whole number, not {data!r}.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("not_whole", data=data)
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        elif isinstance(data, str) and data.strip().isascii() and data.strip().isdigit():
            data = int(data.strip())
        if not isinstance(data, int):
            self.fail("not_whole", data=data)
        if not 0 < data <= LARGEST_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class VisiblePrimaryKeyField(WholeIdRelatedField):
    """A reference accepting only rows the caller can see: `selector(user)` when given, else the model's
    `visible_to(user)`. Any other id is "not found", exactly like an id that does not exist, so the answer
    leaks nothing."""

    def __init__(self, **kwargs):
        self.selector = kwargs.pop("selector", None)
        kwargs.setdefault("queryset", kwargs.pop("model")._default_manager.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return super().get_queryset().none()
        if self.selector is not None:
            return self.selector(user)
        return super().get_queryset().visible_to(user)


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated references take whole ids only."""

    serializer_related_field = WholeIdRelatedField


def choice_field(choices_class, component_name: str, **kwargs):
    """A choice field whose choices appear once in the schema, under `component_name`."""

    @extend_schema_field({"type": "string", "enum": choices_class.values}, component_name=component_name)
    class NamedChoiceField(serializers.ChoiceField):
        pass

    return NamedChoiceField(choices=choices_class.choices, **kwargs)


class UserNameField(serializers.CharField):
    """A user's full name (or username), read only."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, user):
        return user.get_full_name() or user.username
