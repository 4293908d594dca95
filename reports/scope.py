"""What a report covers: the whole hospital, or one department with all its units."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from hospital_ops.scoping import within
from records.models import Department

from .models import HOSPITAL


@dataclass(frozen=True)
class Scope:
    department: Department | None = None

    @classmethod
    def from_key(cls, key: str) -> Scope:
        if key == HOSPITAL:
            return cls(None)
        return cls(Department.objects.get(pk=int(key)))

    @property
    def key(self) -> str:
        return HOSPITAL if self.department is None else str(self.department.pk)

    @property
    def is_hospital(self) -> bool:
        return self.department is None

    @property
    def label(self) -> str:
        return "Whole hospital" if self.department is None else self.department.name

    def q(self, department_field: str = "department") -> Q:
        """Rows whose department (reached through `department_field`) lies in this scope's subtree."""
        return within(self.department, department_field)

    def departments(self) -> list[Department]:
        return list(Department.objects.filter(self.q("")))

    def groups(self) -> tuple[list[Department], dict[int, int]]:
        """The rows a report breaks its figures down by, and {department id: row's department id}.

        For the hospital: its top-level departments. For a department: the department itself (its own
        staff) and each of its direct units with their subtrees."""
        departments = sorted(self.departments(), key=lambda d: d.path)
        if self.department is None:
            heads = [d for d in departments if d.parent_id is None]
        else:
            heads = [d for d in departments if d.pk == self.department.pk or d.parent_id == self.department.pk]
        owner: dict[int, int] = {}
        for department in departments:
            best = None
            for head in heads:
                if department.path.startswith(head.path) and (best is None or len(head.path) > len(best.path)):
                    best = head
            if best is not None:
                owner[department.pk] = best.pk
        return heads, owner

