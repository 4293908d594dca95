"""The auto-scheduler on the public nurse-rostering benchmark, through the product's own path
(`manage.py solve_nrp`), judged by an independent reading of FORMAT.md written here."""

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

INSTANCES = Path(settings.BASE_DIR).parent / "shared" / "nrp" / "instances"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (INSTANCES / "Instance1.txt").exists(), reason=f"no benchmark instances at {INSTANCES}"),
]


def read_sections(text: str) -> dict[str, list[list[str]]]:
    sections, current = {}, None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            current = sections.setdefault(line, [])
        else:
            current.append([field.strip() for field in line.split(",")])
    return sections


def rescore(instance_text: str, roster_rows: list[list[str]]) -> tuple[int, int]:
    """(score, number of broken hard rules) of a roster, straight from FORMAT.md."""
    sec = read_sections(instance_text)
    horizon = int(sec["SECTION_HORIZON"][0][0])
    length = {row[0]: int(row[1]) for row in sec["SECTION_SHIFTS"]}
    banned = {row[0]: set(filter(None, row[2].split("|"))) if len(row) > 2 else set() for row in sec["SECTION_SHIFTS"]}
    plan: dict[str, list[str | None]] = {row[0]: [None] * horizon for row in sec["SECTION_STAFF"]}
    broken = 0
    for employee, day, shift in roster_rows:
        if plan[employee][int(day)] is not None:
            broken += 1  # two shifts a day
        plan[employee][int(day)] = shift
    for row in sec["SECTION_STAFF"]:
        days = plan[row[0]]
        limits = dict(item.split("=") for item in row[1].split("|"))
        max_min, min_min, max_run, min_run, min_off, max_we = (int(v) for v in row[2:8])
        broken += sum(1 for d in range(horizon - 1) if days[d] and days[d + 1] in banned[days[d]])
        broken += sum(1 for s, limit in limits.items() if days.count(s) > int(limit))
        minutes = sum(length[s] for s in days if s)
        broken += int(minutes > max_min) + int(minutes < min_min)
        runs, start = [], 0
        for i in range(1, horizon + 1):
            if i == horizon or bool(days[i]) != bool(days[start]):
                runs.append((bool(days[start]), i - start, start > 0 and i < horizon))
                start = i
        broken += sum(1 for on, n, _ in runs if on and n > max_run)
        broken += sum(1 for on, n, inner in runs if on and inner and n < min_run)
        broken += sum(1 for on, n, inner in runs if not on and inner and n < min_off)
        weekends = sum(1 for w in range(horizon // 7) if days[7 * w + 5] or days[7 * w + 6])
        broken += int(weekends > max_we)
    for row in sec.get("SECTION_DAYS_OFF", []):
        broken += sum(1 for d in row[1:] if d and plan[row[0]][int(d)])
    score = 0
    for employee, day, shift, weight in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        score += int(weight) * (plan[employee][int(day)] != shift)
    for employee, day, shift, weight in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        score += int(weight) * (plan[employee][int(day)] == shift)
    staffed = Counter((d, s) for days in plan.values() for d, s in enumerate(days) if s)
    for day, shift, need, under, over in sec["SECTION_COVER"]:
        have = staffed[(int(day), shift)]
        score += int(under) * max(0, int(need) - have) + int(over) * max(0, have - int(need))
    return score, broken


def solve(path: Path, tmp_path, *args) -> tuple[dict, list[list[str]]]:
    out = tmp_path / "roster.csv"
    stdout = io.StringIO()
    call_command("solve_nrp", str(path), "--out", str(out), *args, stdout=stdout)
    line = json.loads(stdout.getvalue().strip().splitlines()[-1])
    return line, list(csv.reader(out.open()))


def test_instance1_reaches_its_proven_optimum_in_under_ten_seconds(tmp_path):
    line, rows = solve(INSTANCES / "Instance1.txt", tmp_path, "--time-limit", "10", "--workers", "2", "--seed", "1")

    # 607 is reached within the 10 s limit (about 1.5 s, proven optimal, on an idle machine; a
    # machine shared with other work may not finish the proof in time, but still reaches 607).
    assert line["instance"] == "Instance1"
    assert line["score"] == 607
    assert line["hard_violations"] == 0
    assert line["seconds"] < 10.5
    assert line["best_bound"] <= 607
    assert rescore((INSTANCES / "Instance1.txt").read_text(), rows) == (607, 0)


def test_the_csv_of_a_larger_instance_rescores_to_the_printed_score(tmp_path):
    line, rows = solve(INSTANCES / "Instance2.txt", tmp_path, "--time-limit", "3", "--workers", "1")

    assert line["hard_violations"] == 0
    assert rescore((INSTANCES / "Instance2.txt").read_text(), rows) == (line["score"], 0)


def test_the_same_seed_and_workers_give_the_same_roster(tmp_path):
    args = ("--time-limit", "0.4", "--workers", "2", "--seed", "7", "--deterministic")
    first, rows_a = solve(INSTANCES / "Instance2.txt", tmp_path, *args)
    second, rows_b = solve(INSTANCES / "Instance2.txt", tmp_path, *args)

    assert rows_a == rows_b
    assert first["score"] == second["score"]


def test_it_explains_a_unit_whose_rules_cannot_be_kept_rather_than_crashing(tmp_path):
    # Nurse B must work at least 10 shifts of 480 minutes in 7 days.
    path = tmp_path / "Impossible.txt"
    path.write_text(
        "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
        "A,D=7,3360,0,7,1,1,2\nB,D=7,5000,4800,7,1,1,2\n\n"
        "SECTION_COVER\n" + "".join(f"{d},D,1,100,1\n" for d in range(7))
    )
    line, rows = solve(path, tmp_path, "--time-limit", "2")

    assert line["score"] is None and rows == []
    assert line["status"] == "infeasible"
    assert any("Nurse B" in text and "hours in period" in text for text in line["explanation"])
