"""What an inbox action writes (ai_spend_recon.review_actions), without a build: the decision
records' checks and the file in the documented format, written whole or not at all."""

import csv
from datetime import UTC, datetime

import pytest

from ai_spend_recon.review_actions import (
    DECISION_COLUMNS,
    DecisionRefused,
    Line,
    Settings,
    allowed_actions,
    decision_rows,
    write_decision_file,
)

OPEN = Line("line_a", "2026-10", "openai", "unreconciled")
SUGGESTED = Line("line_b", "2026-10", "anthropic", "suggested")
CONFIRMED = Line("line_c", "2026-10", "openai", "confirmed")
DISPUTED = Line("line_d", "2026-10", "openai", "disputed")


def test_the_documented_columns_are_the_readers(demo_raw):
    header = (demo_raw / "decisions" / "decisions.csv").read_text().splitlines()[0]
    assert header.split(",") == DECISION_COLUMNS


@pytest.mark.parametrize(
    ("lines", "action", "actor", "note", "refusal"),
    [
        ([OPEN], "WRITE_OFF", "mia", "", "A write-off needs a note"),
        ([OPEN], "WRITE_OFF", "mia", " \n\t", "A write-off needs a note"),
        ([SUGGESTED], "DISPUTE", "mia", "  ", "A dispute needs a note"),
        (
            [CONFIRMED],
            "DISPUTE",
            "mia",
            "billed twice",
            "not an action for a line that is confirmed",
        ),
        ([DISPUTED], "DISPUTE", "mia", "again", "not an action for a line that is disputed"),
        ([OPEN], "DEFER", "  ", "", "Enter your name"),
        ([], "CONFIRM", "mia", "", "Select at least one line"),
        ([OPEN], "CONFIRM", "mia", "", "CONFIRM is not an action for a line that is unreconciled"),
        ([OPEN, CONFIRMED], "WRITE_OFF", "mia", "x", "not an action for a line that is confirmed"),
        ([OPEN], "WRITE_OFF", "mia", "key sk-proj-abcdefghijklmnop1234", "credential"),
        ([OPEN], "DEFER", "Bearer abcdefghijklmnop12345", "", "credential"),
    ],
)
def test_an_action_is_refused_with_a_reason(lines, action, actor, note, refusal):
    with pytest.raises(DecisionRefused, match=refusal):
        decision_rows(lines, action, actor, note)


def test_actions_follow_the_status():
    assert allowed_actions({"unreconciled"}) == ["WRITE_OFF", "DEFER", "DISPUTE"]
    assert allowed_actions({"suggested", "auto_matched"}) == [
        "CONFIRM",
        "WRITE_OFF",
        "DEFER",
        "DISPUTE",
    ]
    assert allowed_actions({"suggested", "unreconciled"}) == ["WRITE_OFF", "DEFER", "DISPUTE"]
    assert allowed_actions({"written_off", "deferred", "confirmed", "disputed"}) == ["REOPEN"]
    assert allowed_actions({"unreconciled", "confirmed"}) == []
    assert allowed_actions(set()) == []


def test_one_file_per_action_in_the_documented_format(tmp_path):
    settings = Settings(
        tmp_path, tmp_path / "raw", tmp_path / "b.duckdb", tmp_path / "m.duckdb", tmp_path
    )
    now = datetime(2026, 11, 24, 9, 30, 5, 123456, tzinfo=UTC)
    note = 'Fee, "platform"\nnot usage; =SUM(A1)'
    rows = decision_rows([OPEN, SUGGESTED], "WRITE_OFF", " mia.chen@example.com ", note, now)
    written = write_decision_file(settings, rows)
    again = write_decision_file(
        settings, decision_rows([OPEN], "DEFER", "mia.chen@example.com", "", now)
    )

    assert written != again and sorted(settings.decisions_dir.iterdir()) == sorted([written, again])
    text = written.read_text(encoding="utf-8")
    assert text.count("\n") == 3  # header and two records, the note's newline folded
    records = list(csv.DictReader(text.splitlines()))
    assert [r["line_key"] for r in records] == ["line_a", "line_b"]
    assert [r["provider"] for r in records] == ["openai", "anthropic"]
    assert {r["period"] for r in records} == {"2026-10"}
    assert {r["action"] for r in records} == {"WRITE_OFF"}
    assert {r["note"] for r in records} == {'Fee, "platform" not usage; =SUM(A1)'}
    assert {r["actor"] for r in records} == {"mia.chen@example.com"}
    assert {r["decided_at"] for r in records} == {"2026-11-24T09:30:05.123456Z"}
    assert len({r["decision_id"] for r in records}) == 2


def test_a_dispute_is_written_in_the_documented_format_with_its_note(tmp_path):
    settings = Settings(
        tmp_path, tmp_path / "raw", tmp_path / "b.duckdb", tmp_path / "m.duckdb", tmp_path
    )
    now = datetime(2026, 11, 24, 9, 30, 5, tzinfo=UTC)
    rows = decision_rows([OPEN], "DISPUTE", "mia", "Cached tokens charged twice", now)
    [record] = list(csv.DictReader(write_decision_file(settings, rows).open()))
    assert (record["line_key"], record["action"], record["note"]) == (
        "line_a",
        "DISPUTE",
        "Cached tokens charged twice",
    )
