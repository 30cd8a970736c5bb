"""The load layer on Spark: the same raw tables (contract.py), as Parquet tables in the Spark
metastore that the `spark` target of profiles.yml builds from.

The readers are the DuckDB loader's: it parses the landing zone into a loader database of
its own (<spark home>/load.duckdb), with every check, count, reject and redaction it makes on
DuckDB, and remembers which file versions it has read, so a run parses only new and
changed files. Each raw table is then written as Parquet under <spark home>/raw/<table>/ and
registered as an external table raw.<table> by `dbt run-operation register_raw_tables`, so
the Spark session's settings live in profiles.yml only. An extract-load step that parses on
one node and hands Parquet to the warehouse is what dlt and Fivetran do too (DECISIONLOG
2026-12-07); the transformation, where the volume is, runs on Spark.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ai_spend_recon.load import contract
from ai_spend_recon.load.duckdb_loader import quote, sql_string
from ai_spend_recon.spark_target import run_operation


def export_raw_tables(loader_database: str, raw_root: Path) -> list[str]:
    """Write every table of the loader database's raw schema as one Parquet file in
    <raw_root>/<table>/, replacing the folder whole (written beside it, then renamed).
    Timestamps are written as UTC instants, which Spark reads as TIMESTAMP."""
    raw_root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(loader_database, read_only=True)
    con.execute("set TimeZone = 'UTC'")
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?"
                " order by table_name",
                [contract.SCHEMA],
            ).fetchall()
        ]
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [contract.SCHEMA, table],
            ).fetchall()
            selected = ", ".join(
                f"{quote(name)}::timestamptz as {quote(name)}"
                if data_type == "TIMESTAMP"
                else quote(name)
                for name, data_type in columns
            )
            target = raw_root / table
            fresh = raw_root / f".{table}.writing"
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir()
            con.execute(
                f"copy (select {selected} from {contract.SCHEMA}.{quote(table)})"
                f" to {sql_string(str(fresh / 'part-0.parquet'))} (format parquet)"
            )
            shutil.rmtree(target, ignore_errors=True)
            fresh.rename(target)
    finally:
        con.close()
    return tables


def register_raw_tables(raw_root: Path, tables: list[str]) -> None:
    """Register each exported folder as raw.<table> in the Spark target's metastore."""
    run_operation("register_raw_tables", {"location_root": str(raw_root), "tables": tables})
