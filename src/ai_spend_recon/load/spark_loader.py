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

A landed source's raw table grows a day at a time, so it is written incrementally: its
folder holds Parquet parts, each with the rows of some file versions, and a manifest
(`_manifest.json`, which Spark does not read) naming the file versions of each part. A run
writes one new part with the file versions no part holds, and drops the parts holding a
version the loader forgot (a re-landed or removed file; their other versions go into the new
part). The manifest is replaced first and the parts it no longer names removed after, so a
part a crashed run left behind is removed by the next run. The other raw tables (the
inventory, the rejects, the configuration, the close records) are small and rewritten whole.
Tables are registered again only when one is new or its columns changed.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import duckdb

from ai_spend_recon.load import contract
from ai_spend_recon.load.duckdb_loader import quote, sql_string
from ai_spend_recon.load.sources import LANDED_SOURCES
from ai_spend_recon.spark_target import run_operation

MANIFEST = "_manifest.json"
REGISTERED = "_registered.json"


def _write_json(path: Path, content: dict) -> None:
    fresh = path.with_name(f".{path.name}.writing")
    fresh.write_text(json.dumps(content, indent=1, sort_keys=True))
    fresh.replace(path)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _export_whole(con, relation: str, selected: str, target: Path) -> None:
    """The table as one Parquet file, the folder replaced whole (written beside it)."""
    fresh = target.with_name(f".{target.name}.writing")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    con.execute(
        f"copy (select {selected} from {relation})"
        f" to {sql_string(str(fresh / 'part-0.parquet'))} (format parquet)"
    )
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)


def _export_by_file_version(con, relation: str, selected: str, target: Path, columns) -> None:
    """A landed source's table: one new part with the file versions no kept part holds."""
    manifest = _read_json(target / MANIFEST)
    if manifest.get("columns") != columns or not target.is_dir():
        _export_whole(con, relation, selected, target)
        versions = con.execute(
            f"select distinct source_file, source_file_version from {relation}"
        ).fetchall()
        _write_json(target / MANIFEST, {"columns": columns, "parts": {"part-0.parquet": versions}})
        return
    loaded = {
        tuple(row)
        for row in con.execute(
            f"select distinct source_file, source_file_version from {relation}"
        ).fetchall()
    }
    kept = {
        part: versions
        for part, versions in manifest["parts"].items()
        if all(tuple(v) in loaded for v in versions) and (target / part).exists()
    }
    held = {tuple(v) for versions in kept.values() for v in versions}
    to_write = sorted(loaded - held)
    if to_write:
        part = f"part-{uuid.uuid4().hex}.parquet"
        con.execute("create or replace temp table versions_to_write (f varchar, v varchar)")
        con.executemany("insert into versions_to_write values (?, ?)", to_write)
        con.execute(
            f"copy (select {selected} from {relation}"
            " where (source_file, source_file_version) in"
            " (select f, v from versions_to_write))"
            f" to {sql_string(str(target / f'.{part}.writing'))} (format parquet)"
        )
        (target / f".{part}.writing").rename(target / part)
        kept[part] = [list(v) for v in to_write]
    _write_json(target / MANIFEST, {"columns": columns, "parts": kept})
    for path in target.iterdir():
        if path.name not in kept and path.name != MANIFEST:
            path.unlink() if path.is_file() else shutil.rmtree(path)


def export_raw_tables(loader_database: str, raw_root: Path) -> dict[str, list]:
    """Write every table of the loader database's raw schema under <raw_root>/<table>/;
    returns each table's columns (name, type). Timestamps are written as UTC instants,
    which Spark reads as TIMESTAMP."""
    raw_root.mkdir(parents=True, exist_ok=True)
    by_file_version = {source.raw_table for source in LANDED_SOURCES}
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach {sql_string(loader_database)} as loader (read_only)")
    exported = {}
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = 'loader' and table_schema = ? order by table_name",
                [contract.SCHEMA],
            ).fetchall()
        ]
        for table in tables:
            columns = [
                list(row)
                for row in con.execute(
                    "select column_name, data_type from information_schema.columns"
                    " where table_catalog = 'loader' and table_schema = ? and table_name = ?"
                    " order by ordinal_position",
                    [contract.SCHEMA, table],
                ).fetchall()
            ]
            selected = ", ".join(
                f"{quote(name)}::timestamptz as {quote(name)}"
                if data_type == "TIMESTAMP"
                else quote(name)
                for name, data_type in columns
            )
            relation = f"loader.{contract.SCHEMA}.{quote(table)}"
            if table in by_file_version:
                _export_by_file_version(con, relation, selected, raw_root / table, columns)
            else:
                _export_whole(con, relation, selected, raw_root / table)
            exported[table] = columns
    finally:
        con.close()
    return exported


def register_raw_tables(raw_root: Path, tables: dict[str, list]) -> None:
    """Register each exported folder as raw.<table> in the Spark target's metastore, when
    a table is new or its columns changed since the last registration (a registered table
    reads whatever Parquet its folder holds when a query runs)."""
    registered = _read_json(raw_root / REGISTERED)
    changed = [table for table, columns in tables.items() if registered.get(table) != columns]
    if changed:
        run_operation("register_raw_tables", {"location_root": str(raw_root), "tables": changed})
        _write_json(raw_root / REGISTERED, tables)
