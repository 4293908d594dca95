"""The data version moves with every committed write to a watched table, whatever path it takes, never with a
read; it is not given to a transaction that has written; a new generation never repeats an older version."""

import pytest
from django.db import connection, transaction

from facilities.models import Building
from hospital_ops import data_version
from hospital_ops.models import DataChange
from records.models import Employee
from tests.records.factories import EmployeeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the data version is kept by PostgreSQL triggers"),
]


def test_every_table_of_the_watched_apps_is_watched():
    tables = data_version.watched_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                       [data_version.FUNCTION])
        triggered = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= triggered
    # the people, their rosters and rules, the census, and their many-to-many links
    for table in ("records_employee", "records_credential", "staffing_shiftassignment", "staffing_timeoff",
                  "staffing_staffingratio", "facilities_bedoccupancy", "records_jobtitle_required_credentials",
                  "auth_user"):
        assert table in tables
    assert not [t for t in tables if "historical" in t]
    assert "facilities_stayaccess" not in triggered  # written by every bed board refresh: nothing is drawn from it
    assert "records_apitoken" not in triggered


@pytest.mark.parametrize("write", [
    lambda e: Employee.objects.filter(pk=e.pk).update(first_name="Mary"),
    lambda e: EmployeeFactory(department=e.department),
    lambda e: Employee.objects.filter(pk=e.pk).delete(),
    lambda e: Building.objects.create(code="NEW", name="New Wing"),
], ids=["bulk update", "insert", "delete", "another watched app"])
def test_each_committed_write_moves_it(write):
    employee = EmployeeFactory()
    before = data_version.current()
    write(employee)
    after = data_version.current()
    assert before is not None and after is not None
    assert after != before


def test_a_raw_sql_write_moves_it():
    employee = EmployeeFactory()
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_employee SET last_name = 'Raw' WHERE id = %s", [employee.pk])
    assert data_version.current() != before


def test_reading_does_not_move_it():
    EmployeeFactory.create_batch(3)
    before = data_version.current()
    list(Employee.objects.all())
    assert data_version.current() == before


def test_a_transaction_that_has_written_gets_none_until_it_commits():
    with transaction.atomic():
        assert data_version.current() is not None  # nothing written yet
        EmployeeFactory()
        assert data_version.current() is None
    assert data_version.current() is not None


def test_one_transaction_is_recorded_once_however_many_statements_it_runs():
    before = DataChange.objects.count()
    with transaction.atomic():
        for _ in range(5):
            EmployeeFactory()
    assert DataChange.objects.count() == before + 1


def test_a_rolled_back_write_leaves_it_where_it_was():
    before = data_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        EmployeeFactory()
        raise RuntimeError
    assert data_version.current() == before


def test_a_new_generation_never_repeats_a_version_of_the_last():
    seen = set()
    for _ in range(3):
        EmployeeFactory()
        seen.add(data_version.current())
    data_version.prune()
    assert DataChange.objects.count() == 0
    for _ in range(3):
        version = data_version.current()
        assert version not in seen
        seen.add(version)
        EmployeeFactory()


def test_the_nightly_task_starts_a_new_generation(settings):
    from hospital_ops.tasks import forget_data_changes

    EmployeeFactory()
    before = data_version.current()
    assert forget_data_changes.delay().get() >= 1
    assert data_version.current().split(".")[0] != before.split(".")[0]
    assert settings.CELERY_BEAT_SCHEDULE["forget-data-changes"]["task"] == "hospital_ops.tasks.forget_data_changes"


def test_each_topic_moves_only_with_its_own_tables():
    employee = EmployeeFactory()
    before = data_version.versions()
    Building.objects.create(code="EAST", name="East Wing")
    after = data_version.versions()
    assert after["facilities"] != before["facilities"]
    others = [topic for topic in after if topic != "facilities"]
    assert [after[t] for t in others] == [before[t] for t in others]
    Employee.objects.filter(pk=employee.pk).update(first_name="Ann")
    assert data_version.versions()["records"] != after["records"]


def test_a_write_after_a_rolled_back_savepoint_is_still_recorded():
    before = data_version.current()
    with transaction.atomic():
        EmployeeFactory()
        with pytest.raises(RuntimeError), transaction.atomic():
            EmployeeFactory()
            raise RuntimeError
        EmployeeFactory()
    assert data_version.current() != before


def test_a_savepoint_rolled_back_after_the_first_write_keeps_the_record_of_it():
    before = DataChange.objects.count()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            EmployeeFactory()
            raise RuntimeError
        EmployeeFactory()  # recorded again: the rolled back savepoint took its record and its mark with it
    assert DataChange.objects.count() == before + 1
