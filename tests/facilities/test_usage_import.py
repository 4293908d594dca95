"""The usage-session import in chunks: a resend changes nothing, overlaps are refused with their reasons and
leave nothing behind (however many chunks were already checked), permissions hold. SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from facilities import equipment_services as services
from facilities.models import UsageSession
from hospital_ops.scoping import hospital_zone

from .equipment_fixtures import asset, kind, site

DAY = dt.date(2026, 3, 2)


def at(hour, minute=0, day=DAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hospital_zone())


@pytest.fixture
def ct(hospital):
    site(hospital)
    return asset(hospital.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))


def row(scanner, sender, starts_at, minutes=20, exam="CT head"):
    return {"sender_id": sender, "asset": scanner, "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=minutes), "exam_type": exam}


def day_of_exams(scanner, count, prefix="RIS-"):
    """`count` back-to-back 20-minute exams from 08:00 (across days when many)."""
    return [row(scanner, f"{prefix}{n}", at(8) + dt.timedelta(minutes=20 * n)) for n in range(count)]


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_resent_batch_changes_nothing(hospital, ct):
    ops = hospital.users["ops"]
    rows = day_of_exams(ct, 5)
    assert services.record_usage_sessions(actor=ops, rows=rows) == {"created": 5, "skipped": 0}
    assert services.record_usage_sessions(actor=ops, rows=rows) == {"created": 0, "skipped": 5}
    assert UsageSession.objects.count() == 5


def test_known_sessions_are_skipped_and_new_ones_added(hospital, ct):
    ops = hospital.users["ops"]
    services.record_usage_sessions(actor=ops, rows=day_of_exams(ct, 3))
    assert services.record_usage_sessions(actor=ops, rows=day_of_exams(ct, 6)) == {"created": 3, "skipped": 3}
    stored = UsageSession.objects.order_by("starts_at")
    assert [s.sender_id for s in stored] == [f"RIS-{n}" for n in range(6)]
    assert stored[0].exam_type == "CT head" and stored[0].starts_at == at(8)


def test_overlapping_sessions_in_one_batch_are_refused_with_both_named(hospital, ct):
    rows = [row(ct, "A", at(9)), row(ct, "B", at(9, 10)), row(ct, "C", at(11))]
    with pytest.raises(ValidationError) as refused:
        services.record_usage_sessions(actor=hospital.users["ops"], rows=rows)
    assert "row 1 (A)" in messages(refused.value) and "row 2 (B)" in messages(refused.value)
    assert "CT-1" in messages(refused.value)
    assert not UsageSession.objects.exists()


def test_a_session_overlapping_a_recorded_one_is_refused_and_the_batch_not_saved(hospital, ct):
    ops = hospital.users["ops"]
    services.record_usage_sessions(actor=ops, rows=[row(ct, "OLD", at(9), minutes=60)])
    rows = [row(ct, "NEW-1", at(7)), row(ct, "NEW-2", at(9, 30))]
    with pytest.raises(ValidationError) as refused:
        services.record_usage_sessions(actor=ops, rows=rows)
    text = messages(refused.value)
    assert "row 2 (NEW-2)" in text and "OLD" in text and "2026-03-02 09:00 to 10:00" in text
    assert "NEW-1" not in text
    assert list(UsageSession.objects.values_list("sender_id", flat=True)) == ["OLD"]


def test_a_long_recorded_session_still_counts_as_an_overlap(hospital, ct):
    ops = hospital.users["ops"]
    services.record_usage_sessions(actor=ops, rows=[row(ct, "LONG", at(0), minutes=20 * 60)])  # 00:00 to 20:00
    with pytest.raises(ValidationError, match="LONG"):
        services.record_usage_sessions(actor=ops, rows=[row(ct, "LATE", at(19, 30))])


def test_sessions_that_only_touch_are_accepted(hospital, ct):
    rows = [row(ct, "A", at(9)), row(ct, "B", at(9, 20)), row(ct, "C", at(9, 40))]
    assert services.record_usage_sessions(actor=hospital.users["ops"], rows=rows)["created"] == 3


def test_a_batch_larger_than_one_chunk_is_stored_whole(hospital, ct, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(services, "USAGE_CHUNK", 4)
    rows = day_of_exams(ct, 10)
    # the actor's roles, a savepoint pair, the asset lock, three lookups of known ids, the longest session per
    # asset, and per chunk one overlap check, a savepoint pair and the insert
    with django_assert_max_num_queries(1 + 2 + 1 + 3 + 1 + 3 * 4):
        assert services.record_usage_sessions(actor=hospital.users["ops"], rows=rows) == {"created": 10, "skipped": 0}
    assert UsageSession.objects.count() == 10


def test_an_overlap_in_a_later_chunk_leaves_the_earlier_chunks_unsaved(hospital, ct, monkeypatch):
    ops = hospital.users["ops"]
    monkeypatch.setattr(services, "USAGE_CHUNK", 4)
    services.record_usage_sessions(actor=ops, rows=[row(ct, "OLD", at(12))])
    rows = day_of_exams(ct, 12, prefix="NEW-")  # 08:00 to 12:00: the last one, in the third chunk, meets OLD
    rows[-1]["ends_at"] += dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as refused:
        services.record_usage_sessions(actor=ops, rows=rows)
    assert "row 12 (NEW-11)" in messages(refused.value)
    assert list(UsageSession.objects.values_list("sender_id", flat=True)) == ["OLD"]


def test_an_overlap_across_a_chunk_boundary_is_found(hospital, ct, monkeypatch):
    monkeypatch.setattr(services, "USAGE_CHUNK", 2)
    rows = [row(ct, "A", at(9)), row(ct, "B", at(11)), row(ct, "C", at(9, 5))]
    with pytest.raises(ValidationError, match="row 1 \\(A\\).*row 3 \\(C\\)"):
        services.record_usage_sessions(actor=hospital.users["ops"], rows=rows)
    assert not UsageSession.objects.exists()


def test_bad_rows_are_refused_each_with_its_reason(hospital, ct):
    rows = [row(ct, "A", at(9)), row(ct, "B", at(10), minutes=-5), row(ct, "C", at(11), minutes=25 * 60)]
    with pytest.raises(ValidationError) as refused:
        services.record_usage_sessions(actor=hospital.users["ops"], rows=rows)
    assert refused.value.messages == ["Row 2: a session ends after it starts.",
                                      "Row 3: a session lasts at most 24 hours."]
    assert not UsageSession.objects.exists()


def test_many_problems_are_listed_up_to_a_limit(hospital, ct):
    rows = [row(ct, f"X{n}", at(9)) for n in range(30)]
    with pytest.raises(ValidationError) as refused:
        services.record_usage_sessions(actor=hospital.users["ops"], rows=rows)
    assert len(refused.value.messages) == services.MAX_REASONS + 1
    assert refused.value.messages[-1].startswith("… and more")


def test_another_department_records_nothing(hospital, ct):
    with pytest.raises(PermissionDenied):
        services.record_usage_sessions(actor=hospital.users["head_surg"], rows=day_of_exams(ct, 2))
    assert not UsageSession.objects.exists()


def test_the_department_head_and_a_technician_may_record(hospital, ct):
    assert services.record_usage_sessions(actor=hospital.users["head_med"], rows=day_of_exams(ct, 1))["created"] == 1
    rows = day_of_exams(ct, 2)[1:]
    assert services.record_usage_sessions(actor=hospital.users["technician"], rows=rows)["created"] == 1


def test_sender_ids_and_exam_names_are_stored_as_sent(hospital, ct):
    odd = "RIS\\7\tA"
    services.record_usage_sessions(actor=hospital.users["ops"], rows=[row(ct, odd, at(9), exam="CT\nhead \\ neck")])
    stored = UsageSession.objects.get()
    assert (stored.sender_id, stored.exam_type) == (odd, "CT\nhead \\ neck")
