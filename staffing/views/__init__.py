"""Pages for rosters, their setup, time off, preferences and the staff calendar feed.

Everything is looked up through a scoped selector or `visible_to`, so another department's roster
or request is a 404. Writes go through `staffing.services` / `staffing.setup_services`: a refused
right without a reason is a 404, a refusal with a reason or a broken rule is shown to the user.
"""

from ._common import shift_colours
from .rosters import (
    roster_table,
    schedule_approve,
    schedule_cell,
    schedule_copy,
    schedule_create,
    schedule_detail,
    schedule_export,
    schedule_list,
    schedule_print,
    schedule_publish,
    schedule_reject,
    schedule_revise,
    schedule_submit,
    unit_detail,
)
from .self_service import (
    calendar_feed_renew,
    calendar_feed_revoke,
    ical_feed,
    my_preferences,
    my_shifts,
    my_time_off,
    preference_remove,
    time_off_cancel,
    time_off_decide,
    time_off_list,
)
from .setup import (
    contract_rules_create,
    contract_rules_edit,
    hospital_rules_edit,
    labour_rules_list,
    requirement_create,
    requirement_edit,
    requirement_list,
    shift_type_create,
    shift_type_edit,
    shift_type_list,
    unit_rules_edit,
)

__all__ = [
    "shift_colours",
    "schedule_list",
    "schedule_create",
    "schedule_detail",
    "schedule_cell",
    "schedule_copy",
    "schedule_submit",
    "schedule_approve",
    "schedule_reject",
    "schedule_publish",
    "schedule_revise",
    "roster_table",
    "schedule_export",
    "schedule_print",
    "unit_detail",
    "shift_type_list",
    "shift_type_create",
    "shift_type_edit",
    "requirement_list",
    "requirement_create",
    "requirement_edit",
    "labour_rules_list",
    "hospital_rules_edit",
    "unit_rules_edit",
    "contract_rules_edit",
    "contract_rules_create",
    "my_shifts",
    "calendar_feed_renew",
    "calendar_feed_revoke",
    "ical_feed",
    "my_time_off",
    "time_off_cancel",
    "my_preferences",
    "preference_remove",
    "time_off_list",
    "time_off_decide",
]
