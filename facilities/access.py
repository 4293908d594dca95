"""Who may do what in facilities, built on the roles in records.access."""

from records import access as roles


def can_manage_buildings(user) -> bool:
    """Buildings and floors are the hospital's map: hospital-wide roles keep it."""
    return roles.is_hospital_wide(user)


def can_manage_rooms(user, department) -> bool:
    """Rooms of a department: its heads (or a parent's) and hospital-wide roles."""
    return roles.acts_in(user, department, roles.HEAD)
