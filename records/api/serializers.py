"""Shapes of people records in the API. They check types and references only; rules live in services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hospital_ops.serializers import ModelSerializer, UserNameField, VisiblePrimaryKeyField

from .. import access
from ..models import CatalogueProposal, Credential, CredentialType, Department, Employee, EmployeeSkill, JobTitle, Skill


@extend_schema_field(
    {"type": "string", "enum": Credential.State.values}, component_name="CredentialState"
)
class CredentialStateField(serializers.ChoiceField):
    """A credential's state (or an employee's worst one), read only; one named choice set in the schema."""

    def __init__(self, **kwargs):
        super().__init__(choices=Credential.State.choices, read_only=True, **kwargs)


class DepartmentSerializer(serializers.ModelSerializer):
    parent = VisiblePrimaryKeyField(model=Department, required=False, allow_null=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    head = VisiblePrimaryKeyField(model=Employee, required=False, allow_null=True)
    head_name = serializers.CharField(source="head.full_name", read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)
    headcount = serializers.IntegerField(read_only=True, help_text=_("Employees not terminated."))

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "parent_code",
            "path",
            "depth",
            "cost_centre",
            "head",
            "head_name",
            "is_active",
            "headcount",
        ]
        read_only_fields = ["path"]


class EmployeeSkillBriefSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="skill.code", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = EmployeeSkill
        fields = ["skill", "code", "name", "level"]
        read_only_fields = fields


class EmployeeSerializer(ModelSerializer):
    department = VisiblePrimaryKeyField(model=Department)
    department_code = serializers.CharField(source="department.code", read_only=True)
    job_title_name = serializers.CharField(source="job_title.name", read_only=True)
    full_name = serializers.CharField(read_only=True)
    credential_state = CredentialStateField(help_text=_("The worst state among the employee's credentials."))
    skills = EmployeeSkillBriefSerializer(source="employee_skills", many=True, read_only=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "department",
            "department_code",
            "job_title",
            "job_title_name",
            "employment_type",
            "fte",
            "hourly_rate",
            "hire_date",
            "termination_date",
            "status",
            "credential_state",
            "skills",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not access.can_see_pay(request.user, instance):
            data.pop("hourly_rate", None)  # pay is for those who run the department, and the person
        return data


class SkillSerializer(serializers.ModelSerializer):
    holder_count = serializers.IntegerField(read_only=True, help_text=_("Employees holding the skill."))

    class Meta:
        model = Skill
        fields = ["id", "code", "name", "description", "required_credentials", "holder_count"]


class JobTitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobTitle
        fields = ["id", "code", "name", "is_clinical", "required_credentials"]


class CredentialTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CredentialType
        fields = ["id", "code", "name", "is_licence"]


class CredentialSerializer(ModelSerializer):
    employee = VisiblePrimaryKeyField(model=Employee)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    credential_type_name = serializers.CharField(source="credential_type.name", read_only=True)
    state = CredentialStateField()

    class Meta:
        model = Credential
        fields = [
            "id",
            "employee",
            "employee_name",
            "credential_type",
            "credential_type_name",
            "number",
            "issuer",
            "issued_on",
            "expiry_date",
            "state",
            "verified_by",
            "verified_at",
        ]
        read_only_fields = ["verified_by", "verified_at"]
        validators = []  # the model's own constraint answers duplicates, with its message

    def validate_employee(self, employee):
        if self.instance is not None and employee.pk != self.instance.employee_id:
            raise serializers.ValidationError(_("A credential stays with its employee; add a new one instead."))
        return employee


class EmployeeSkillSerializer(ModelSerializer):
    employee = VisiblePrimaryKeyField(model=Employee)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    skill_code = serializers.CharField(source="skill.code", read_only=True)
    skill_name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = EmployeeSkill
        fields = ["id", "employee", "employee_name", "skill", "skill_code", "skill_name", "level", "acquired_on"]
        validators = []  # the model's own constraint answers duplicates, with its message


class CatalogueProposalSerializer(ModelSerializer):
    proposed_by = UserNameField()
    decided_by = UserNameField()

    class Meta:
        model = CatalogueProposal
        fields = [
            "id", "catalogue", "code", "name", "description", "reason", "status",
            "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
        ]
        read_only_fields = ["status", "proposed_at", "decided_at", "decision_note"]


class ProposalDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
