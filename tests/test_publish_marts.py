"""The BI publish step: a read-only copy of the marts that BI tools can query while a
build holds the pipeline's own database file."""

import shutil
import subprocess
import sys

import duckdb
import pytest
from helpers import DEMO_RAW

from ai_spend_recon.publish import publish

HOLD_WRITE_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create or replace table build_in_progress as select 1 as x")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture()
def build_db(ci_build, tmp_path):
    db = tmp_path / "build.duckdb"
    shutil.copy(ci_build, db)
    return db


def test_bi_reads_the_published_copy_while_a_build_holds_the_database(build_db, tmp_path):
    published = tmp_path / "marts.duckdb"
    marts = publish(build_db, published)
    assert "fct_period_summary" in marts and "fct_chargeback_ledger" in marts
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(build_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        with pytest.raises(duckdb.IOException):  # the pipeline's file is locked by the build
            duckdb.connect(str(build_db), read_only=True)
        with duckdb.connect(str(published), read_only=True) as bi:
            assert bi.execute("select count(*) from fct_period_summary").fetchone()[0] > 0
    finally:
        writer.kill()
        writer.wait()


def test_the_published_file_holds_only_marts_read_only_and_no_secrets(build_db, tmp_path):
    published = tmp_path / "marts.duckdb"
    publish(build_db, published)
    publish(build_db, published)  # idempotent: replaced, not appended
    assert published.stat().st_mode & 0o777 == 0o444
    with duckdb.connect(str(published), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
            ).fetchall()
        ]
        with pytest.raises(duckdb.Error):
            con.execute("create table x as select 1")
    assert tables and all(name.startswith("fct_") for name in tables)
    assert b"CANARY" not in published.read_bytes()
    assert b"CANARY" in b"".join(
        p.read_bytes() for p in (DEMO_RAW / "telemetry" / "litellm").glob("*.csv")
    )


def test_a_partial_publish_replaces_only_the_refreshed_marts(tmp_path):
    """The inbox's republish: the previous copy is reused, the refreshed marts and any new
    one come from the build, a mart the build no longer has goes."""
    build, published = tmp_path / "build.duckdb", tmp_path / "marts.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create schema main_marts")
        for name in ("fct_changed", "fct_unchanged", "fct_dropped"):
            con.execute(f"create table main_marts.{name} as select 1 as version")
    publish(build, published)
    with duckdb.connect(str(build)) as con:
        con.execute("create or replace table main_marts.fct_changed as select 2 as version")
        con.execute("create or replace table main_marts.fct_unchanged as select 2 as version")
        con.execute("create table main_marts.fct_new as select 2 as version")
        con.execute("drop table main_marts.fct_dropped")

    marts = publish(build, published, refresh=["fct_changed"])

    assert marts == ["fct_changed", "fct_new", "fct_unchanged"]
    with duckdb.connect(str(published), read_only=True) as bi:
        versions = dict(
            (name, bi.execute(f"select version from {name}").fetchone()[0]) for name in marts
        )
        tables = {
            name for (name,) in bi.execute("select table_name from duckdb_tables()").fetchall()
        }
    assert versions == {"fct_changed": 2, "fct_new": 2, "fct_unchanged": 1}
    assert tables == set(marts)
    assert (published.stat().st_mode & 0o777) == 0o444
