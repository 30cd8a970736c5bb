"""Idempotency and determinism: a second build on the same exports, with every export
landed twice (an identical re-pull of each provider's pages, a second copy of each CSV),
publishes marts identical to the CI build's, table by table (ordered rows, hashed).

One deliberate exception: a bad row is listed in the quarantine once per copy that
carries it (distinct bad rows can share a key, so bad rows are never deduplicated), so
fct_exceptions' quarantined_row items (and fct_period_summary's quarantined_row_count and
quarantined_amount) are compared separately: twice as many, same kinds. And a second: the
monthly report's data_exported_on is the date of the latest export that delivered the
period's billing data, so a re-pull on a later day (pull_2026-11-03) and a copy landed today
are later exports: the date moves to theirs, every figure stays."""

import hashlib
import shutil

import duckdb
import pytest
from helpers import CI_DB, DEMO_RAW, run_dbt

pytestmark = pytest.mark.usefixtures("ci_build")


def mart_hashes(db, *, with_fingerprints=False, with_export_dates=True):
    """Per mart, a hash of its column types and ordered rows. day_fingerprint names the
    landed files a day was built from, so it differs between landing zones holding the same
    records; it is left out unless with_fingerprints. The monthly report's data_exported_on
    (when the landed exports were made) is left out when not with_export_dates."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_name like 'fct\\_%' escape '\\' order by table_name"
            ).fetchall()
        ]
        hashes = {}
        for table in tables:
            columns = con.execute(
                "select string_agg(column_name || ' ' || data_type, ', ' "
                "order by ordinal_position) from information_schema.columns where table_name = ?",
                [table],
            ).fetchone()[0]
            where = "where kind != 'quarantined_row'" if table == "fct_exceptions" else ""
            star = (
                "* exclude (quarantined_row_count, quarantined_amount)"
                if table == "fct_period_summary"
                else "* exclude (day_fingerprint)"
                if table == "fct_request_costs" and not with_fingerprints
                else "* exclude (data_exported_on)"
                if table == "fct_monthly_report" and not with_export_dates
                else "*"
            )
            rows = con.execute(f'select {star} from "{table}" {where} order by all').fetchall()
            hashes[table] = hashlib.sha256(repr((columns, rows)).encode()).hexdigest()
        return hashes


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    work = tmp_path_factory.mktemp("determinism")
    raw = work / "raw"
    shutil.copytree(DEMO_RAW, raw)
    for pull in sorted(raw.glob("*/*/pull_2026-11-02")):
        shutil.copytree(pull, pull.with_name("pull_2026-11-03"))
    for csv in sorted(raw.rglob("*.csv")):
        shutil.copy(csv, csv.with_name(f"zz_second_copy_of_{csv.name}"))
    db = work / "ci.duckdb"
    result = run_dbt(
        # Unit tests read no landing zone: the CI build runs them.
        ["build", "--exclude-resource-type", "unit_test"],
        raw_dir=raw,
        db=db,
        close_dir=work / "close_records",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def test_landing_every_export_twice_changes_no_mart(rebuilt):
    first = mart_hashes(CI_DB, with_export_dates=False)
    second = mart_hashes(rebuilt, with_export_dates=False)
    assert len(first) >= 9
    assert {t for t in first if first[t] != second.get(t)} == set()


def test_a_later_export_of_the_same_data_moves_only_the_export_date(rebuilt):
    query = (
        "select distinct billing_period, provider, data_exported_on from fct_monthly_report"
        " where data_exported_on is not null order by all"
    )
    with duckdb.connect(str(CI_DB), read_only=True) as con:
        first = con.execute(query).fetchall()
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        second = con.execute(query).fetchall()
    assert first and [row[:2] for row in first] == [row[:2] for row in second]
    assert all(later[2] >= earlier[2] for earlier, later in zip(first, second, strict=True))
    assert any(later[2] > earlier[2] for earlier, later in zip(first, second, strict=True))


def test_the_duplicates_were_really_landed_and_superseded(rebuilt):
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        superseded = con.execute(
            "select count(*) from stg_invoices__invoice_lines where record_status = 'superseded'"
        ).fetchone()[0]
        valid = con.execute(
            "select count(*) from stg_invoices__invoice_lines where record_status = 'valid'"
        ).fetchone()[0]
    assert superseded == valid > 0


def test_a_bad_row_landed_twice_is_listed_per_copy(rebuilt):
    query = (
        "select billing_period, subject, sum(item_count) from fct_exceptions "
        "where kind = 'quarantined_row' group by all order by all"
    )
    with duckdb.connect(str(CI_DB), read_only=True) as con:
        first = con.execute(query).fetchall()
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        second = con.execute(query).fetchall()
    assert first and [(p, s, 2 * n) for p, s, n in first] == second
