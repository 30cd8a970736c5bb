"""Benchmark a build whose landing zone holds a large CSV file of garbage lines.

It copies the hostile fixture landing zone (tests/fixtures/hostile_landing), adds a
LiteLLM spend-log CSV of N MB: the real header, then random unquoted lines of 1-8
comma-separated fields (never the header's 23), and runs the production `dbt build` on
it in its own process. It prints wall time, peak memory (RSS), the lines written, and what
the build recorded for the file (records counted, status, quarantine reason).

Usage: recon bench-garbage [--megabytes 200] [--workdir target/bench]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import string
from pathlib import Path

import duckdb

from ai_spend_recon.bench import DBT_BUILD, dbt_env, run_measured
from ai_spend_recon.paths import PROJECT_DIR

FIXTURE = PROJECT_DIR / "tests" / "fixtures" / "hostile_landing"
LITELLM = Path("telemetry") / "litellm"


def write_garbage_csv(path: Path, header: str, megabytes: int, seed: int = 0) -> int:
    """A CSV of the given header and random unquoted lines up to the size; returns the
    number of lines after the header."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + " "
    limit, size, lines = megabytes * 1_000_000, len(header), 0
    with path.open("w", newline="") as out:
        out.write(header)
        while size < limit:
            fields = (
                "".join(rng.choices(alphabet, k=rng.randint(1, 40)))
                for _ in range(rng.randint(1, 8))
            )
            line = ",".join(fields) + "\n"
            out.write(line)
            size += len(line)
            lines += 1
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=PROJECT_DIR / "target" / "bench")
    parser.add_argument("--memory-limit", default=os.environ.get("RECON_MEMORY_LIMIT", "3GB"))
    args = parser.parse_args(argv)

    home = (args.workdir / f"garbage_{args.megabytes}mb").resolve()
    shutil.rmtree(home, ignore_errors=True)
    raw = home / "raw"
    shutil.copytree(FIXTURE, raw)
    with (raw / LITELLM / "spend_logs_hostile.csv").open(newline="") as fixture:
        header = fixture.readline()
    garbage = raw / LITELLM / "garbage.csv"
    lines = write_garbage_csv(garbage, header, args.megabytes)

    database = home / "garbage.duckdb"
    env = dbt_env(raw, database, home / "close_records", args.memory_limit)
    log = home / "build.log"
    elapsed, rss, code = run_measured(DBT_BUILD, env, log)
    if code != 0:
        print(log.read_text()[-4000:])
        print(f"build failed (exit {code}); log: {log}")
        return 1
    with duckdb.connect(str(database), read_only=True) as con:
        counted, status = con.execute(
            "select landed_records, file_status from stg_landing__inventory where source_file = ?",
            [str(garbage)],
        ).fetchone()
        reasons = con.execute(
            "select quarantine_reason, count(*) from int_quarantined_rows_unioned"
            " where source_file = ? group by all",
            [str(garbage)],
        ).fetchall()
    print(f"garbage file: {garbage.stat().st_size / 1e6:.0f} MB, {lines:,} lines after the header")
    print(f"build: {elapsed:.1f} s, peak RSS {rss:.2f} GB (memory_limit {args.memory_limit})")
    print(f"recorded: {counted:,} records counted, file {status}, quarantine {reasons}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
