"""Serializer building blocks every app's API uses."""

from django.utils.translation import gettext_lazy as _
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


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated references take whole ids only."""

    serializer_related_field = WholeIdRelatedField
