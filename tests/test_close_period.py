"""End to end: closing a demo month with dbt, against the CI build (target/ci.duckdb).

September 2026 is reconciled, written off with notes and signed by all three roles, after
July and August closed, so its close passes; October lacks the AI program lead's sign-off,
has a note-less write-off and an open residual, so its close must fail with a message
naming period, provider, amounts. Months close in order: without August's sign-offs,
September cannot close.
The closes run on a copy of the CI build (ci_copy), which other tests read meanwhile. The
module opens DuckDB read-only only between dbt runs: dbt needs the file's write lock.
"""

import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest
from helpers import CI_CLOSE_RECORDS, CI_DB, DEMO_RAW, run_dbt

pytestmark = pytest.mark.usefixtures("ci_build")


def close(ci_copy, period: str) -> subprocess.CompletedProcess:
    db, close_dir = ci_copy
    return run_dbt(
        ["test", "--select", "tag:close", "--vars", f'{{close_period: "{period}"}}'],
        raw_dir=DEMO_RAW,
        db=db,
        close_dir=close_dir,
    )


def test_a_month_within_tolerance_and_signed_off_closes(ci_copy):
    result = close(ci_copy, "2026-09")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout


def summary_amounts(period: str, provider: str) -> list[Decimal]:
    """The period summary's billed, observed, written-off and residual amounts, to the cent."""
    with duckdb.connect(str(CI_DB), read_only=True) as con:
        row = con.execute(
            "select billed_usd, observed_usd, written_off_usd, residual_usd"
            " from fct_period_summary where billing_period = ? and provider = ?",
            [period, provider],
        ).fetchone()
    return [Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP) for value in row]


def test_a_month_out_of_tolerance_fails_with_the_promised_message(ci_copy):
    billed, observed, written_off, residual = summary_amounts("2026-10", "openai")
    assert abs(residual) > 5  # the demo's October OpenAI residual is outside tolerance
    result = close(ci_copy, "2026-10")
    assert result.returncode != 0
    out = result.stdout
    assert "Close of 2026-10 blocked: period 2026-10, provider " in out
    assert (
        f"provider openai: billed {billed}, observed {observed},"
        f" written off {written_off}, residual {residual}"
    ) in out
    assert "is outside tolerance 5.00" in out
    assert "has 2 of 3 sign-offs" in out
    assert "written off by mia.chen@example.com without a note" in out


def test_a_month_cannot_close_while_an_earlier_month_is_open(tmp_path):
    # The demo without August's sign-offs: August stays open, so September, reconciled and
    # signed, neither closes in the build nor passes a close.
    raw = tmp_path / "raw"
    shutil.copytree(DEMO_RAW, raw)
    signoffs = raw / "signoffs" / "signoffs.csv"
    lines = signoffs.read_text().splitlines(keepends=True)
    signoffs.write_text("".join(line for line in lines if not line.startswith("2026-08,")))
    # A close-record folder whose name is a glob and has a quote: records are read as is.
    database, close_dir = tmp_path / "ci.duckdb", tmp_path / "close [o'neil]*"

    def build():
        # the models and the one data test this test reads (the CI build runs them all)
        return run_dbt(
            [
                "build",
                "--select",
                "resource_type:model resource_type:seed assert_close_period_follows_closed_periods",
                *("--indirect-selection", "empty"),
            ],
            raw_dir=raw,
            db=database,
            close_dir=close_dir,
        )

    built = build()
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as con:
        closed = con.execute(
            "select billing_period, is_closed, has_all_signoffs, is_within_tolerance"
            " from fct_period_summary where provider = 'all' order by 1"
        ).fetchall()
    assert closed == [
        ("2026-07", True, True, True),
        ("2026-08", False, False, True),
        ("2026-09", False, True, True),
        ("2026-10", False, False, False),
    ]
    assert sorted(path.name for path in close_dir.iterdir()) == ["close_period=2026-07"]
    assert "WARN" not in "".join(
        line for line in built.stdout.splitlines() if "follows_closed_periods" in line
    )
    result = run_dbt(
        ["test", "--select", "tag:close", "--vars", '{close_period: "2026-09"}'],
        raw_dir=raw,
        db=database,
        close_dir=close_dir,
    )
    assert result.returncode != 0
    assert (
        "Close of 2026-09 blocked: period 2026-09 cannot close while the earlier period"
        " 2026-08 is open: close 2026-08 first"
    ) in result.stdout
    # A September record from before (the CI build's) keeps September closed, and the
    # build warns that it follows an open month.
    shutil.copytree(
        CI_CLOSE_RECORDS / "close_period=2026-09",
        close_dir / "close_period=2026-09",
    )
    rebuilt = build()
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert "WARN 1 assert_close_period_follows_closed_periods" in rebuilt.stdout
