"""Closed periods' records (RECON_CLOSE_DIR), verified before anything is loaded from them.

When a period closes, the build's on-run-end hook (macros/record_closed_periods.sql) writes one
folder per period: close_period=YYYY-MM/ with reconciliation_lines0.parquet,
chargeback_ledger0.parquet and, last, checksums.csv (SHA-256 of both). A record is never
rewritten. On Spark each file is a folder holding one part file (INSERT OVERWRITE
DIRECTORY): reconciliation_lines/part-*.parquet, chargeback_ledger/part-*.parquet and
checksums/part-*.csv, whose file names are paths below the period's folder. The load reads
every record back into raw.close_records__<table>, typed as the mart
it records, so a closed period's lines and chargeback come from its record; none is loaded
unless every record folder is whole and unaltered.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import yaml

#: The recorded tables and the mart each records.
RECORDED_MARTS = {
    "reconciliation_lines": "fct_reconciliation_lines",
    "chargeback_ledger": "fct_chargeback_ledger",
}


class CloseRecordError(ValueError):
    """A close record that is not exactly what its close wrote."""


def record_folders(close_dir: str) -> list[Path]:
    root = Path(close_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("close_period=*") if p.is_dir())


def checksums_file(folder: Path) -> Path | None:
    """The record's checksums: checksums.csv, or the part file of a checksums/ folder."""
    if (folder / "checksums.csv").is_file():
        return folder / "checksums.csv"
    return next(iter(sorted(folder.glob("checksums/part-*.csv"))), None)


def record_files(folder: Path, table: str = "") -> list[Path]:
    """A record's Parquet files of one table (or all): <table>0.parquet as DuckDB writes
    them, <table>/part-*.parquet as Spark does."""
    return sorted(
        [*folder.glob(f"{table}*.parquet"), *folder.glob(f"{table or '*'}/part-*.parquet")]
    )


def verify(close_dir: str) -> None:
    """Stop, naming the folder and what to do, when a record is not exactly what its close
    wrote: checksums.csv missing or empty (a close interrupted before it finished, or the
    file removed), a listed file missing, an unlisted file present, or a file whose SHA-256
    differs."""
    problems = []
    for folder in record_folders(close_dir):
        checksums = checksums_file(folder)
        if checksums is None or checksums.stat().st_size == 0:
            problems.append(
                f"{folder} has no checksums.csv (a close that did not finish, or a removed"
                " file): if its close was interrupted, delete the folder and build again to"
                " close the period; otherwise restore the folder from backup"
            )
            continue
        with checksums.open(newline="") as handle:
            listed = {row["file_name"]: row["sha256"] for row in csv.DictReader(handle)}
        present = {
            path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in record_files(folder)
        }
        differing = sorted(
            name for name in listed.keys() | present.keys() if listed.get(name) != present.get(name)
        )
        if differing:
            problems.append(
                f"{folder} does not match its checksums.csv ({', '.join(differing)} altered,"
                " missing or added): restore the folder from backup; a closed period is never"
                " rewritten"
            )
    if problems:
        raise CloseRecordError(
            "Close records cannot be used, so nothing was loaded from them: " + "; ".join(problems)
        )


def recorded_columns(project_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Each recorded table's columns: its mart's enforced contract
    (models/marts/finance/_finance__models.yml), then close_period."""
    path = project_dir / "models" / "marts" / "finance" / "_finance__models.yml"
    models = {m["name"]: m for m in yaml.safe_load(path.read_text())["models"]}
    return {
        table: [(c["name"], c["data_type"]) for c in models[mart]["columns"]]
        + [("close_period", "varchar")]
        for table, mart in RECORDED_MARTS.items()
    }
