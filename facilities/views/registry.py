"""Registry pages: buildings, floors and rooms (with a room's beds). Buildings and floors are the hospital's
map, kept by hospital-wide roles; heads keep the rooms of their own units. Anyone else is answered 404.

Every change goes through registry_services, so it is validated in full and keeps its history."""

from __future__ import annotations

from copy import copy

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hospital_ops.exports import stream_export
from hospital_ops.pages import form_data, form_page, label_empty_choices, require

from .. import access
from .. import registry_selectors as selectors
from .. import registry_services as services
from ..registry_filters import BuildingFilter, FloorFilter, RoomFilter
from ..registry_forms import BuildingForm, FloorForm, RoomForm

PER_PAGE = 50
FORM_TEMPLATE = "facilities/form.html"


def _filtered(request, filter_class, queryset):
    filterset = filter_class(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


def _list_page(request, template, filterset, rows, **context):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"filter": filterset, "page": page, "rows": page.object_list, **context})


# Buildings --------------------------------------------------------------------------------------------

BUILDING_COLUMNS = ["Code", "Name", "Address", "Floors", "Rooms in use", "In use"]


@login_required
@require_GET
def building_list(request):
    require(access.can_manage_buildings(request.user))
    filterset, buildings = _filtered(request, BuildingFilter, selectors.building_list(request.user))
    return _list_page(request, "facilities/registry/building_list.html", filterset, buildings)


@login_required
@require_GET
def building_export(request, fmt):
    require(access.can_manage_buildings(request.user))
    _filter, buildings = _filtered(request, BuildingFilter, selectors.building_list(request.user))
    rows = ([b.code, b.name, b.address, b.floor_count, b.room_count, "yes" if b.is_active else "no"]
            for b in buildings.iterator(chunk_size=2000))
    return stream_export("buildings", BUILDING_COLUMNS, rows, fmt, sheet=_("Buildings"))


@login_required
@require_GET
def building_detail(request, pk):
    require(access.can_manage_buildings(request.user))
    building = get_object_or_404(selectors.building_list(request.user), pk=pk)
    return render(request, "facilities/registry/building_detail.html", {
        "building": building, "floors": selectors.floor_list(request.user).filter(building=building),
        "history": selectors.history(building),
    })


def _building_form_page(request, instance=None):
    user = request.user
    require(access.can_manage_buildings(user))
    return form_page(
        request, BuildingForm(request.POST or None, instance=copy(instance) if instance else None), FORM_TEMPLATE,
        save=lambda form: services.save_building(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Building %(code)s saved.") % {"code": saved.code},
        then=lambda saved: reverse("facilities:building-detail", args=[saved.pk]),
        context={"title": _("Edit building %(code)s") % {"code": instance.code} if instance else _("New building"),
                 "cancel": reverse("facilities:building-detail", args=[instance.pk]) if instance
                 else reverse("facilities:building-list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def building_create(request):
    return _building_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def building_edit(request, pk):
    require(access.can_manage_buildings(request.user))
    return _building_form_page(request, get_object_or_404(selectors.building_list(request.user), pk=pk))


# Floors --------------------------------------------------------------------------------------------------

FLOOR_COLUMNS = ["Building", "Level", "Name", "Rooms in use"]


@login_required
@require_GET
def floor_list(request):
    require(access.can_manage_buildings(request.user))
    filterset, floors = _filtered(request, FloorFilter, selectors.floor_list(request.user))
    return _list_page(request, "facilities/registry/floor_list.html", filterset, floors)


@login_required
@require_GET
def floor_export(request, fmt):
    require(access.can_manage_buildings(request.user))
    _filter, floors = _filtered(request, FloorFilter, selectors.floor_list(request.user))
    rows = ([f.building.code, f.level, f.name, f.room_count] for f in floors.iterator(chunk_size=2000))
    return stream_export("floors", FLOOR_COLUMNS, rows, fmt, sheet=_("Floors"))


@login_required
@require_GET
def floor_detail(request, pk):
    require(access.can_manage_buildings(request.user))
    floor = get_object_or_404(selectors.floor_list(request.user), pk=pk)
    return render(request, "facilities/registry/floor_detail.html", {
        "floor": floor, "rooms": selectors.room_list(request.user).filter(floor=floor),
        "history": selectors.history(floor),
    })


def _floor_form_page(request, instance=None):
    user = request.user
    require(access.can_manage_buildings(user))
    initial = {"building": request.GET["building"]} if request.GET.get("building", "").isdigit() else None
    return form_page(
        request, FloorForm(request.POST or None, instance=copy(instance) if instance else None, initial=initial),
        FORM_TEMPLATE,
        save=lambda form: services.save_floor(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Floor %(floor)s saved.") % {"floor": saved},
        then=lambda saved: reverse("facilities:floor-detail", args=[saved.pk]),
        context={"title": _("Edit floor %(floor)s") % {"floor": instance} if instance else _("New floor"),
                 "cancel": reverse("facilities:floor-detail", args=[instance.pk]) if instance
                 else reverse("facilities:floor-list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def floor_create(request):
    return _floor_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def floor_edit(request, pk):
    require(access.can_manage_buildings(request.user))
    return _floor_form_page(request, get_object_or_404(selectors.floor_list(request.user), pk=pk))


# Rooms ---------------------------------------------------------------------------------------------------

ROOM_COLUMNS = ["Building", "Level", "Room", "Name", "Department", "Kind", "Beds in use", "In use"]


@login_required
@require_GET
def room_list(request):
    user = request.user
    require(access.can_browse_registry(user))
    filterset, rooms = _filtered(request, RoomFilter, selectors.room_list(user))
    return _list_page(request, "facilities/registry/room_list.html", filterset, rooms,
                      can_map=access.can_manage_buildings(user))


@login_required
@require_GET
def room_export(request, fmt):
    require(access.can_browse_registry(request.user))
    _filter, rooms = _filtered(request, RoomFilter, selectors.room_list(request.user))
    rows = ([r.floor.building.code, r.floor.level, r.number, r.name, r.department.code, r.get_kind_display(),
             r.bed_count, "yes" if r.is_active else "no"] for r in rooms.iterator(chunk_size=2000))
    return stream_export("rooms", ROOM_COLUMNS, rows, fmt, sheet=_("Rooms"))


@login_required
@require_GET
def room_detail(request, pk):
    user = request.user
    require(access.can_browse_registry(user))
    room = get_object_or_404(selectors.room_list(user), pk=pk)
    return render(request, "facilities/registry/room_detail.html", {
        "room": room, "beds": selectors.room_beds(room), "history": selectors.history(room),
        "can_add_bed": room.kind == room.Kind.PATIENT and access.can_manage_beds(user, room.department),
    })


def _room_form_page(request, instance=None):
    user = request.user
    departments = access.room_departments(user).filter(is_active=True)
    require(access.can_browse_registry(user))

    def save(form):
        data = form_data(form)
        return services.save_room(actor=user, instance=instance, data=data)

    return form_page(
        request,
        RoomForm(request.POST or None, instance=copy(instance) if instance else None, departments=departments),
        FORM_TEMPLATE, save=save,
        success=lambda saved: _("Room %(room)s saved.") % {"room": saved},
        then=lambda saved: reverse("facilities:room-detail", args=[saved.pk]),
        context={"title": _("Edit room %(room)s") % {"room": instance} if instance else _("New room"),
                 "cancel": reverse("facilities:room-detail", args=[instance.pk]) if instance
                 else reverse("facilities:room-list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_create(request):
    return _room_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request, pk):
    require(access.can_browse_registry(request.user))
    return _room_form_page(request, get_object_or_404(selectors.room_list(request.user), pk=pk))
