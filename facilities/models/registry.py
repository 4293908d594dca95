"""Buildings, floors and rooms: where things are. Beds, equipment and inspections point here."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from records.models import Department, code_validator


class BuildingQuerySet(ScopedQuerySet):
    """Buildings and floors are the hospital's map: every signed-in user may read them."""

    scope = Scope(hospital_wide=True)


class Building(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = BuildingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.name}"


class FloorQuerySet(ScopedQuerySet):
    scope = Scope(hospital_wide=True)


class Floor(models.Model):
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="floors")
    level = models.SmallIntegerField(
        _("level"), validators=[MinValueValidator(-10), MaxValueValidator(200)],
        help_text=_("0 is the ground floor; basements are negative."),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)

    objects = FloorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["building__code", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "level"], name="floor_unique_level",
                violation_error_message=_("This building already has a floor at this level."),
            ),
        ]

    def __str__(self):
        return f"{self.building.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name or (_("Ground floor") if self.level == 0 else _("Level %(level)s") % {"level": self.level})


class RoomQuerySet(ScopedQuerySet):
    """A room is seen by whoever sees the department it belongs to."""

    scope = Scope(departments=("department",))


class Room(models.Model):
    class Kind(models.TextChoices):
        PATIENT = "patient", _("Patient room")
        THEATRE = "theatre", _("Operating theatre")
        PROCEDURE = "procedure", _("Procedure room")
        IMAGING = "imaging", _("Imaging room")
        CLINIC = "clinic", _("Clinic or consulting room")
        LABORATORY = "laboratory", _("Laboratory")
        UTILITY = "utility", _("Utility or store room")
        OFFICE = "office", _("Office")
        PLANT = "plant", _("Plant room")
        PUBLIC = "public", _("Public area")
        OTHER = "other", _("Other")

    floor = models.ForeignKey(Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(_("number"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="rooms",
        help_text=_("The department or nursing unit that uses the room."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PATIENT)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = RoomQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["floor__building__code", "floor__level", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["floor", "number"], name="room_unique_number",
                violation_error_message=_("This floor already has a room with this number."),
            ),
        ]
        indexes = [models.Index(fields=["department", "number"], name="room_department_idx")]

    def __str__(self):
        return f"{self.floor.building.code}-{self.number}" + (f" · {self.name}" if self.name else "")

    def get_absolute_url(self):
        return reverse("records:department-detail", args=[self.department_id])

    @property
    def building(self) -> Building:
        return self.floor.building
