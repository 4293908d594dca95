"""A board report of a period that has not ended is provisional: labelled so in the archive, on its cover
and in e-mails, and never sent to the board. A month without rosters has no staffing figure."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from reports import services
from reports.models import HOSPITAL, ReportKind, ReportRun, ReportSchedule
from reports.periods import Period
from reports.scope import Scope
from reports.sections import registry

from .helpers import pdf_text

pytestmark = pytest.mark.django_db

MID_MARCH = dt.datetime(2026, 3, 20, 15, tzinfo=dt.UTC)
FIRST_OF_APRIL = dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)  # 03:00 in Chicago
LAST_OF_MARCH = dt.datetime(2026, 4, 1, 4, 30, tzinfo=dt.UTC)  # 23:30 on 31 March in Chicago
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 4, 1, 5, 5, tzinfo=dt.UTC)  # 00:05 on 1 April in Chicago


def request_board_report(user, capture, when=MID_MARCH) -> ReportRun:
    with time_machine.travel(when, tick=False), capture(execute=True):
        run, _ = services.request_report(kind=ReportKind.BOARD, period="2026-03", scope=HOSPITAL, requested_by=user)
    run.refresh_from_db()
    return run


@pytest.fixture
def board_schedule(march):
    schedule = ReportSchedule.objects.create(name="Board", kind=ReportKind.BOARD,
                                             frequency=ReportSchedule.Frequency.MONTHLY)
    for name in ("board", "ops"):
        march.users[name].email = f"{name}@example.org"
        march.users[name].save()
    schedule.recipients.set([march.users["board"], march.users["ops"]])
    return schedule


def test_a_report_of_a_month_not_ended_says_provisional_on_its_cover(march, django_capture_on_commit_callbacks):
    run = request_board_report(march.users["ops"], django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED
    text = pdf_text(run.file.read())
    assert "PROVISIONAL" in text
    assert "March 2026 has not ended" in text


def test_a_report_of_a_closed_month_is_not_provisional(march, django_capture_on_commit_callbacks):
    run = request_board_report(march.users["ops"], django_capture_on_commit_callbacks, when=FIRST_OF_APRIL)
    assert not run.provisional
    assert "PROVISIONAL" not in pdf_text(run.file.read())


def test_the_archive_labels_it_provisional(client, march, django_capture_on_commit_callbacks):
    run = request_board_report(march.users["ops"], django_capture_on_commit_callbacks)
    client.force_login(march.users["ops"])
    with time_machine.travel(MID_MARCH, tick=False):
        archive = client.get(reverse("reports:archive")).text
        detail = client.get(run.get_absolute_url()).text
    assert "Provisional" in archive
    assert "Provisional" in detail


def test_the_board_does_not_get_a_provisional_report(client, march, django_capture_on_commit_callbacks):
    run = request_board_report(march.users["ops"], django_capture_on_commit_callbacks)
    client.force_login(march.users["board"])
    assert run not in client.get(reverse("reports:archive")).context["runs"]
    assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 404


def test_a_provisional_report_is_emailed_as_provisional_and_not_to_the_board(march, board_schedule, mailoutbox):
    with time_machine.travel(MID_MARCH, tick=False):
        run, _ = services._new_run(kind=ReportKind.BOARD, period=Period.parse("2026-03"), scope=Scope(None),
                                   schedule=board_schedule)
        services.start_run(run.pk)
        services.finish_run(run.pk, content=b"%PDF-1.7\n%%EOF\n", pages=1)
        services.notify_report_ready(run.pk)
    assert [message.to for message in mailoutbox] == [["ops@example.org"]]
    assert "provisional" in mailoutbox[0].subject.lower()
    assert "has not ended" in mailoutbox[0].body


def test_a_run_started_before_the_month_ended_is_rebuilt_before_the_board_is_told(
    march, board_schedule, mailoutbox, django_capture_on_commit_callbacks
):
    """A manager's run started in the last hour of March and finished after midnight: its figures stop
    short of the month's end, so the dispatcher builds it again before anyone on the board hears of it."""
    with time_machine.travel(LAST_OF_MARCH, tick=False), django_capture_on_commit_callbacks(execute=False):
        run, _ = services.request_report(kind=ReportKind.BOARD, period="2026-03", scope=HOSPITAL,
                                         requested_by=march.users["ops"])
        services.start_run(run.pk)
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due_reports()  # joins the board schedule while the build is still running
        services.finish_run(run.pk, content=b"%PDF-1.7\n%%EOF\n", pages=1)
    run.refresh_from_db()
    assert run.provisional
    assert [m.to for m in mailoutbox if "board@example.org" in m.to] == []
    with time_machine.travel(JUST_AFTER_MIDNIGHT + dt.timedelta(hours=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due_reports()
    run.refresh_from_db()
    assert (run.status, run.provisional) == (ReportRun.Status.SUCCEEDED, False)
    assert ["board@example.org"] in [message.to for message in mailoutbox]


def test_a_month_without_rosters_has_no_staffing_figure(march):
    """February 2026 has staffing requirements but no roster: no data, not 0 % coverage missed."""
    february = Period.parse("2026-02")
    data = registry.sections["staffing"].build(Scope(None), february)
    coverage = next(f for f in data["key_figures"] if f.label == "Coverage of required shifts")
    assert (coverage.value, coverage.met) == (None, None)
    text = pdf_text(services.render_report(kind=ReportKind.BOARD, scope=Scope(None), period=february)[0])
    assert "Coverage of required shifts: no data for the period." in text
    assert "Coverage of required shifts was" not in text
