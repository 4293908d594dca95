import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staffing import nrp


class Command(BaseCommand):
    help = "Import a nurse-rostering benchmark instance as a unit with a draft roster to fill."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="An InstanceN.txt file.")
        parser.add_argument("--start", type=dt.date.fromisoformat, required=True, help="First day, a Monday.")
        parser.add_argument("--user", default="admin", help="Recorded as the roster's author.")
        parser.add_argument("--code", help="Unit code (default NRP-<instance name>).")

    def handle(self, *args, path, start, user, code, **options):
        if not path.exists():
            raise CommandError(f"No file at {path}.")
        author = get_user_model().objects.filter(username=user).first()
        if author is None:
            raise CommandError(f"No user named {user}.")
        try:
            imported = nrp.import_instance(nrp.parse_instance(path), start=start, created_by=author, code=code)
        except ValueError as error:
            raise CommandError(str(error)) from error
        schedule = imported.schedule
        self.stdout.write(
            f"{schedule.department.code}: {len(imported.employees)} staff, {len(imported.shift_types)} shift types, "
            f"draft roster {schedule.pk} from {schedule.start_date} to {schedule.end_date}."
        )
