"""Publish the marts to a separate, read-only DuckDB file for BI tools.

DuckDB allows one writer per file, so a BI tool must never open the file dbt builds into.
After a green build this copies every published mart (fct_* tables and views, as tables)
into a new file next to the target, then atomically renames it over the previous copy and
makes it read-only (0444). Readers keep querying the old copy until they reconnect; the
build file, staging, quarantine and raw exports never reach BI.

    recon publish --db target/dev.duckdb --out target/marts.duckdb

On Spark (`--engine spark`) the marts are first exported as Parquet by `dbt run-operation
export_marts` (one folder per mart under <spark home>/marts/), and the copy is made from
those files: the inbox, the close packet and BI tools then read the same file as on DuckDB.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import duckdb

from ai_spend_recon.spark_target import run_operation, spark_home


def publish(db: Path, out: Path, refresh: list[str] | None = None) -> list[str]:
    """Copy the marts of `db` into `out` (replaced atomically); return the table names.

    With `refresh` (the marts a partial build changed, e.g. the inbox's rebuild after a
    decision) and a previous copy in place, the previous copy is copied as a file and only
    those marts, and any mart it lacks, are replaced: the per-request mart, which no
    decision changes, is not rewritten row by row."""
    staging = out.with_name(f".{out.name}.publishing")
    staging.unlink(missing_ok=True)
    incremental = refresh is not None and out.exists()
    if incremental:
        shutil.copyfile(out, staging)
        os.chmod(staging, 0o644)
    with duckdb.connect(str(staging)) as con:
        con.execute(f"attach '{db}' as build (read_only)").fetchall()
        found = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'build' and table_name like 'fct\\_%' escape '\\' "
            "order by table_name"
        ).fetchall()
        if not found:
            raise SystemExit(f"{db} has no fct_ marts: run the build first")
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        }
        for schema, name in found:
            if incremental and name in present and name not in refresh:
                continue
            con.execute(
                f'create or replace table main."{name}" as select * from build."{schema}"."{name}"'
            ).fetchall()
        marts = [name for _, name in found]
        for name in sorted(present - set(marts)):  # a mart the build no longer has
            con.execute(f'drop table main."{name}"').fetchall()
        con.execute("detach build").fetchall()
    os.chmod(staging, 0o444)
    os.replace(staging, out)
    return marts


def export_spark_marts() -> Path:
    """Export the Spark target's marts as Parquet (macros/export_marts.sql) into a DuckDB
    file of tables, which publish() then copies like a build file."""
    exported = spark_home() / "marts"
    shutil.rmtree(exported, ignore_errors=True)
    run_operation("export_marts", {"directory": str(exported)})
    tables = spark_home() / "marts.duckdb"
    tables.unlink(missing_ok=True)
    with duckdb.connect(str(tables)) as con:
        con.execute("set TimeZone = 'UTC'")
        for folder in sorted(p for p in exported.iterdir() if p.is_dir()):
            scan = "read_parquet('" + str(folder / "*.parquet").replace("'", "''") + "')"
            columns = con.execute(f"describe select * from {scan}").fetchall()
            # Spark writes instants; the marts' timestamps are UTC without a zone.
            selected = ", ".join(
                f'"{name}"::timestamp as "{name}"' if kind.startswith("TIMESTAMP") else f'"{name}"'
                for name, kind, *_ in columns
            )
            con.execute(f'create table "{folder.name}" as select {selected} from {scan}')
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("target/dev.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("target/marts.duckdb"))
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default=os.environ.get("RECON_ENGINE", "duckdb"),
        help="where the marts were built: the DuckDB file --db, or the spark target",
    )
    args = parser.parse_args(argv)
    db = args.db
    if args.engine == "spark":
        db = export_spark_marts()
    marts = publish(db, args.out)
    print(f"published {len(marts)} marts to {args.out} (read-only): {', '.join(marts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
