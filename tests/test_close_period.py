"""End to end: closing a demo month with dbt, against the CI build (target/ci.duckdb).

September 2026 is reconciled, written off with notes and signed by all three roles, so its
close passes; October lacks the AI program lead's sign-off, has a note-less write-off and
an open residual, so its close must fail with a message naming period, provider, amounts.
This module opens no DuckDB connection of its own: dbt needs the file's write lock.
"""

import subprocess

import pytest
from helpers import ROOT, run_dbt

DB = ROOT / "target" / "ci.duckdb"

pytestmark = pytest.mark.skipif(not DB.exists(), reason="run `make test` (builds target/ci.duckdb)")


def close(period: str) -> subprocess.CompletedProcess:
    return run_dbt(
        ["test", "--select", "tag:close", "--vars", f'{{close_period: "{period}"}}'],
        raw_dir=ROOT / "demo" / "raw",
        db=DB,
        close_dir=ROOT / "target" / "ci_close_records",
    )


def test_a_month_within_tolerance_and_signed_off_closes():
    result = close("2026-09")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout


def test_a_month_out_of_tolerance_fails_with_the_promised_message():
    result = close("2026-10")
    assert result.returncode != 0
    out = result.stdout
    assert "Close of 2026-10 blocked: period 2026-10, provider " in out
    assert "provider openai: billed 42.78, observed 14.15, written off 0.09, residual 28.53" in out
    assert "is outside tolerance 5.00" in out
    assert "has 2 of 3 sign-offs" in out
    assert "written off by mia.chen@example.com without a note" in out
