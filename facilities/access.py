"""Who may do what in facilities, built on the roles in records.access."""

from records import access as roles


def can_manage_buildings(user) -> bool:
    """Buildings and floors are the hospital's map: hospital-wide roles keep it."""
    return roles.is_hospital_wide(user)


def can_manage_rooms(user, department) -> bool:
    """Rooms of a department: its heads (or a parent's) and hospital-wide roles."""
    return roles.acts_in(user, department, roles.HEAD)


def can_browse_registry(user) -> bool:
    """The registry pages: hospital-wide roles (every building, floor and room) and department heads (the
    rooms of their own units). Everyone else, board members included, is answered 404."""
    return roles.acts_as(user, roles.HEAD)


def room_departments(user):
    """The departments whose rooms the user keeps: every one for hospital-wide roles, else those they head
    (with their units), in use or not."""
    return roles.departments_where(user, roles.HEAD, active=False)


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


# Equipment and maintenance ---------------------------------------------------------------------------


def is_technician(user) -> bool:
    return roles.in_group(user, roles.MAINTENANCE_TECHNICIAN)


def can_browse_equipment(user) -> bool:
    """The register: hospital-wide roles, maintenance technicians (every building) and whoever holds a role
    in a department (their own department's equipment). Board members: none."""
    return roles.is_hospital_wide(user) or is_technician(user) or bool(roles.department_ids(user))


def can_manage_assets(user, department) -> bool:
    """Add and change a department's assets: its heads, technicians (clinical engineering keeps the
    register) and hospital-wide roles."""
    return is_technician(user) or roles.acts_in(user, department, roles.HEAD)


def can_manage_maintenance_plans(user) -> bool:
    """Preventive maintenance plans are clinical engineering's: technicians and hospital-wide roles."""
    return roles.is_hospital_wide(user) or is_technician(user)


def can_work_on_orders(user) -> bool:
    """Take, start, hold and complete work orders: technicians and hospital-wide roles."""
    return roles.is_hospital_wide(user) or is_technician(user)


def can_verify_work_order(user, work_order) -> bool:
    """Accept a completed repair: the owning department's heads or a hospital-wide role, never whoever
    completed it."""
    if work_order.completed_by_id and work_order.completed_by_id == user.pk:
        return False
    return roles.acts_in(user, work_order.asset.department, roles.HEAD)


def can_record_usage(user, department) -> bool:
    """Send or import usage sessions of a department's diagnostic equipment: its heads, hospital-wide roles,
    and technicians."""
    return is_technician(user) or roles.acts_in(user, department, roles.HEAD)


# Inspections -----------------------------------------------------------------------------------------


def is_inspector(user) -> bool:
    return roles.in_group(user, roles.INSPECTOR)


def can_browse_inspections(user) -> bool:
    """Inspections and findings: inspectors and hospital-wide roles everywhere, department roles for their
    own departments (and action owners for their own findings). Board members: none."""
    return roles.is_hospital_wide(user) or is_inspector(user) or bool(roles.department_ids(user))


def can_conduct_inspections(user) -> bool:
    """Conduct inspections and keep templates and schedules: inspectors and hospital-wide roles."""
    return roles.is_hospital_wide(user) or is_inspector(user)


def can_complete_action(user, finding) -> bool:
    """Mark a corrective action done: its owner, the department's heads, or a hospital-wide role."""
    if finding.owner_id and finding.owner_id == user.pk:
        return True
    if finding.department_id is None:
        return roles.is_hospital_wide(user)
    return roles.acts_in(user, finding.department, roles.HEAD)


def can_verify_finding(user, finding) -> bool:
    """Verify a done action and close the finding: an inspector, the department's heads or a hospital-wide
    role — never whoever did the action (four eyes)."""
    if finding.done_by_id and finding.done_by_id == user.pk:
        return False
    if is_inspector(user) or roles.is_hospital_wide(user):
        return True
    return finding.department_id is not None and roles.acts_in(user, finding.department, roles.HEAD)


def can_propose_recommendation(user) -> bool:
    """Propose a building or equipment modification: inspectors, heads and hospital-wide roles."""
    return is_inspector(user) or roles.acts_as(user, roles.HEAD)


def can_decide_recommendation(user) -> bool:
    """Approve a modification and mark it done: hospital-wide roles, who hold the capital budget."""
    return roles.is_hospital_wide(user)
