"""Form building blocks every app's pages use: Bootstrap styling, service errors on the form, date and
time inputs the browser understands."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and `is-invalid` on the fields that failed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def add_service_error(self, error: ValidationError):
        """Show a service's ValidationError next to the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields else None
                if name != NON_FIELD_ERRORS and target is None:
                    errors = [ValidationError(f"{name}: {message}") for e in errors for message in e.messages]
                self.add_error(target, errors)
        else:
            self.add_error(None, error)

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
