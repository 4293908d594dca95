"""Demo data for people records: the organisation chart, catalogues, staff and the demo logins.

`manage.py seed_demo` runs the STEPS of every app in dependency order (records first), passing each
step the same DemoContext, so later apps find the departments, employees and users built here in
`ctx.data` and add their own. Everything is drawn from `ctx.rng`, so a seed gives the same hospital.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from . import access
from .models import (
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

DEMO_PASSWORD = "hospital-demo-2026"
EMAIL_DOMAIN = "riverside-general.example.org"
BATCH_SIZE = 1000
CHANGE_REASON = "demo data"

# Employees per scale; departments come from the `small` flag of each row in DEPARTMENTS.
EMPLOYEES = {"small": 150, "large": 3000}


@dataclass
class DemoContext:
    """What one seeding run shares between steps."""

    scale: str
    rng: random.Random
    today: date
    history: bool = True
    log: Callable[[str], None] = print
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def large(self) -> bool:
        return self.scale == "large"

    def bulk_create(self, model: type[models.Model], objs: list, *, history: bool | None = None) -> list:
        """Insert in batches; with history unless the run (or the caller) turned it off."""
        if not objs:
            return []
        if self.history if history is None else history:
            return bulk_create_with_history(
                objs, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
            )
        return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

    def moment(self, day: date, *, not_after: datetime | None = None) -> datetime:
        """An office-hours time on `day` in the hospital's zone, never later than `not_after`."""
        value = timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 16), self.rng.randint(0, 59))))
        return min(value, not_after) if not_after else value


# --- catalogues --------------------------------------------------------------------------------

SKILLS = [
    ("ACLS", "Advanced cardiac life support", "Leads resuscitation of adults in cardiac arrest."),
    ("PALS", "Paediatric advanced life support", "Resuscitation of infants and children."),
    ("NRP", "Neonatal resuscitation", "Resuscitation of newborns at delivery."),
    ("CHEMO", "Chemotherapy administration", "Prepares and gives cytotoxic drugs safely."),
    ("TELE", "Telemetry monitoring", "Reads and escalates cardiac rhythm strips."),
    ("VENT", "Ventilator management", "Cares for patients on mechanical ventilation."),
    ("TRIAGE", "Emergency triage", "Assigns acuity on arrival (ESI)."),
    ("IV", "IV cannulation", "Inserts and maintains peripheral IV lines."),
    ("PHLEB", "Phlebotomy", "Draws venous blood samples."),
    ("WOUND", "Wound care", "Assesses and dresses complex wounds."),
    ("DIAL", "Dialysis", "Runs haemodialysis and CRRT."),
    ("SCRUB", "Theatre scrub", "Scrub practitioner in the operating theatre."),
    ("ANAES", "Anaesthetic assistance", "Assists the anaesthetist at induction and recovery."),
    ("MIDW", "Midwifery", "Cares for women in labour and after birth."),
    ("MH", "Mental health de-escalation", "Calms and safely manages agitated patients."),
    ("CT", "CT scanning", "Operates the CT scanner and contrast injector."),
    ("MRI", "MRI scanning", "Operates the MRI scanner; MR safety screening."),
    ("XMATCH", "Blood cross-matching", "Cross-matches and issues blood products."),
    ("MICRO", "Microbiology culture", "Sets up and reads cultures and sensitivities."),
    ("SEPSIS", "Sepsis screening", "Screens and starts the sepsis bundle."),
    ("INTERP", "Spanish interpreting", "Interprets for Spanish-speaking patients."),
    ("MHAND", "Patient moving and handling", "Moves patients safely with hoists and slides."),
]

# code, name, is licence, issuers, validity in years (None: never expires)
CREDENTIAL_TYPES = [
    ("RN-LIC", "Registered nurse licence", True, ["Illinois Board of Nursing", "Wisconsin Board of Nursing"], 2),
    ("LPN-LIC", "Practical nurse licence", True, ["Illinois Board of Nursing"], 2),
    ("MD-LIC", "Medical licence", True, ["Illinois Medical Licensing Board"], 3),
    ("DEA", "DEA registration", True, ["Drug Enforcement Administration"], 3),
    ("RPH-LIC", "Pharmacist licence", True, ["Illinois Board of Pharmacy"], 2),
    ("ARRT", "ARRT radiography certification", True, ["American Registry of Radiologic Technologists"], 2),
    ("MLS", "Medical laboratory scientist certification", True, ["ASCP Board of Certification"], 3),
    ("CPHT", "Pharmacy technician certification", False, ["Pharmacy Technician Certification Board"], 2),
    ("BLS", "Basic life support certification", False, ["American Heart Association", "American Red Cross"], 2),
    ("ACLS-C", "ACLS certification", False, ["American Heart Association"], 2),
    ("PALS-C", "PALS certification", False, ["American Heart Association"], 2),
    ("NRP-C", "NRP certification", False, ["American Academy of Pediatrics"], 2),
    ("CNA-CERT", "Nursing assistant certificate", False, ["Illinois Department of Public Health"], 2),
    ("PHLEB-C", "Phlebotomy certificate", False, ["National Healthcareer Association"], None),
    ("MHAND-C", "Manual handling certificate", False, ["Riverside Training Centre"], 1),
    ("FOOD", "Food handler certificate", False, ["ServSafe"], 3),
    ("HIPAA", "Privacy and security training", False, ["Riverside Training Centre"], 1),
]


# What a job requires to work any shift (code -> credential type codes), and what a skill requires.
JOB_REQUIREMENTS = {
    "DIR": ("MD-LIC",), "PHYS": ("MD-LIC",), "NUM": ("RN-LIC",), "CHARGE": ("RN-LIC",), "RN": ("RN-LIC",),
    "MIDW": ("RN-LIC",), "LPN": ("LPN-LIC",), "CNA": ("CNA-CERT",), "PHARM": ("RPH-LIC",), "PHTECH": ("CPHT",),
    "RAD": ("ARRT",), "LABSCI": ("MLS",), "PHLEBOT": ("PHLEB-C",),
}
SKILL_REQUIREMENTS = {"ACLS": ("ACLS-C",), "PALS": ("PALS-C",), "NRP": ("NRP-C",)}
HELD_SINCE_DAYS = 400  # a required licence was first issued at least this long ago (before the roster history)
# The registered nurse on Ward 4 West whose licence lapsed this many days ago (the demo of the licence rule).
LAPSED_LICENCE_DAYS = 10


@dataclass(frozen=True)
class Job:
    code: str
    name: str
    clinical: bool
    rate: tuple[int, int]  # hourly rate range in dollars
    skills: tuple[str, ...]
    credentials: tuple[str, ...]  # the first is required, others are drawn


JOBS = {
    job.code: job
    for job in [
        Job("DIR", "Clinical Director", True, (120, 160), ("ACLS", "SEPSIS"), ("MD-LIC", "DEA", "BLS")),
        Job("PHYS", "Physician", True, (95, 140), ("ACLS", "SEPSIS", "TRIAGE", "VENT", "INTERP"),
            ("MD-LIC", "DEA", "ACLS-C", "BLS")),
        Job("NUM", "Nurse Unit Manager", True, (55, 68), ("ACLS", "SEPSIS", "TELE", "WOUND", "IV"),
            ("RN-LIC", "BLS", "ACLS-C")),
        Job("CHARGE", "Charge Nurse", True, (48, 60), ("ACLS", "TELE", "SEPSIS", "IV", "TRIAGE", "WOUND"),
            ("RN-LIC", "BLS", "ACLS-C")),
        Job("RN", "Registered Nurse", True, (38, 54),
            ("IV", "TELE", "SEPSIS", "WOUND", "ACLS", "CHEMO", "VENT", "TRIAGE", "PALS", "DIAL", "INTERP"),
            ("RN-LIC", "BLS", "ACLS-C", "PALS-C")),
        Job("MIDW", "Midwife", True, (44, 58), ("MIDW", "NRP", "IV", "SEPSIS"), ("RN-LIC", "BLS", "NRP-C")),
        Job("LPN", "Licensed Practical Nurse", True, (26, 34), ("IV", "WOUND", "PHLEB", "MHAND"),
            ("LPN-LIC", "BLS")),
        Job("CNA", "Certified Nursing Assistant", True, (17, 23), ("MHAND", "PHLEB", "INTERP"),
            ("CNA-CERT", "BLS", "MHAND-C")),
        Job("ODP", "Operating Department Practitioner", True, (36, 48), ("SCRUB", "ANAES", "MHAND"),
            ("BLS", "ACLS-C")),
        Job("PHARM", "Pharmacist", True, (62, 78), ("CHEMO", "INTERP"), ("RPH-LIC", "BLS")),
        Job("PHTECH", "Pharmacy Technician", True, (19, 26), ("CHEMO",), ("CPHT", "BLS")),
        Job("RAD", "Radiographer", True, (34, 47), ("CT", "MRI", "MHAND"), ("ARRT", "BLS")),
        Job("LABSCI", "Laboratory Scientist", True, (31, 44), ("XMATCH", "MICRO", "PHLEB"), ("MLS", "PHLEB-C")),
        Job("PHLEBOT", "Phlebotomist", True, (18, 24), ("PHLEB", "INTERP"), ("PHLEB-C", "BLS")),
        Job("MGR", "Department Manager", False, (45, 65), ("INTERP",), ("HIPAA", "BLS")),
        Job("TECH", "Maintenance Technician", False, (26, 38), ("MHAND",), ("MHAND-C",)),
        Job("PORTER", "Porter", False, (16, 20), ("MHAND",), ("MHAND-C", "BLS")),
        Job("ENV", "Environmental Services Aide", False, (15, 19), ("MHAND",), ("MHAND-C",)),
        Job("COOK", "Cook", False, (16, 22), (), ("FOOD",)),
        Job("STERI", "Sterile Services Technician", False, (18, 25), ("MHAND",), ("MHAND-C",)),
        Job("CLERK", "Unit Clerk", False, (17, 22), ("INTERP",), ("HIPAA",)),
        Job("ANALYST", "Analyst", False, (32, 46), (), ("HIPAA",)),
        Job("HIM", "Health Information Technician", False, (22, 30), (), ("HIPAA",)),
    ]
}

# Who works where: job mix (weights) by department kind, replaced for departments whose code (or the
# code's prefix, "LAB" for "LAB-BB") has its own mix; and the job of each department's head.
STAFF_MIX = {
    "unit": {"RN": 55, "LPN": 8, "CNA": 20, "CHARGE": 6, "CLERK": 4, "PHYS": 3},
    "clinical": {"PHYS": 70, "CLERK": 10, "ANALYST": 3},
    "diagnostic": {"CLERK": 10},
    "support": {"TECH": 25, "PORTER": 25, "ENV": 25, "COOK": 12, "STERI": 13},
    "administrative": {"ANALYST": 45, "CLERK": 35, "HIM": 20},
}
DEPARTMENT_MIX = {
    "RAD": {"RAD": 80, "PHYS": 8, "CLERK": 8},
    "LAB": {"LABSCI": 75, "PHLEBOT": 18, "CLERK": 5},
    "PHARM": {"PHARM": 45, "PHTECH": 45, "CLERK": 5},
    "SURG-OR": {"ODP": 45, "RN": 35, "CNA": 10, "PHYS": 10},
    "SURG-PACU": {"RN": 70, "ODP": 20, "CNA": 10},
    "WC-LD": {"MIDW": 55, "RN": 20, "CNA": 10, "CHARGE": 5, "PHYS": 5},
    "WC-MAT": {"MIDW": 40, "RN": 30, "CNA": 20, "CHARGE": 5, "CLERK": 5},
    "SUP": {"ANALYST": 50, "CLERK": 50},
    "SUP-FAC": {"TECH": 100},
    "SUP-ENV": {"ENV": 100},
    "SUP-PORT": {"PORTER": 100},
    "SUP-CAT": {"COOK": 80, "ENV": 20},
    "SUP-SSD": {"STERI": 100},
    "ADM-FIN": {"ANALYST": 80, "CLERK": 20},
    "ADM-HIM": {"HIM": 70, "CLERK": 30},
    "ADM-HR": {"ANALYST": 60, "CLERK": 40},
    "ADM-IT": {"ANALYST": 85, "CLERK": 15},
}
HEAD_JOB = {"unit": "NUM", "clinical": "DIR", "diagnostic": "MGR", "support": "MGR", "administrative": "MGR"}


def job_mix(code: str, kind: str) -> dict[str, int]:
    return DEPARTMENT_MIX.get(code) or DEPARTMENT_MIX.get(code.split("-")[0]) or STAFF_MIX[kind]


# code, name, kind, parent code, cost centre, relative headcount, in the small hospital
DEPARTMENTS = [
    ("MED", "Medicine", "clinical", None, "4100", 3, True),
    ("MED-4W", "Ward 4 West", "unit", "MED", "4110", 10, True),
    ("MED-4E", "Ward 4 East", "unit", "MED", "4120", 9, False),
    ("MED-5W", "Ward 5 West (Telemetry)", "unit", "MED", "4130", 9, True),
    ("MED-ONC", "Oncology Unit", "unit", "MED", "4140", 6, False),
    ("SURG", "Surgery", "clinical", None, "4200", 3, True),
    ("SURG-OR", "Operating Theatres", "unit", "SURG", "4210", 10, True),
    ("SURG-PACU", "Recovery (PACU)", "unit", "SURG", "4220", 5, False),
    ("SURG-3N", "Ward 3 North (Surgical)", "unit", "SURG", "4230", 8, True),
    ("SURG-ORTH", "Orthopaedic Ward", "unit", "SURG", "4240", 7, False),
    ("ED", "Emergency", "clinical", None, "4300", 3, True),
    ("ED-MAIN", "Emergency Department", "unit", "ED", "4310", 12, True),
    ("ED-FT", "Fast Track", "unit", "ED", "4320", 4, False),
    ("CC", "Critical Care", "clinical", None, "4400", 2, False),
    ("CC-ICU", "Intensive Care Unit", "unit", "CC", "4410", 10, False),
    ("CC-CCU", "Coronary Care Unit", "unit", "CC", "4420", 6, False),
    ("CC-HDU", "High Dependency Unit", "unit", "CC", "4430", 5, False),
    ("WC", "Women & Children", "clinical", None, "4500", 2, False),
    ("WC-LD", "Labour and Delivery", "unit", "WC", "4510", 7, False),
    ("WC-MAT", "Maternity Ward", "unit", "WC", "4520", 6, False),
    ("WC-NICU", "Neonatal Intensive Care", "unit", "WC", "4530", 6, False),
    ("WC-PAED", "Paediatric Ward", "unit", "WC", "4540", 6, False),
    ("MH", "Mental Health", "clinical", None, "4600", 1, False),
    ("MH-ACU", "Acute Psychiatric Unit", "unit", "MH", "4610", 6, False),
    ("RAD", "Radiology", "diagnostic", None, "5100", 3, True),
    ("RAD-CT", "CT and MRI", "diagnostic", "RAD", "5110", 4, False),
    ("RAD-XR", "General X-ray", "diagnostic", "RAD", "5120", 4, False),
    ("LAB", "Laboratory", "diagnostic", None, "5200", 4, True),
    ("LAB-CHEM", "Clinical Chemistry", "diagnostic", "LAB", "5210", 3, False),
    ("LAB-MICRO", "Microbiology", "diagnostic", "LAB", "5220", 3, False),
    ("LAB-BB", "Blood Bank", "diagnostic", "LAB", "5230", 2, False),
    ("PHARM", "Pharmacy", "support", None, "5300", 4, False),
    ("SUP", "Support Services", "support", None, "6100", 2, False),
    ("SUP-FAC", "Facilities and Engineering", "support", "SUP", "6110", 5, False),
    ("SUP-ENV", "Environmental Services", "support", "SUP", "6120", 7, False),
    ("SUP-PORT", "Portering", "support", "SUP", "6130", 4, False),
    ("SUP-CAT", "Catering", "support", "SUP", "6140", 4, False),
    ("SUP-SSD", "Sterile Services", "support", "SUP", "6150", 3, False),
    ("ADM", "Administration", "administrative", None, "7100", 2, True),
    ("ADM-HR", "Human Resources", "administrative", "ADM", "7110", 3, False),
    ("ADM-FIN", "Finance", "administrative", "ADM", "7120", 3, False),
    ("ADM-HIM", "Health Information", "administrative", "ADM", "7130", 3, False),
    ("ADM-IT", "Information Technology", "administrative", "ADM", "7140", 3, False),
]

FIRST_NAMES = """
Aaliyah Abigail Adam Adrian Aisha Alejandro Alexis Amara Amelia Ana Andre Angela Anil Anthony Ariana Arjun
Ava Benjamin Bianca Brandon Brianna Caleb Camila Carlos Carmen Caroline Chen Chloe Christopher Claire Daniel
Daniela David Deepa Destiny Diego Dmitri Elena Elijah Elizabeth Emily Emma Erin Ethan Fatima Gabriel Grace
Hannah Hassan Hector Imani Isaac Isabella Jacob Jamal Jasmine Javier Jennifer Jessica Jin John Jordan Jose
Joseph Joshua Julia Kayla Keisha Kenji Kevin Laura Leah Liam Lucas Lucia Luis Madison Maria Mariana Mark
Marcus Maya Mei Michael Michelle Miguel Mohammed Naomi Natalia Nathan Nicole Noah Olivia Omar Patrick Priya
Rachel Rafael Rebecca Ricardo Robert Rosa Ryan Samantha Samuel Sara Sean Sofia Stephanie Tamika Thomas Tiana
Tyler Valentina Victoria Wei William Xavier Yasmin Yusuf Zoe
""".split()

LAST_NAMES = """
Adams Ahmed Alvarez Anderson Bailey Baker Banerjee Bennett Brooks Brown Campbell Carter Castillo Chang Chavez
Chen Clark Collins Cook Cooper Cruz Davis Diaz Edwards Evans Fernandez Fischer Flores Foster Garcia Gomez
Gonzalez Gray Green Gupta Hall Harris Hernandez Hill Hoffman Howard Hughes Ibrahim Jackson James Jenkins
Johnson Jones Kaur Kelly Khan Kim King Kowalski Lee Lewis Lopez Martin Martinez Mendoza Miller Mitchell Moore
Morales Morgan Murphy Murray Nguyen Novak Okafor Ortiz Owens Park Patel Perez Peterson Phillips Price Ramirez
Ramos Reed Reyes Richardson Rivera Roberts Robinson Rodriguez Rogers Ross Russell Sanchez Sanders Schmidt
Scott Shah Silva Singh Smith Stewart Sullivan Taylor Thomas Thompson Torres Turner Walker Wang Ward Washington
Watson White Williams Wilson Wood Wright Wu Yamamoto Young Zhang
""".split() + ["O'Brien", "O'Connor", "Van Dyke"]

DEMO_LOGINS = (
    "admin", "ops", "head", "head.surgery", "scheduler", "finance", "staff", "board", "evs", "technician", "inspector",
)


# --- steps -------------------------------------------------------------------------------------


def build_catalogues(ctx: DemoContext) -> None:
    skills = ctx.bulk_create(Skill, [Skill(code=c, name=n, description=d) for c, n, d in SKILLS])
    types = ctx.bulk_create(
        CredentialType, [CredentialType(code=c, name=n, is_licence=lic) for c, n, lic, _, _ in CREDENTIAL_TYPES]
    )
    jobs = ctx.bulk_create(
        JobTitle, [JobTitle(code=job.code, name=job.name, is_clinical=job.clinical) for job in JOBS.values()]
    )
    ctx.data["skills"] = {s.code: s for s in skills}
    ctx.data["credential_types"] = {t.code: t for t in types}
    ctx.data["job_titles"] = {j.code: j for j in jobs}
    by_code = ctx.data["credential_types"]
    for entries, model, requirements in ((jobs, JobTitle, JOB_REQUIREMENTS), (skills, Skill, SKILL_REQUIREMENTS)):
        through = model.required_credentials.through
        field = f"{model._meta.model_name}_id"
        through.objects.bulk_create([
            through(**{field: entry.pk, "credentialtype_id": by_code[code].pk})
            for entry in entries
            for code in requirements.get(entry.code, ())
        ])
    ctx.log(f"catalogues: {len(jobs)} job titles, {len(skills)} skills, {len(types)} credential types")


def build_departments(ctx: DemoContext) -> None:
    """Insert level by level (parents first) so every path can be written from its parent's."""
    rows = [row for row in DEPARTMENTS if ctx.large or row[6]]
    by_code: dict[str, Department] = {}
    for top_level in (True, False):
        level = [
            Department(code=code, name=name, kind=kind, parent=None if parent is None else by_code[parent],
                       cost_centre=f"CC-{centre}")
            for code, name, kind, parent, centre, _, _ in rows
            if (parent is None) == top_level
        ]
        Department.objects.bulk_create(level)
        for department in level:
            department.path = f"{department.parent.path if department.parent else '/'}{department.pk}/"
            by_code[department.code] = department
        Department.objects.bulk_update(level, ["path"])
    departments = [by_code[row[0]] for row in rows]
    if ctx.history:
        Department.history.bulk_history_create(departments, default_change_reason=CHANGE_REASON)
    ctx.data["departments"] = by_code
    ctx.data["headcount_weights"] = {row[0]: row[5] for row in rows}
    ctx.log(f"departments: {len(departments)}")


def build_logins(ctx: DemoContext) -> None:
    """One login per role, all with DEMO_PASSWORD. Links to employee records come later."""
    User = get_user_model()
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in access.HOSPITAL_GROUPS + access.SERVICE_GROUPS
    }
    departments = ctx.data["departments"]
    plan = {
        "admin": {"is_superuser": True, "is_staff": True},
        "ops": {"group": access.OPERATIONS_MANAGER},
        "head": {"head_of": "MED"},
        "head.surgery": {"head_of": "SURG"},
        "scheduler": {"scheduler_of": "MED-4W"},
        "finance": {"group": access.FINANCE_OFFICER},
        "staff": {},
        "board": {"group": access.BOARD_MEMBER},
        "evs": {"group": access.ENVIRONMENTAL_SERVICES},
        "technician": {"group": access.MAINTENANCE_TECHNICIAN},
        "inspector": {"group": access.INSPECTOR},
    }
    users = {}
    for username, role in plan.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.email = f"{username}@{EMAIL_DOMAIN}"
        user.is_superuser = user.is_staff = role.get("is_superuser", False)
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if "group" in role:
            user.groups.add(groups[role["group"]])
        users[username] = user
    ctx.bulk_create(
        Membership,
        [
            Membership(user=users["head"], department=departments["MED"], role=access.HEAD),
            Membership(user=users["head.surgery"], department=departments["SURG"], role=access.HEAD),
            Membership(user=users["scheduler"], department=departments["MED-4W"], role=access.SCHEDULER),
        ]
    )
    ctx.data["users"] = users
    ctx.log(f"logins: {', '.join(users)} (password {DEMO_PASSWORD})")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _employment(rng: random.Random, job: Job) -> tuple[str, Decimal]:
    nursing = job.code in {"RN", "LPN", "CNA", "MIDW", "ODP"}
    kinds = {"FT": 62, "PT": 20, "PRN": 10, "AGENCY": 8} if nursing else {"FT": 80, "PT": 15, "PRN": 5}
    kind = _weighted(rng, kinds)
    fte = {
        "FT": rng.choice(["1.00"] * 6 + ["0.90"]),
        "PT": rng.choice(["0.50", "0.60", "0.60", "0.75", "0.80"]),
        "PRN": rng.choice(["0.10", "0.20", "0.30"]),
        "AGENCY": rng.choice(["0.60", "0.80", "1.00"]),
    }[kind]
    return kind, Decimal(fte)


def _hire_date(rng: random.Random, today: date) -> date:
    years = min(rng.expovariate(1 / 7), 35)  # most staff joined in the last decade, a few decades ago
    return today - timedelta(days=max(14, int(years * 365.25)))


def _new_employee(ctx: DemoContext, number: int, department: Department, job: Job, *, lead: bool) -> Employee:
    rng, today = ctx.rng, ctx.today
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    kind, fte = ("FT", Decimal("1.00")) if lead else _employment(rng, job)
    hire = _hire_date(rng, today) if not lead else today - timedelta(days=rng.randint(4 * 365, 20 * 365))
    low, high = job.rate
    seniority = min((today - hire).days / 365.25 / 20, 1)
    rate = low + (high - low) * (0.6 * seniority + 0.4 * rng.random())
    if kind == "AGENCY":
        rate *= 1.3
    status, termination = Employee.Status.ACTIVE, None
    if not lead:
        roll = rng.random()
        if roll < 0.03:
            status = Employee.Status.TERMINATED
            termination = hire + timedelta(days=rng.randint(0, max(0, (today - hire).days - 1)))
        elif roll < 0.07:
            status = Employee.Status.ON_LEAVE
        elif roll < 0.08:
            termination = today + timedelta(days=rng.randint(7, 60))  # working their notice
    local = base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    taken: set[str] = ctx.data.setdefault("email_names", set())
    suffix = 1
    while local in taken:  # namesakes get a number, as mail systems do
        suffix += 1
        local = f"{base}{suffix}"
    taken.add(local)
    return Employee(
        employee_number=f"E{number:05d}",
        first_name=first,
        last_name=last,
        email=f"{local}@{EMAIL_DOMAIN}",
        phone=f"+1 312 555 {rng.randint(0, 9999):04d}",
        department=department,
        job_title=ctx.data["job_titles"][job.code],
        employment_type=kind,
        fte=fte,
        hourly_rate=Decimal(f"{rate:.2f}"),
        hire_date=hire,
        termination_date=termination,
        status=status,
    )


def build_employees(ctx: DemoContext) -> None:
    """A head for every department, then staff spread by headcount weight and the department's job mix."""
    rng = ctx.rng
    departments: dict[str, Department] = ctx.data["departments"]
    weights: dict[str, int] = ctx.data["headcount_weights"]
    total = EMPLOYEES[ctx.scale]
    employees: list[Employee] = []
    jobs_of: list[Job] = []
    heads: dict[str, int] = {}  # department code -> index in employees
    for code, department in departments.items():
        job = JOBS[HEAD_JOB[department.kind]]
        heads[code] = len(employees)
        employees.append(_new_employee(ctx, 10001 + len(employees), department, job, lead=True))
        jobs_of.append(job)
    # Every nursing unit has a charge nurse from the start, so the ward's scheduler has a record.
    for code, department in departments.items():
        if department.kind == Department.Kind.UNIT and code not in {"SURG-OR", "SURG-PACU"}:
            employees.append(_new_employee(ctx, 10001 + len(employees), department, JOBS["CHARGE"], lead=True))
            jobs_of.append(JOBS["CHARGE"])
    codes, code_weights = list(weights), list(weights.values())
    while len(employees) < total:
        code = rng.choices(codes, weights=code_weights)[0]
        department = departments[code]
        job = JOBS[_weighted(rng, job_mix(code, department.kind))]
        employees.append(_new_employee(ctx, 10001 + len(employees), department, job, lead=False))
        jobs_of.append(job)
    employees = ctx.bulk_create(Employee, employees)
    ctx.data["employees"] = employees
    ctx.data["department_heads"] = {code: employees[index] for code, index in heads.items()}
    ctx.log(f"employees: {len(employees)}")
    _build_skills(ctx, employees, jobs_of)
    _build_credentials(ctx, employees, jobs_of)


def _build_skills(ctx: DemoContext, employees: list[Employee], jobs_of: list[Job]) -> None:
    rng, today = ctx.rng, ctx.today
    skills = ctx.data["skills"]
    rows = []
    for employee, job in zip(employees, jobs_of, strict=True):
        pool = list(job.skills) or ["MHAND"]
        for code in rng.sample(pool, k=min(len(pool), rng.randint(1, 4))):
            acquired = employee.hire_date - timedelta(days=rng.randint(-700, 1500))
            rows.append(
                EmployeeSkill(
                    employee=employee,
                    skill=skills[code],
                    level=rng.choices([1, 2, 3], weights=[15, 60, 25])[0],
                    acquired_on=min(acquired, today),
                )
            )
    ctx.bulk_create(EmployeeSkill, rows)
    ctx.log(f"employee skills: {len(rows)}")


# Share of credentials in each state relative to today.
CREDENTIAL_STATES = {"valid": 76, "expiring": 8, "expired": 6, "unverified": 10}


def _build_credentials(ctx: DemoContext, employees: list[Employee], jobs_of: list[Job]) -> None:
    rng, today = ctx.rng, ctx.today
    now = timezone.now()
    types = ctx.data["credential_types"]
    specs = {code: (issuers, years) for code, _, _, issuers, years in CREDENTIAL_TYPES}
    verifier = ctx.data["users"]["admin"]
    lapsed = _lapsed_licence_holder(ctx, employees, jobs_of)
    rows = []
    serial = 0
    for employee, job in zip(employees, jobs_of, strict=True):
        extra = job.credentials[1:]
        wanted = [job.credentials[0], *rng.sample(extra, k=min(len(extra), rng.randint(0, 2)))]
        required = set(JOB_REQUIREMENTS.get(job.code, ()))
        for code in wanted:
            issuers, years = specs[code]
            serial += rng.randint(1, 9)  # strictly increasing, so (type, issuer, number) stays unique
            state = _weighted(rng, CREDENTIAL_STATES)
            # A licence the job requires has been held since before the roster history; others may be new.
            held_since = HELD_SINCE_DAYS if code in required else 0
            if employee is lapsed and code in required:
                state = "lapsed"
            if years is None:
                issued, expiry = today - timedelta(days=rng.randint(max(30, held_since), 3000)), None
                state = "valid" if state in {"expiring", "expired", "lapsed"} else state
            else:
                span = years * 365
                if state == "expiring":
                    expiry = today + timedelta(days=rng.randint(0, 30))
                elif state == "expired":
                    expiry = today - timedelta(days=rng.randint(1, 150))
                elif state == "lapsed":
                    expiry, state = today - timedelta(days=LAPSED_LICENCE_DAYS), "expired"
                elif state == "unverified":
                    expiry = today + timedelta(days=span - rng.randint(max(1, held_since), max(60, held_since + 60)))
                else:
                    expiry = today + timedelta(days=rng.randint(45, max(45, span - held_since)))
                issued = expiry - timedelta(days=span)
            verified = None
            if state != "unverified":
                checked_on = max(issued, employee.hire_date) + timedelta(days=rng.randint(0, 14))
                verified = ctx.moment(checked_on, not_after=now)
            rows.append(
                Credential(
                    employee=employee,
                    credential_type=types[code],
                    number=f"{code.split('-')[0]}-{1000000 + serial}",
                    issuer=rng.choice(issuers),
                    issued_on=issued,
                    expiry_date=expiry,
                    verified_by=verifier if verified else None,
                    verified_at=verified,
                )
            )
    ctx.bulk_create(Credential, rows)
    ctx.log(f"credentials: {len(rows)}")


def _lapsed_licence_holder(ctx: DemoContext, employees: list[Employee], jobs_of: list[Job]) -> Employee | None:
    """An active registered nurse of Ward 4 West other than the one `link_logins` gives the staff login."""
    ward = ctx.data["departments"].get("MED-4W")
    nurses = [
        e for e, job in zip(employees, jobs_of, strict=True)
        if ward is not None and e.department_id == ward.pk and job.code == "RN" and e.status == Employee.Status.ACTIVE
    ]
    staff = next((e for e in nurses if e.employment_type == Employee.EmploymentType.FULL_TIME), None)
    others = [e for e in nurses if e is not staff]
    return others[0] if others else None


def link_logins(ctx: DemoContext) -> None:
    """Department heads on the departments; the head, scheduler and staff logins on their employee records."""
    heads: dict[str, Employee] = ctx.data["department_heads"]
    departments: dict[str, Department] = ctx.data["departments"]
    for code, department in departments.items():
        department.head = heads[code]
    Department.objects.bulk_update(list(departments.values()), ["head"])
    if ctx.history:
        Department.history.bulk_history_create(list(departments.values()), default_change_reason="head appointed")

    employees: list[Employee] = ctx.data["employees"]
    ward = departments["MED-4W"]
    charge = next(e for e in employees if e.department_id == ward.pk and e.job_title.code == "CHARGE")
    nurse = next(
        e for e in employees
        if e.department_id == ward.pk and e.job_title.code == "RN" and e.status == Employee.Status.ACTIVE
        and e.employment_type == Employee.EmploymentType.FULL_TIME
    )
    users = ctx.data["users"]
    links = {"head": heads["MED"], "head.surgery": heads["SURG"], "scheduler": charge, "staff": nurse}
    for username, employee in links.items():
        user = users[username]
        user.first_name, user.last_name = employee.first_name, employee.last_name
        user.save(update_fields=["first_name", "last_name"])
        employee.user = user
        employee._change_reason = "login linked"
        employee.save(update_fields=["user"])
    ctx.data["linked_employees"] = links
    ctx.log("department heads appointed; head, head.surgery, scheduler and staff linked to their records")


STEPS: list[Callable[[DemoContext], None]] = [
    build_catalogues,
    build_departments,
    build_logins,
    build_employees,
    link_logins,
]


def has_data() -> bool:
    """Anything the demo would collide with, or clobber (a real account named like a demo login)."""
    return (
        Department.objects.exists()
        or Employee.objects.exists()
        or get_user_model().objects.filter(username__in=DEMO_LOGINS).exists()
    )


def flush() -> None:
    """Delete people records, their history and the demo logins (groups stay)."""
    Credential.objects.all().delete()
    EmployeeSkill.objects.all().delete()
    Membership.objects.all().delete()
    ApiToken.objects.all().delete()
    Department.objects.update(head=None, parent=None)
    Employee.objects.all().delete()
    Department.objects.all().delete()
    for model in (JobTitle, Skill, CredentialType):
        model.objects.all().delete()
    for model in (Credential, EmployeeSkill, Membership, ApiToken, Employee, Department, JobTitle, Skill,
                  CredentialType):
        model.history.model.objects.all().delete()
    get_user_model().objects.filter(username__in=DEMO_LOGINS).delete()
