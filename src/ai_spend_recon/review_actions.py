"""What the reviewer inbox does besides showing marts: record a decision, rebuild, publish.

A reviewer's action is a decision record: one new CSV file in the landing zone's
`decisions/` folder, in the documented format (README "Decisions"), the same input a build
already reads. The file is written under a hidden name and renamed into place, so a build
never sees half of it; each action gets a file of its own, so two reviewers acting at once
never overwrite each other (append-only: the folder is the audit trail). Then only what
depends on decisions is rebuilt (dbt selector `reviewer_decisions`), one rebuild at a
time, and the marts are republished to the read-only copy the app reads.

Nothing here computes a figure: the statuses, residuals and tolerances are the marts'.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from ai_spend_recon.close_packet import write_packet
from ai_spend_recon.paths import PROJECT_DIR
from ai_spend_recon.publish import publish

DECISION_COLUMNS = [
    "decision_id",
    "period",
    "provider",
    "line_key",
    "action",
    "note",
    "actor",
    "decided_at",
]

# The actions each status offers (the reconciliation-inbox article): a match is confirmed,
# a line is written off (with a note), deferred to the next period or disputed (held as a
# claim against the provider, with a note saying why the bill is wrong), and a decided
# line is locked until it is reopened (back to its automatic status).
ACTIONS_BY_STATUS = {
    "unreconciled": ("WRITE_OFF", "DEFER", "DISPUTE"),
    "suggested": ("CONFIRM", "WRITE_OFF", "DEFER", "DISPUTE"),
    "auto_matched": ("CONFIRM", "WRITE_OFF", "DEFER", "DISPUTE"),
    "confirmed": ("REOPEN",),
    "written_off": ("REOPEN",),
    "deferred": ("REOPEN",),
    "disputed": ("REOPEN",),
}
# Actions whose decision must carry a note (the audit trail; without one the period's
# close fails: assert_write_offs_have_notes).
NOTE_REQUIRED = {
    "WRITE_OFF": "A write-off needs a note: it ends up on the audit trail.",
    "DISPUTE": "A dispute needs a note saying why the bill is wrong: it goes with the claim.",
}

BUSY_MARKERS = ("Could not set lock on file", "Conflicting lock is held")


class DecisionRefused(ValueError):
    """The action is not recorded; the message says why, for the reviewer."""


@dataclass(frozen=True)
class Settings:
    """Where the app reads and writes, from the same environment variables as the build."""

    project_dir: Path
    raw_dir: Path
    build_db: Path
    marts_db: Path
    packet_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        def path(name: str, default: str) -> Path:
            value = Path(os.environ.get(name, default))
            return value if value.is_absolute() else PROJECT_DIR / value

        return cls(
            project_dir=PROJECT_DIR,
            raw_dir=path("RECON_RAW_DIR", "demo/raw"),
            build_db=path("DBT_DUCKDB_PATH", "target/dev.duckdb"),
            marts_db=path("RECON_MARTS_DB", "target/marts.duckdb"),
            packet_dir=path("RECON_PACKET_DIR", "close_packets"),
        )

    @property
    def decisions_dir(self) -> Path:
        return self.raw_dir / "decisions"

    @property
    def status_file(self) -> Path:
        """The last rebuild's outcome, shown by the app (next to the marts copy)."""
        return self.marts_db.with_name(".inbox_rebuild.json")

    @property
    def lock_file(self) -> Path:
        return self.marts_db.with_name(".inbox_rebuild.lock")

    @property
    def rebuild_target_dir(self) -> Path:
        """dbt's target folder for the inbox's rebuilds (artifacts, run results)."""
        return self.marts_db.with_name("inbox_rebuild")


@dataclass(frozen=True)
class Line:
    """The fields of a fct_reconciliation_lines row an action needs."""

    reconciliation_line_id: str
    billing_period: str
    provider: str
    status: str


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    busy: bool
    seconds: float
    message: str
    finished_at: str


def credential_pattern() -> re.Pattern[str]:
    """The project's credential pattern (dbt var credential_pattern): one definition."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return re.compile(project["vars"]["credential_pattern"])


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def allowed_actions(statuses: set[str]) -> list[str]:
    """Actions every one of the given statuses offers, in the order of the buttons."""
    order = ["CONFIRM", "WRITE_OFF", "DEFER", "DISPUTE", "REOPEN"]
    if not statuses:
        return []
    return [a for a in order if all(a in ACTIONS_BY_STATUS.get(s, ()) for s in statuses)]


def decision_rows(
    lines: list[Line], action: str, actor: str, note: str, now: datetime | None = None
) -> list[dict[str, str]]:
    """The decision records for an action on lines, or DecisionRefused naming the problem."""
    actor, note = one_line(actor), one_line(note)
    if not lines:
        raise DecisionRefused("Select at least one line.")
    if not actor:
        raise DecisionRefused(
            "Enter your name or email as the reviewer: it goes on the audit trail."
        )
    if action in NOTE_REQUIRED and not note:
        raise DecisionRefused(NOTE_REQUIRED[action])
    pattern = credential_pattern()
    if pattern.search(note) or pattern.search(actor):
        raise DecisionRefused(
            "The note or the reviewer name looks like it contains a credential "
            "(an API key or token); remove it."
        )
    for line in lines:
        if action not in ACTIONS_BY_STATUS.get(line.status, ()):
            raise DecisionRefused(
                f"{action} is not an action for a line that is {line.status} "
                f"({line.reconciliation_line_id})."
            )
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    batch = uuid.uuid4().hex[:12]
    return [
        {
            "decision_id": f"inbox-{now:%Y%m%dT%H%M%S%f}-{batch}-{index:03d}",
            "period": line.billing_period,
            "provider": line.provider,
            "line_key": line.reconciliation_line_id,
            "action": action,
            "note": note,
            "actor": actor,
            "decided_at": stamp,
        }
        for index, line in enumerate(lines, start=1)
    ]


def write_decision_file(settings: Settings, rows: list[dict[str, str]]) -> Path:
    """Write the records as one new CSV in decisions/, atomically (hidden name, fsync,
    rename); never touches an existing file."""
    settings.decisions_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DECISION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    name = rows[0]["decision_id"]
    final = settings.decisions_dir / f"{name}.csv"
    partial = settings.decisions_dir / f".{name}.csv.partial"
    with partial.open("w", newline="", encoding="utf-8") as fh:
        fh.write(buffer.getvalue())
        fh.flush()
        os.fsync(fh.fileno())
    os.rename(partial, final)
    return final


def record_decision(
    settings: Settings, lines: list[Line], action: str, actor: str, note: str
) -> Path:
    """Validate and write one action's decision file; return its path."""
    return write_decision_file(settings, decision_rows(lines, action, actor, note))


def failure_message(output: str) -> str:
    """The part of dbt's output that says what failed (its summary), else its tail."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if "Completed with" in line or "Encountered an error" in line:
            return "\n".join(lines[index:]).strip()
    return "\n".join(lines[-30:]).strip()


def rebuilt_marts(settings: Settings) -> list[str]:
    """The marts (fct_*) the last rebuild built, from its run results."""
    results = json.loads((settings.rebuild_target_dir / "run_results.json").read_text())
    return sorted(
        result["unique_id"].rsplit(".", 1)[-1]
        for result in results["results"]
        if result["unique_id"].startswith("model.")
        and result["unique_id"].rsplit(".", 1)[-1].startswith("fct_")
        and result["status"] == "success"
    )


def rebuild(
    settings: Settings, periods: list[str] | None = None, timeout_seconds: int = 600
) -> BuildResult:
    """Rebuild what depends on decisions, republish the marts and rewrite the close packet
    of each period acted on (its memo and chargeback change with decisions), one rebuild
    at a time (a second reviewer's rebuild waits, then includes both decisions). Records
    the outcome in the status file the app shows."""
    settings.lock_file.parent.mkdir(parents=True, exist_ok=True)
    with settings.lock_file.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.monotonic()
        env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(settings.project_dir),
            "RECON_RAW_DIR": str(settings.raw_dir),
            "DBT_DUCKDB_PATH": str(settings.build_db),
        }
        dbt = Path(sys.executable).with_name("dbt")
        command = [
            str(dbt),
            "build",
            "--selector",
            "reviewer_decisions",
            "--target",
            "dev",
            # Its own target folder: the run results say which marts it rebuilt, and a
            # user's own dbt run elsewhere keeps its artifacts.
            "--target-path",
            str(settings.rebuild_target_dir),
        ]
        # The load first: it reads the new decision file (and whatever else landed) into
        # the raw tables the decisions staging model selects from.
        load = [sys.executable, "-m", "ai_spend_recon.load"]
        try:
            for step in (load, command):
                done = subprocess.run(
                    step,
                    cwd=settings.project_dir,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout_seconds,
                )
                output, ok = done.stdout + done.stderr, done.returncode == 0
                if not ok:
                    break
        except subprocess.TimeoutExpired:
            output, ok = f"the rebuild took longer than {timeout_seconds} s and was stopped", False
        if ok:
            try:
                publish(settings.build_db, settings.marts_db, rebuilt_marts(settings))
                for period in sorted(set(periods or [])):
                    write_packet(settings.build_db, settings.packet_dir, period)
            except (OSError, ValueError, KeyError, SystemExit, duckdb.Error) as error:
                output, ok = f"publishing the marts or the close packet failed: {error}", False
        result = BuildResult(
            ok=ok,
            busy=not ok and any(marker in output for marker in BUSY_MARKERS),
            seconds=round(time.monotonic() - started, 1),
            message="" if ok else failure_message(output),
            finished_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        settings.status_file.write_text(json.dumps(result.__dict__, indent=2) + "\n")
        return result


def last_rebuild(settings: Settings) -> BuildResult | None:
    """The outcome of the app's last rebuild, if any."""
    try:
        return BuildResult(**json.loads(settings.status_file.read_text()))
    except (OSError, ValueError, TypeError):
        return None
