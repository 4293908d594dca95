"""A checklist template with one item per area and an inspection of a unit, ready to conduct."""

import datetime as dt

from facilities.models import Area, Inspection, InspectionTemplate, TemplateItem

REFERENCES = {
    Area.FIRE_LIFE_SAFETY: "NFPA 101 7.2.1", Area.INFECTION_CONTROL: "Joint Commission IC.02.02.01",
    Area.EMERGENCY_READINESS: "Joint Commission EM.02.02.01", Area.ACCESSIBILITY: "ADA 404.2",
    Area.HAZARDOUS_MATERIALS: "OSHA 1910.1200", Area.SECURITY: "Joint Commission EC.02.01.01",
}


def template(purpose=InspectionTemplate.Purpose.ROUNDS, name="Environment-of-care rounds"):
    rounds = InspectionTemplate.objects.create(name=name, purpose=purpose)
    for n, (area, reference) in enumerate(REFERENCES.items()):
        TemplateItem.objects.create(template=rounds, area=area, position=n, text=f"Check {area}",
                                    regulation_reference=reference, guidance="Look closely.")
    return rounds


def inspection(h, department=None, **extra):
    return Inspection.objects.create(template=extra.pop("template_", None) or template(), building=h.building,
                                     department=department or h.ward, due_on=extra.pop("due_on", dt.date(2026, 3, 2)),
                                     **extra)
