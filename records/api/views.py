"""People records over REST: reads through selectors, writes through services, scoped to the caller."""

from functools import partial

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from hospital_ops.api import ScopedModelViewSet
from hospital_ops.filters import IdFilter

from .. import access, selectors, services
from ..filters import CredentialFilter, DepartmentFilter, EmployeeFilter
from ..models import CredentialType, EmployeeSkill, JobTitle, Skill
from . import serializers


def catalogue_list(model):
    """Skills, job titles and credential types: hospital-wide lists, read by whoever browses people."""

    def select(user):
        if not access.can_browse_people(user):
            return model.objects.none()
        # Ordered here: a GROUP BY (the skill's holder count) drops Meta.ordering, and pages must be stable.
        entries = selectors.skill_list() if model is Skill else model.objects.all()
        if any(f.name == "required_credentials" for f in model._meta.many_to_many):
            entries = entries.prefetch_related("required_credentials")
        return entries.order_by("name", "pk")

    return select


def department_list(user):
    return selectors.department_list(user).order_by("path")  # the headcount's GROUP BY drops Meta.ordering


@extend_schema(tags=["records"])
class RecordsViewSet(ScopedModelViewSet):
    """Scoped viewset of this app (schema tag)."""


class DepartmentViewSet(RecordsViewSet):
    """Departments and their units (a unit is a department with a parent)."""

    serializer_class = serializers.DepartmentSerializer
    filterset_class = DepartmentFilter
    selector = staticmethod(department_list)
    create_service = staticmethod(services.create_department)
    update_service = staticmethod(services.update_department)
    object_name = "department"


class EmployeeViewSet(RecordsViewSet):
    """Employees, with their skills and the worst state of their credentials."""

    serializer_class = serializers.EmployeeSerializer
    filterset_class = EmployeeFilter
    selector = staticmethod(selectors.employee_list)
    create_service = staticmethod(services.create_employee)
    update_service = staticmethod(services.update_employee)
    object_name = "employee"


class SkillViewSet(RecordsViewSet):
    """The hospital-wide list of skills that shifts may require."""

    serializer_class = serializers.SkillSerializer
    selector = staticmethod(catalogue_list(Skill))
    create_service = update_service = staticmethod(partial(services.save_catalogue_entry, model=Skill))


class JobTitleViewSet(RecordsViewSet):
    """The hospital-wide list of job titles."""

    serializer_class = serializers.JobTitleSerializer
    selector = staticmethod(catalogue_list(JobTitle))
    create_service = update_service = staticmethod(partial(services.save_catalogue_entry, model=JobTitle))


class CredentialTypeViewSet(RecordsViewSet):
    """The hospital-wide list of credential types (licences, certifications)."""

    serializer_class = serializers.CredentialTypeSerializer
    selector = staticmethod(catalogue_list(CredentialType))
    create_service = update_service = staticmethod(partial(services.save_catalogue_entry, model=CredentialType))


class CredentialViewSet(RecordsViewSet):
    """Employees' licences and certifications. Changing a number or a date clears its verification."""

    serializer_class = serializers.CredentialSerializer
    filterset_class = CredentialFilter
    selector = staticmethod(selectors.credential_list)
    create_service = update_service = staticmethod(services.save_credential)
    object_name = "credential"

    @extend_schema(request=None, responses=serializers.CredentialSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Record that the caller checked the credential against its issuer."""
        credential = services.verify_credential(actor=request.user, credential=self.get_object())
        return Response(self.get_serializer(self.reload(credential)).data)


class EmployeeSkillFilter(django_filters.FilterSet):
    employee = IdFilter(field_name="employee_id")
    skill = IdFilter(field_name="skill_id")

    class Meta:
        model = EmployeeSkill
        fields = ["employee", "skill", "level"]


class EmployeeSkillViewSet(RecordsViewSet):
    """Skills held by employees: listed and added here (no service changes a held skill in place)."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.EmployeeSkillSerializer
    filterset_class = EmployeeSkillFilter
    selector = staticmethod(selectors.employee_skill_list)
    create_service = staticmethod(services.add_employee_skill)


class CatalogueProposalViewSet(RecordsViewSet):
    """Department heads propose skills, job titles and credential types; managers accept or decline."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.CatalogueProposalSerializer
    selector = staticmethod(selectors.proposal_list)
    create_service = staticmethod(services.propose_catalogue_entry)

    def _decide(self, request, accept: bool):
        decision = serializers.ProposalDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        proposal = services.decide_catalogue_proposal(
            actor=request.user, proposal=self.get_object(), accept=accept, note=decision.validated_data["note"]
        )
        return Response(self.get_serializer(self.reload(proposal)).data)

    @extend_schema(request=serializers.ProposalDecisionSerializer, responses=serializers.CatalogueProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Add the proposed entry to its catalogue (managers)."""
        return self._decide(request, accept=True)

    @extend_schema(request=serializers.ProposalDecisionSerializer, responses=serializers.CatalogueProposalSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the proposal, saying why (managers)."""
        return self._decide(request, accept=False)
