"""Closed periods stay closed, across rebuilds and full refreshes.

The CI build closed September 2026 and wrote its close record (target/ci_close_records).
Here a copy of the demo landing zone receives what arrives after a close in real life: a
late invoice correction for September, and October's last sign-off with write-offs that
close October (finance also resolves the quarantined "TBD" recharge row). Build A (new
database, the CI records) must keep September as recorded,
post the difference as adjustment lines in October, and record October. Build B (another
new database, --full-refresh, the records now including October) must change nothing:
the adjustment is posted exactly once, in October, and never again.
"""

import csv
import hashlib
import shutil

import duckdb
import pytest
from helpers import CI_CLOSE_RECORDS, CI_DB, DEMO_RAW, run_dbt

LATE_CORRECTION = (
    "INV-OAI-202610-C,openai,org-demo01,2026-10-31,2026-10,INV-OAI-202610-C-001,adjustment,"
    "Late correction of September,,,,,-1.00,USD,2026-09\r\n"  # the file's own line ending
)

# The CI build closes 2026-09 into target/ci_close_records.
pytestmark = pytest.mark.usefixtures("ci_build")


def period_rows(db, periods):
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(
                f"select * from {table} where billing_period in ? order by all", [periods]
            ).fetchall()
            for table in ("fct_reconciliation_lines", "fct_chargeback_ledger", "fct_variances")
        }


@pytest.fixture(scope="module")
def builds(ci_build, tmp_path_factory):
    work = tmp_path_factory.mktemp("closed")
    raw = work / "raw"
    shutil.copytree(DEMO_RAW, raw)
    records = work / "close_records"
    shutil.copytree(CI_CLOSE_RECORDS, records)
    with open(raw / "invoices" / "openai_invoices.csv", "a") as invoices:
        invoices.write(LATE_CORRECTION)
    recharges = raw / "recharges" / "openai_balance.csv"  # finance resolves the TBD row
    recharges.write_bytes(
        b"".join(line for line in recharges.read_bytes().splitlines(True) if b",TBD," not in line)
    )
    with open(raw / "signoffs" / "signoffs.csv", "a") as signoffs:
        signoffs.write("2026-10,ai_program_lead,ai@example.com,2026-11-08T17:00:00Z\r\n")
    with open(raw / "decisions" / "decisions.csv", "a") as decisions:
        for number, provider in enumerate(["openai", "anthropic", "aws_bedrock"]):
            decisions.write(
                f"d_90{number},2026-10,{provider},*,WRITE_OFF,October closed by the test,"
                f"test@example.com,2026-11-08T12:00:00Z\r\n"
            )
    db_a, db_b = work / "a" / "ci.duckdb", work / "b" / "ci.duckdb"
    # Unit tests read no landing zone: the CI build runs them.
    build = ["build", "--exclude-resource-type", "unit_test"]
    result = run_dbt(build, raw_dir=raw, db=db_a, close_dir=records)
    assert result.returncode == 0, result.stdout[-4000:]
    # The full refresh compared with is built without data tests (the build of a ran them).
    result = run_dbt([*build, "test", "--full-refresh"], raw_dir=raw, db=db_b, close_dir=records)
    assert result.returncode == 0, result.stdout[-4000:]
    return {"a": db_a, "b": db_b, "records": records}


def test_the_closed_period_keeps_its_recorded_figures(builds):
    ci = period_rows(CI_DB, ["2026-09"])
    assert period_rows(builds["a"], ["2026-09"]) == ci
    assert period_rows(builds["b"], ["2026-09"]) == ci


def test_the_correction_is_posted_in_the_next_open_period(builds):
    with duckdb.connect(str(builds["a"]), read_only=True) as con:
        adjustments = con.execute(
            "select billing_period, corrects_period, provider, sum(billed_usd) "
            "from fct_reconciliation_lines where line_type = 'prior_period_adjustment' "
            "group by all order by all"
        ).fetchall()
        live, recorded = con.execute(
            """
            select
                (select sum(billed_usd) from int_reconciliation_line_tiers
                 where billing_period = '2026-09'),
                (select sum(billed_usd) from read_parquet(?))
            """,
            [str(builds["records"] / "close_period=2026-09" / "reconciliation_lines0.parquet")],
        ).fetchone()
    assert adjustments == [("2026-10", "2026-09", "openai", live - recorded)]
    assert live - recorded == -1


def test_october_closes_with_the_adjustment_and_nothing_is_posted_twice(builds):
    assert (builds["records"] / "close_period=2026-10" / "reconciliation_lines0.parquet").exists()
    assert period_rows(builds["b"], ["2026-09", "2026-10"]) == period_rows(
        builds["a"], ["2026-09", "2026-10"]
    )
    with duckdb.connect(str(builds["b"]), read_only=True) as con:
        assert con.execute(
            "select count(*) from fct_reconciliation_lines "
            "where line_type = 'prior_period_adjustment' and billing_period > '2026-10'"
        ).fetchone() == (0,)
        closed = con.execute(
            "select billing_period, bool_and(is_closed), bool_and(is_closed_by_record) "
            "from fct_period_summary where billing_period in ('2026-09', '2026-10') "
            "group by all order by all"
        ).fetchall()
    assert closed == [("2026-09", True, True), ("2026-10", True, True)]


def tampered_records(tmp_path, tamper):
    records = tmp_path / "close_records"
    shutil.copytree(CI_CLOSE_RECORDS, records)
    tamper(records / "close_period=2026-09")
    return run_dbt(
        ["build", "--select", "stg_close_records__reconciliation_lines"],
        raw_dir=DEMO_RAW,
        db=tmp_path / "ci.duckdb",
        close_dir=records,
    )


def interrupted_close(folder):
    # Killed while writing: a zero-byte Parquet file and no checksums.csv yet.
    (folder / "checksums.csv").unlink()
    (folder / "chargeback_ledger0.parquet").write_bytes(b"")


def emptied_checksums(folder):
    (folder / "checksums.csv").write_bytes(b"")


def altered_record(folder):
    path = folder / "reconciliation_lines0.parquet"
    with duckdb.connect() as con:
        con.execute(
            "copy (select * replace (billed_usd + 1000 as billed_usd) from read_parquet(?))"
            f" to '{path}.new' (format parquet)",
            [str(path)],
        )
    path.with_name(path.name + ".new").replace(path)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (interrupted_close, "has no checksums.csv"),
        (emptied_checksums, "has no checksums.csv"),
        (altered_record, "does not match its checksums.csv (reconciliation_lines0.parquet"),
    ],
)
def test_an_incomplete_or_altered_close_record_stops_the_load_naming_it(tmp_path, tamper, message):
    result = tampered_records(tmp_path, tamper)
    assert result.returncode != 0
    output = " ".join(result.stdout.split())
    assert "Close records cannot be used" in output
    assert f"close_period=2026-09 {message}" in output


def from_another_organization(folder):
    """The folder as another organization's close would have written it: its lines billed to
    its own OpenAI account, with checksums of its own that match."""
    path = folder / "reconciliation_lines0.parquet"
    with duckdb.connect() as con:
        con.execute(
            "copy (select * replace (case when provider = 'openai' then 'org-elsewhere'"
            " else billing_account_id end as billing_account_id) from read_parquet(?))"
            f" to '{path}.new' (format parquet)",
            [str(path)],
        )
    path.with_name(path.name + ".new").replace(path)
    with open(folder / "checksums.csv", "w", newline="") as checksums:
        writer = csv.writer(checksums)
        writer.writerow(["file_name", "sha256"])
        for parquet in sorted(folder.glob("*.parquet")):
            writer.writerow([parquet.name, hashlib.sha256(parquet.read_bytes()).hexdigest()])


def test_a_close_record_from_another_organization_stops_the_build_naming_it(tmp_path):
    records = tmp_path / "close_records"
    shutil.copytree(CI_CLOSE_RECORDS, records)
    from_another_organization(records / "close_period=2026-09")
    result = run_dbt(
        ["build", "--select", "stg_close_records__reconciliation_lines stg_config__billing_policy"],
        raw_dir=DEMO_RAW,
        db=tmp_path / "ci.duckdb",
        close_dir=records,
    )
    assert result.returncode != 0
    output = " ".join(result.stdout.split())
    assert "assert_close_records_belong_to_this_organization" in output
    assert "close_period=2026-09 records" in output and "openai account org-elsewhere" in output
