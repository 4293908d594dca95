"""Titles of the admin site; each app registers its own models in its admin.py."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

admin.site.site_header = format_lazy("{} · {}", settings.HOSPITAL_NAME, _("administration"))
admin.site.site_title = _("Hospital Ops administration")
admin.site.index_title = _("Records, roles and settings")
