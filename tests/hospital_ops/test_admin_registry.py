"""The admin lists every model of the suite, and shows history for each model that keeps it."""

import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

APPS = ("records", "facilities", "staffing", "finance", "reports")


def suite_models():
    for model in apps.get_models():
        if model._meta.app_label in APPS and not model.__name__.startswith("Historical"):
            yield model


@pytest.mark.parametrize("model", list(suite_models()), ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin(model):
    assert model in admin.site._registry


@pytest.mark.parametrize(
    "model", [m for m in suite_models() if hasattr(m, "history")], ids=lambda m: m.__name__
)
def test_every_model_with_history_shows_it(model):
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)
