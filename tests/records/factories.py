import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from records import access
from records.models import (
    ApiToken,
    Credential,
    CredentialType,
    Department,
    Employee,
    EmployeeSkill,
    JobTitle,
    Membership,
    Skill,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")
    cost_centre = factory.Sequence(lambda n: f"CC{n:04d}")
    kind = Department.Kind.CLINICAL


class JobTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobTitle
        django_get_or_create = ("code",)

    code = "RN"
    name = "Registered Nurse"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = factory.Sequence(lambda n: f"Morgan{n}")
    department = factory.SubFactory(DepartmentFactory)
    job_title = factory.SubFactory(JobTitleFactory)
    hourly_rate = Decimal("42.50")
    hire_date = dt.date(2020, 1, 6)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    code = factory.Sequence(lambda n: f"SK{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")


class EmployeeSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployeeSkill

    employee = factory.SubFactory(EmployeeFactory)
    skill = factory.SubFactory(SkillFactory)


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType
        django_get_or_create = ("code",)

    code = "RN-LIC"
    name = "RN licence"
    is_licence = True


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    employee = factory.SubFactory(EmployeeFactory)
    credential_type = factory.SubFactory(CredentialTypeFactory)
    number = factory.Sequence(lambda n: f"LIC-{n:06d}")
    issuer = "State Board of Nursing"
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    expiry_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


def make_user(*, groups=(), head_of=(), scheduler_of=(), employee=None, **kwargs):
    """A user with hospital groups, department roles and optionally a linked employee record."""
    user = UserFactory(**kwargs)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for department in head_of:
        Membership.objects.create(user=user, department=department, role=access.HEAD)
    for department in scheduler_of:
        Membership.objects.create(user=user, department=department, role=access.SCHEDULER)
    if employee is not None:
        employee.user = user
        employee.save()
    return user


def make_token(*, user, scopes):
    token = ApiToken(name="Integration", user=user, scopes=scopes)
    key = token.generate_key()
    token.save()
    return token, key
