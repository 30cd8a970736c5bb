"""The demo on Spark is the demo on DuckDB (README "On Spark").

The Spark build runs as README says a user runs it, into a Spark home of its own: `recon
load --engine spark`, `dbt build --target spark`, `recon publish --engine spark`. Every mart
must then hold exactly the rows of the CI build on DuckDB, money to the last decimal
(columns compared by name: Spark puts a partition column last), and the close records the
Spark build wrote must pass the loader's verification and hold the rows DuckDB's do.
`make test` installs local Spark first (make spark-setup): a missing pyspark or Java fails
here, never skips. About 7 to 11 minutes on 2 cores, most of it dbt build on Spark.
"""

import os
import shutil

import duckdb
import pytest
from conftest import BIN, build_lock, run_step
from helpers import CI_CLOSE_RECORDS, ROOT

from ai_spend_recon.load import close_records

SPARK_HOME = ROOT / "target" / "test_spark"


@pytest.fixture(scope="session")
def spark_build(demo_raw):
    """The demo built on local Spark and published: the marts' DuckDB copy. Built when
    target/test_spark holds none (`make test` deletes it first, as it does the CI build)."""
    marts = SPARK_HOME / "published.duckdb"
    with build_lock("test_spark"):
        if not marts.exists():
            shutil.rmtree(SPARK_HOME, ignore_errors=True)
            env = {
                **os.environ,
                "DBT_PROFILES_DIR": str(ROOT),
                "RECON_RAW_DIR": str(demo_raw),
                "RECON_SPARK_HOME": str(SPARK_HOME),
                "RECON_CLOSE_DIR": str(SPARK_HOME / "close_records"),
            }
            run_step([str(BIN / "recon"), "load", "--engine", "spark"], env)
            run_step([str(BIN / "dbt"), "build", "--target", "spark"], env)
            run_step([str(BIN / "recon"), "publish", "--engine", "spark", "--out", str(marts)], env)
    return marts


def columns_of(con, relation: str) -> list[str]:
    return sorted(row[0] for row in con.execute(f"describe select * from {relation}").fetchall())


def rows_only_on_one_side(con, relations: dict[str, str]) -> dict[str, int]:
    """Rows of each relation that the other lacks (as multisets), compared by column name:
    {"<side>": count} for each side that has any."""
    (left, left_sql), (right, right_sql) = relations.items()
    columns = columns_of(con, left_sql)
    assert columns_of(con, right_sql) == columns, f"columns differ: {relations}"
    listed = ", ".join(f'"{c}"' for c in columns)
    found = {}
    for side, one, other in ((left, left_sql, right_sql), (right, right_sql, left_sql)):
        (only,) = con.execute(
            f"select count(*) from (select {listed} from {one}"
            f" except all select {listed} from {other})"
        ).fetchone()
        if only:
            found[side] = only
    return found


# Columns whose text each engine writes its own way: day_fingerprint hashes the text of the
# configuration rows, which DuckDB casts to VARCHAR and Spark writes as JSON (macro
# row_as_text); it is only ever compared with a fingerprint of the same engine.
ENGINE_OWN_COLUMNS = {"fct_request_costs": ["day_fingerprint"]}


def test_every_mart_holds_the_same_rows_on_spark(ci_build, spark_build):
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{ci_build}' as duck (read_only)")
        con.execute(f"attach '{spark_build}' as spark (read_only)")
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'duck'"
                " and table_name like 'fct\\_%' escape '\\' order by 1"
            ).fetchall()
        ]
        assert marts, "the CI build has no marts"
        differences = {
            mart: found
            for mart in marts
            if (
                found := rows_only_on_one_side(
                    con,
                    {
                        engine: f"(select * exclude ({', '.join(excluded)}) from {relation})"
                        if (excluded := ENGINE_OWN_COLUMNS.get(mart))
                        else relation
                        for engine, relation in (
                            ("duckdb", f"duck.main.{mart}"),
                            ("spark", f"spark.main.{mart}"),
                        )
                    },
                )
            )
        }
        assert not differences, f"rows only on one engine: {differences}"


def test_the_spark_raw_tables_are_the_contracts_as_on_duckdb(ci_build, spark_build):
    """One contract, both engines: every raw table handed to Spark (the Parquet its
    metastore table reads) holds the rows and columns of the same table loaded on DuckDB
    (the inventory's loaded_at aside)."""
    exported = SPARK_HOME / "raw"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{ci_build}' as duck (read_only)")
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = 'duck' and table_schema = 'raw' order by 1"
            ).fetchall()
        ]
        assert sorted(p.name for p in exported.iterdir() if p.is_dir()) == tables
        differences = {}
        for table in tables:
            scan = f"read_parquet('{exported / table}/*.parquet')"
            relations = {"duckdb": f"duck.raw.{table}", "spark": scan}
            if table == "landed_files":
                relations = {
                    side: f"(select * exclude (loaded_at) from {relation})"
                    for side, relation in relations.items()
                }
            found = rows_only_on_one_side(con, relations)
            if found:
                differences[table] = found
        assert not differences, f"raw rows only on one engine: {differences}"


def test_spark_close_records_verify_and_match_duckdb(ci_build, spark_build):
    spark_records = SPARK_HOME / "close_records"
    close_records.verify(str(spark_records))  # raises when a record is not whole
    spark_folders = [f.name for f in close_records.record_folders(str(spark_records))]
    assert spark_folders, "the Spark build closed no period"
    assert spark_folders == [f.name for f in close_records.record_folders(str(CI_CLOSE_RECORDS))]
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for table in close_records.RECORDED_MARTS:
            scans = {
                engine: "read_parquet({!r}, hive_partitioning = true)".format(
                    [
                        str(path)
                        for folder in close_records.record_folders(str(root))
                        for path in close_records.record_files(folder, table)
                    ]
                )
                for engine, root in (("duckdb", CI_CLOSE_RECORDS), ("spark", spark_records))
            }
            assert not rows_only_on_one_side(con, scans), f"{table}: the records differ"
