"""The load layer: the landing zone (RECON_RAW_DIR) into raw tables that dbt declares as
sources. `recon load` runs it; `make demo` runs it before `dbt build`.

Each landed source (sources.py) has a raw table of text columns plus its file, file version
and record number (contract.py); raw.landed_files lists every file under the landing zone
with what happened to it and its records counted independently of the reader;
raw.load_rejects keeps each record or file a reader could not take, with its reason. A file
is read once per version: a re-landed file's rows are replaced, a removed file's rows go.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import duckdb
import yaml

from ai_spend_recon.load import close_records
from ai_spend_recon.load.close_records import CloseRecordError
from ai_spend_recon.load.configuration import ConfigurationError, config_tables
from ai_spend_recon.load.duckdb_loader import DuckDBLoader
from ai_spend_recon.load.landing import LandingError, list_landing_zone
from ai_spend_recon.load.redaction import Redaction
from ai_spend_recon.load.sources import LANDED_SOURCES, declared_columns

PROJECT_DIR = Path(__file__).resolve().parents[3]


def project_vars(project_dir: Path = PROJECT_DIR) -> dict:
    """The dbt project's vars: the loader's settings live with the rest of the project's."""
    return yaml.safe_load((project_dir / "dbt_project.yml").read_text())["vars"]


def load_duckdb(
    database: str,
    raw_dir: str,
    config_dir: str,
    close_dir: str,
    project_dir: Path = PROJECT_DIR,
    batch_bytes: int | None = None,
) -> list[str]:
    """Load the landing zone, the configuration and the close records into the DuckDB
    file; returns one line per raw table. Files are read in batches of batch_bytes (default:
    var load_batch_max_bytes). Raises LandingError (a landing zone that cannot be listed:
    nothing is loaded), CloseRecordError (nothing is loaded) or ConfigurationError (nothing
    of the configuration or the records is changed)."""
    close_records.verify(close_dir)
    configuration_tables = config_tables(project_dir)
    files = list_landing_zone(raw_dir)
    settings = project_vars(project_dir)
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        database,
        config={
            "memory_limit": os.environ.get("RECON_MEMORY_LIMIT", "3GB"),
            "preserve_insertion_order": False,
        },
    )
    con.execute("set TimeZone = 'UTC'")
    loader = DuckDBLoader(
        con,
        declared_columns(project_dir),
        Redaction(settings["credential_pattern"], tuple(settings["credential_markers"])),
        csv_quote_check_max_bytes=int(settings["csv_quote_check_max_bytes"]),
        csv_max_malformed_lines=int(settings["csv_max_malformed_lines"]),
        load_batch_max_bytes=batch_bytes or int(settings["load_batch_max_bytes"]),
    )
    report = []
    try:
        reload_whole = loader.ensure_tables(LANDED_SOURCES)
        for source in LANDED_SOURCES:
            started = time.monotonic()
            landed = [f for f in files if f.source is source]
            version_now = {f.path: f.version for f in landed}
            loaded = loader.loaded_versions(source.raw_table)
            gone = [p for p, v in loaded.items() if version_now.get(p) != v]
            to_read = [f for f in landed if loaded.get(f.path) != f.version]
            whole = source.raw_table in reload_whole or (
                # a pull's completeness depends on all its pages: pages reload together
                (gone or to_read) and "json_pages" in source.readers.values()
            )
            if whole:
                gone, to_read = list(loaded), landed
            con.begin()
            loader.forget(source.raw_table, gone)
            outcomes = loader.load_files(source, to_read)
            loader.record_files(source, to_read, outcomes)
            con.commit()
            report.append(
                f"{source.raw_table}: {len(landed)} files, {len(to_read)} read,"
                f" {len(gone)} forgotten in {time.monotonic() - started:.1f} s"
            )
        con.begin()
        loader.record_unread_files([f for f in files if f.source is None])
        report += loader.load_configuration(configuration_tables, config_dir)
        report += loader.load_close_records(close_dir, close_records.recorded_columns(project_dir))
        con.commit()
    finally:
        con.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recon load", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--raw-dir", default=os.environ.get("RECON_RAW_DIR", "demo/raw"), help="the landing zone"
    )
    parser.add_argument(
        "--config-dir",
        default=os.environ.get("RECON_CONFIG_DIR", "config/demo"),
        help="the company's configuration",
    )
    parser.add_argument(
        "--close-dir",
        default=os.environ.get("RECON_CLOSE_DIR", "demo/close_records"),
        help="the closed periods' records",
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("DBT_DUCKDB_PATH", "target/dev.duckdb"),
        help="the DuckDB file dbt builds (profiles.yml); ignored with --engine spark",
    )
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default=os.environ.get("RECON_ENGINE", "duckdb"),
        help="the warehouse: DuckDB (the dev target) or Spark (the spark target, whose"
        " metastore and Parquet live in RECON_SPARK_HOME, default target/spark)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    database = args.database
    if args.engine == "spark":
        from ai_spend_recon.load import spark_loader
        from ai_spend_recon.spark_target import spark_home

        home = spark_home()
        database = str(home / "load.duckdb")
    try:
        report = load_duckdb(database, args.raw_dir, args.config_dir, args.close_dir)
    except (ConfigurationError, CloseRecordError, LandingError) as error:
        print(f"load refused: {error}")
        return 1
    for line in report:
        print(line)
    if args.engine == "spark":
        tables = spark_loader.export_raw_tables(database, home / "raw")
        spark_loader.register_raw_tables(home / "raw", tables)
        database = f"the Spark metastore in {home}"
    print(f"loaded {args.raw_dir} into {database} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
