"""The Spark loader's Parquet export, without Spark: a landed source's raw table is written a
part at a time (a day's new files are one new part, a re-landed or removed file's part is
dropped), and the Parquet under each folder always holds exactly the loader's rows."""

import json
import shutil

import duckdb
from helpers import ROOT

from ai_spend_recon.load import load_duckdb, spark_loader

FIXTURES = ROOT / "tests" / "fixtures"
LITELLM = "telemetry__litellm_spend_logs"


def load_and_export(raw, work):
    db = work / "load.duckdb"
    load_duckdb(str(db), str(raw), str(ROOT / "config" / "demo"), str(work / "close"))
    return spark_loader.export_raw_tables(str(db), work / "parquet")


def rows_differing(work, table):
    """Rows in the loader's table or its Parquet folder but not both (multisets)."""
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{work / 'load.duckdb'}' as loader (read_only)")
        parquet = f"read_parquet('{work / 'parquet' / table}/*.parquet')"
        columns = [
            r[0] for r in con.execute(f"describe select * from loader.raw.{table}").fetchall()
        ]
        listed = ", ".join(f'"{c}"' for c in columns)
        loaded = f"(select {listed} from loader.raw.{table})"
        written = f"(select {listed} from {parquet})"
        return sum(
            con.execute(f"select count(*) from ({one} except all {other})").fetchone()[0]
            for one, other in ((loaded, written), (written, loaded))
        )


def parts(work, table):
    return sorted(p.name for p in (work / "parquet" / table).glob("*.parquet"))


def test_a_new_day_adds_one_part_and_a_relanded_file_replaces_its_part(tmp_path):
    raw = tmp_path / "raw"
    litellm = raw / "telemetry" / "litellm"
    shutil.copytree(FIXTURES / "hostile_landing" / "telemetry" / "litellm", litellm)
    held = sorted(litellm.glob("*.csv"))[-1]
    held_text = held.read_text()
    held.unlink()

    tables = load_and_export(raw, tmp_path)
    assert LITELLM in tables
    first = parts(tmp_path, LITELLM)
    assert len(first) == 1 and rows_differing(tmp_path, LITELLM) == 0

    load_and_export(raw, tmp_path)  # nothing new: nothing written
    assert parts(tmp_path, LITELLM) == first

    held.write_text(held_text)  # the next day lands
    load_and_export(raw, tmp_path)
    second = parts(tmp_path, LITELLM)
    assert len(second) == 2 and set(first) < set(second)
    assert rows_differing(tmp_path, LITELLM) == 0

    held.write_text("".join(held_text.splitlines(keepends=True)[:2]))  # re-landed, one record
    load_and_export(raw, tmp_path)
    third = parts(tmp_path, LITELLM)
    assert set(first) <= set(third) and not set(second) - set(first) & set(third)
    assert rows_differing(tmp_path, LITELLM) == 0
    manifest = json.loads((tmp_path / "parquet" / LITELLM / "_manifest.json").read_text())
    assert sorted(manifest["parts"]) == third

    held.unlink()  # removed: its rows go
    leftover = tmp_path / "parquet" / LITELLM / "part-left-by-a-crashed-run.parquet"
    shutil.copy(tmp_path / "parquet" / LITELLM / first[0], leftover)
    load_and_export(raw, tmp_path)
    assert parts(tmp_path, LITELLM) == first
    assert rows_differing(tmp_path, LITELLM) == 0
    for table in tables:  # every other table rewritten whole, equal too
        assert rows_differing(tmp_path, table) == 0, table
