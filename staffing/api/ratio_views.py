"""Census-driven staffing in the API: a unit's ratios and HPPD targets (heads of the unit and operations
managers write; others who see the unit read), and nursing hours per patient day by unit and month."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response

from .. import access, ratio_services, selectors
from ..filters import HppdTargetFilter, RatioFilter
from ..hppd import hppd_rows
from ..models import HppdTarget
from . import ratio_serializers as s
from .views import StaffingViewSet


class RatioViewSet(StaffingViewSet):
    """Staffing ratios: one person per so many patients of the census, or hours per patient day, per shift
    and skill, from a date. While in force a ratio replaces the weekday pattern for its shift."""

    serializer_class = s.RatioSerializer
    filterset_class = RatioFilter
    selector = staticmethod(selectors.ratio_list)
    create_service = update_service = staticmethod(ratio_services.save_ratio)


class HppdTargetViewSet(StaffingViewSet):
    """A unit's target nursing hours per patient day, from a date until its next target."""

    serializer_class = s.HppdTargetSerializer
    filterset_class = HppdTargetFilter
    selector = staticmethod(selectors.hppd_target_list)
    create_service = update_service = staticmethod(ratio_services.save_hppd_target)


@extend_schema(tags=["staffing"], parameters=[s.HppdQuerySerializer], responses=s.HppdRowSerializer(many=True))
class HppdView(generics.GenericAPIView):
    """Nursing hours per patient day, actual and target, per unit and month, for the units the caller runs
    (heads and operations managers)."""

    queryset = HppdTarget.objects.none()
    serializer_class = s.HppdRowSerializer
    pagination_class = None

    def get(self, request):
        if not access.can_see_hppd(request.user):
            raise exceptions.NotFound
        query = s.HppdQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        rows = hppd_rows(request.user, unit=query.validated_data.get("department"),
                         start=query.validated_data["start"], end=query.validated_data["end"])
        return Response(self.get_serializer(rows, many=True).data)
