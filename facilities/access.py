"""Who may do what in facilities, built on the roles in records.access."""

from records import access as roles


def can_manage_buildings(user) -> bool:
    """Buildings and floors are the hospital's map: hospital-wide roles keep it."""
    return roles.is_hospital_wide(user)


def can_manage_rooms(user, department) -> bool:
    """Rooms of a department: its heads (or a parent's) and hospital-wide roles."""
    return roles.acts_in(user, department, roles.HEAD)


# Beds and patient flow ----------------------------------------------------------------------------


def uses_bed_board(user) -> bool:
    """The bed board: hospital-wide roles and those who act in a unit (heads, charge nurses). Board members
    and service staff never see stays."""
    return not roles.is_board_only(user) and roles.acts_as(user, roles.HEAD, roles.SCHEDULER)


def can_manage_beds(user, unit) -> bool:
    """Add beds to a unit, change their kind and attributes, block or release them: its heads and
    hospital-wide roles."""
    return roles.acts_in(user, unit, roles.HEAD)


def can_move_patients(user, unit) -> bool:
    """Place a waiting patient in a bed of the unit, discharge or transfer from the board: its heads, its
    charge nurses and hospital-wide roles."""
    return roles.acts_in(user, unit, roles.HEAD, roles.SCHEDULER)


def can_clean_beds(user) -> bool:
    """The housekeeping queue: environmental services staff, and hospital-wide roles who stand in."""
    return roles.in_group(user, roles.ENVIRONMENTAL_SERVICES) or roles.is_hospital_wide(user)


def can_read_stay_access_log(user) -> bool:
    """Who looked at which stays: administrators only."""
    return roles.is_administrator(user)


def can_see_utilisation(user) -> bool:
    """Census and utilisation measures: whoever uses the bed board (their own units)."""
    return uses_bed_board(user)


def can_send_adt(user) -> bool:
    """Send admission, transfer and discharge events: the integration accounts of the hospital's systems,
    which act hospital-wide."""
    return roles.is_hospital_wide(user)
