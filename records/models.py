"""Organisation and people: departments, memberships (roles), employees, skills, credentials."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from hospital_ops.json_input import JSONField
from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import record_date

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9\-_.]*$", _("Use capital letters, digits, dots, dashes or underscores.")
)


def path_ids(path: str | None) -> list[int]:
    """The department ids of a materialised path such as "/1/5/12/", top first."""
    return [int(pk) for pk in (path or "").strip("/").split("/") if pk]


# Credential state: the one definition ------------------------------------------------------------
# A credential is EXPIRED once its expiry date has passed (it is good through that day), EXPIRING when
# it runs out within N days (the CREDENTIAL_EXPIRING_DAYS setting, or what a report asks for), and
# UNVERIFIED until someone has checked it (which may hold with either of the others); VALID when none
# applies. The state shown is the first that applies, in that order. The Q builders below serve
# querysets and aggregates, `Credential.states_on` / `state_on` single rows: they say the same.


def expiring_within_days() -> int:
    """How many days ahead a credential counts as expiring (CREDENTIAL_EXPIRING_DAYS, 30 by default)."""
    return int(getattr(settings, "CREDENTIAL_EXPIRING_DAYS", 30))


def credential_expired(as_of: date) -> Q:
    return Q(expiry_date__lt=as_of)


def credential_current(as_of: date) -> Q:
    """Not expired on `as_of` (never-expiring credentials included)."""
    return Q(expiry_date__isnull=True) | Q(expiry_date__gte=as_of)


def credential_expiring(as_of: date, within: int | None = None, *, beyond: int = 0) -> Q:
    """Current on `as_of` and expiring within `within` days (the setting by default); with `beyond`,
    only those expiring after that many days (a report's 31–60 day band)."""
    within = expiring_within_days() if within is None else within
    start = Q(expiry_date__gt=as_of + timedelta(beyond)) if beyond else Q(expiry_date__gte=as_of)
    return start & Q(expiry_date__lte=as_of + timedelta(within))


def credential_unverified(as_of: date) -> Q:
    """Not verified by the end of `as_of`."""
    return Q(verified_at__isnull=True) | Q(verified_at__date__gt=as_of)


def credential_compliant(as_of: date) -> Q:
    """Verified and not expired on `as_of`: what compliance counts."""
    return Q(verified_at__date__lte=as_of) & credential_current(as_of)


def credential_in_force(issued_on: date, expiry_date: date | None, day: date) -> bool:
    """Whether a credential lets its holder work on `day`: issued by then and not yet expired."""
    return issued_on <= day and (expiry_date is None or expiry_date >= day)


def _expiring_label() -> str:
    return gettext("Expiring within %(days)d days") % {"days": expiring_within_days()}


class CatalogueQuerySet(ScopedQuerySet):
    """Hospital-wide lists (skills, job titles, credential types): every signed-in user reads them."""

    scope = Scope(hospital_wide=True)


class PersonalQuerySet(ScopedQuerySet):
    """Rows about one person: seen by them and by whoever sees their department."""

    scope = Scope(departments=("employee__department",), owner="employee__user")


class DepartmentQuerySet(ScopedQuerySet):
    """Departments: those the user's roles cover; every one for managers and finance (cost centres)."""

    scope = Scope(departments=("",), finance=True)


class Department(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical department")
        UNIT = "unit", _("Nursing unit")
        DIAGNOSTIC = "diagnostic", _("Diagnostic service")
        SUPPORT = "support", _("Support service")
        ADMINISTRATIVE = "administrative", _("Administration")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLINICAL)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    cost_centre = models.CharField(
        _("cost-centre code"), max_length=20, unique=True, validators=[code_validator]
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="department_not_its_own_parent",
                violation_error_message=_("A department cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs):
        creating = self.pk is None
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if new_path != self.path:
            old_path, self.path = self.path, new_path
            Department.objects.filter(pk=self.pk).update(path=new_path)
            if not creating and old_path:
                for child in Department.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path):]
                    Department.objects.filter(pk=child.pk).update(path=child.path)

    def get_absolute_url(self):
        return reverse("records:department-detail", args=[self.pk])

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "~"):
            raise ValidationError({"parent": _("A department cannot sit under itself or one of its units.")})

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def lineage_ids(self) -> list[int]:
        """This department and every department above it, top first."""
        return path_ids(self.path)


class Membership(models.Model):
    """A user's role in a department: this is what scopes department heads and schedulers."""

    class Role(models.TextChoices):
        HEAD = "head", _("Department head")
        SCHEDULER = "scheduler", _("Scheduler")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"],
                name="membership_unique",
                violation_error_message=_("This user already has this role in this department."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.department.code}"


class JobTitle(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_clinical = models.BooleanField(_("clinical"), default=True)
    required_credentials = models.ManyToManyField(
        "CredentialType",
        verbose_name=_("required credentials"),
        blank=True,
        related_name="required_by_jobs",
        help_text=_("Every holder of this job needs these, in force on each day they work (a registered "
                    "nurse needs a registered nurse licence)."),
    )

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["required_credentials"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProposalQuerySet(ScopedQuerySet):
    """Catalogue proposals: managers see them all, a head the ones they made."""

    scope = Scope(owner="proposed_by")


class EmployeeQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), owner="user")

    def with_credential_state(self, today: date | None = None, within: int | None = None):
        """Flags for each state: does the employee hold at least one credential in it?"""
        today = today or timezone.localdate()
        credentials = Credential.objects.filter(employee=OuterRef("pk"))
        return self.annotate(
            has_expired_credential=Exists(credentials.filter(credential_expired(today))),
            has_expiring_credential=Exists(credentials.filter(credential_expiring(today, within))),
            has_unverified_credential=Exists(credentials.filter(credential_unverified(today))),
        )

    def with_credential_in_state(self, state: str, today: date | None = None, within: int | None = None):
        """Employees holding a credential in `state`; for "valid", those whose every credential is valid."""
        flagged = self.with_credential_state(today, within)
        flags = {
            Credential.State.EXPIRED: "has_expired_credential",
            Credential.State.EXPIRING: "has_expiring_credential",
            Credential.State.UNVERIFIED: "has_unverified_credential",
        }
        if state in flags:
            return flagged.filter(**{flags[state]: True})
        if state == Credential.State.VALID:
            return flagged.filter(**dict.fromkeys(flags.values(), False))
        return self


class Employee(models.Model):
    class EmploymentType(models.TextChoices):
        FULL_TIME = "FT", _("Full time")
        PART_TIME = "PT", _("Part time")
        PRN = "PRN", _("As needed (PRN)")
        AGENCY = "AGENCY", _("Agency")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_LEAVE = "leave", _("On leave")
        TERMINATED = "terminated", _("Terminated")

    employee_number = models.CharField(
        _("employee number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9\-]{3,20}$", _("Use 3–20 capital letters, digits or dashes."))],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()\-]{6,30}$", _("Enter a phone number of digits, spaces and dashes."))],
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="employees"
    )
    job_title = models.ForeignKey(
        JobTitle, verbose_name=_("job title"), on_delete=models.PROTECT, related_name="employees"
    )
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Full-time equivalent, from 0.00 to 1.00."),
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    hire_date = models.DateField(_("hire date"), validators=[record_date])
    termination_date = models.DateField(_("termination date"), null=True, blank=True, validators=[record_date])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)

    objects = EmployeeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "employee_number"]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=1),
                name="employee_fte_between_0_and_1",
                violation_error_message=_("FTE must be between 0.00 and 1.00."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0),
                name="employee_hourly_rate_not_negative",
                violation_error_message=_("The hourly rate cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(termination_date__isnull=True) | Q(termination_date__gte=models.F("hire_date")),
                name="employee_terminated_after_hire",
                violation_error_message=_("The termination date cannot be before the hire date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | Q(termination_date__isnull=False),
                name="employee_terminated_has_date",
                violation_error_message=_("A terminated employee needs a termination date."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.employee_number})"

    def get_absolute_url(self):
        return reverse("records:employee-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def credential_state(self) -> str:
        """Worst credential state; needs `with_credential_state()` on the queryset."""
        if getattr(self, "has_expired_credential", False):
            return Credential.State.EXPIRED
        if getattr(self, "has_expiring_credential", False):
            return Credential.State.EXPIRING
        if getattr(self, "has_unverified_credential", False):
            return Credential.State.UNVERIFIED
        return Credential.State.VALID


class Skill(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_credentials = models.ManyToManyField(
        "CredentialType",
        verbose_name=_("required credentials"),
        blank=True,
        related_name="required_by_skills",
        help_text=_("A shift that needs this skill also needs these credentials, in force that day."),
    )

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["required_credentials"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class EmployeeSkill(models.Model):
    class Level(models.IntegerChoices):
        TRAINEE = 1, _("Trainee")
        COMPETENT = 2, _("Competent")
        EXPERT = 3, _("Expert")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="employee_skills")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.COMPETENT)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True, validators=[record_date])

    objects = PersonalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "skill"],
                name="employee_skill_unique",
                violation_error_message=_("This employee already has this skill."),
            )
        ]

    def __str__(self):
        return f"{self.employee.full_name}: {self.skill} ({self.get_level_display()})"


class CredentialType(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_licence = models.BooleanField(_("licence"), default=False, help_text=_("A licence to practise."))

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CatalogueProposal(models.Model):
    """A department head's proposal of a new skill, job title or credential type: the catalogues are
    hospital-wide, so a manager accepts it (and the entry is created) or declines it with a reason."""

    class Catalogue(models.TextChoices):
        SKILL = "skill", _("Skill")
        JOB_TITLE = "job_title", _("Job title")
        CREDENTIAL_TYPE = "credential_type", _("Credential type")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    catalogue = models.CharField(_("catalogue"), max_length=20, choices=Catalogue.choices)
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    reason = models.TextField(_("why it is needed"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="catalogue_proposal_decision_recorded",
                violation_error_message=_("A decided proposal records who decided it and when."),
            ),
        ]

    def __str__(self):
        return f"{self.get_catalogue_display()} {self.code} · {self.name}"


class Credential(models.Model):
    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRING = "expiring", lazy(_expiring_label, str)()
        EXPIRED = "expired", _("Expired")
        UNVERIFIED = "unverified", _("Unverified")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="credentials")
    credential_type = models.ForeignKey(
        CredentialType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="credentials"
    )
    number = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=120)
    issued_on = models.DateField(_("issued on"), validators=[record_date])
    expiry_date = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave empty if it never expires."),
        validators=[record_date],
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = PersonalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["expiry_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gt=models.F("issued_on")),
                name="credential_expires_after_issue",
                violation_error_message=_("The expiry date must be after the issue date."),
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False),
                name="credential_verified_by_someone",
                violation_error_message=_("A verified credential records who verified it."),
            ),
            models.UniqueConstraint(
                fields=["credential_type", "issuer", "number"],
                name="credential_number_unique",
                violation_error_message=_("A credential with this type, issuer and number is already on file."),
            ),
        ]

    def __str__(self):
        return f"{self.credential_type} {self.number}"

    def states_on(self, day: date, within: int | None = None) -> set[str]:
        """Every state that applies on `day` (an unverified credential may be expiring too); the
        queryset filters above select the same credentials."""
        within = expiring_within_days() if within is None else within
        states = set()
        if self.expiry_date and self.expiry_date < day:
            states.add(self.State.EXPIRED)
        elif self.expiry_date and self.expiry_date <= day + timedelta(within):
            states.add(self.State.EXPIRING)
        if self.verified_at is None or timezone.localdate(self.verified_at) > day:
            states.add(self.State.UNVERIFIED)
        return states or {self.State.VALID}

    def state_on(self, day: date, within: int | None = None) -> str:
        """The state that shows: the first of expired, expiring, unverified, valid that applies."""
        states = self.states_on(day, within)
        precedence = (self.State.EXPIRED, self.State.EXPIRING, self.State.UNVERIFIED, self.State.VALID)
        return next(state for state in precedence if state in states)

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())


class ApiToken(models.Model):
    """A credential for an integration. It acts as `user` (whose roles scope the data) and
    only within its scopes: {"records": "read" | "write", ...}. The key is stored hashed."""

    class Access(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    APPS = ("records", "facilities", "staffing", "finance", "reports")

    name = models.CharField(_("name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The token sees and changes only what this user may."),
    )
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = JSONField(_("scopes"), default=dict, help_text=_('For example {"records": "read"}.'))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        if not isinstance(self.scopes, dict):
            raise ValidationError({"scopes": _("Scopes must be an object of app name to access.")})
        for app, level in self.scopes.items():
            if app not in self.APPS:
                raise ValidationError({"scopes": _("Unknown app “%(app)s”.") % {"app": app}})
            if level not in self.Access.values:
                raise ValidationError({"scopes": _("Access for “%(app)s” must be read or write.") % {"app": app}})

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def generate_key(self) -> str:
        """Set a fresh key and return it: the only time it is ever visible."""
        self.prefix = secrets.token_hex(4)
        key = f"{self.prefix}.{secrets.token_urlsafe(32)}"
        self.key_hash = self.hash_key(key)
        return key

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, app: str, write: bool) -> bool:
        level = self.scopes.get(app)
        return level == self.Access.WRITE or (level == self.Access.READ and not write)



# Accounts and groups keep history too (who granted whom which role, and when); never the password.
if not hasattr(User, "history"):
    register(User, app="records", excluded_fields=["password", "last_login"], table_name="records_historicaluser")
if not hasattr(Group, "history"):
    register(Group, app="records", table_name="records_historicalgroup")
