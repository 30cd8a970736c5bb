"""No credential is ever persisted: the hostile landing zone with a credential-shaped canary
planted in every free-text value of every file format (CSV, JSON pages, JSON lines, OTLP,
Parquet) and in a malformed CSV line, built, published and packeted; then every text column
of every relation, and the raw bytes of every file the product wrote, are scanned."""

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
from itertools import count
from pathlib import Path

import duckdb
import pytest
from helpers import ROOT, columns_with_rows_where, run_dbt

FIXTURE = ROOT / "tests" / "fixtures" / "hostile_landing"
CANARY = "CANARY"
# Keys as the credential patterns see them (OpenAI, Anthropic, AWS, bearer), each unique.
SHAPES = (
    "sk-proj-CANARY{n:08d}abcdefghijkl",
    "sk-ant-api03-CANARY{n:08d}mnopqrstuv",
    "AKIACANARY{n:010d}",
    "Bearer CANARY{n:08d}wxyzABCDEFGH",
)
# Values the readers must still understand for a row to travel past staging.
NUMERIC_OR_TIME = re.compile(r"^[\s\d.:+\-TZ/eE]*$")
STRUCTURAL_KEYS = {"object", "has_more", "next_page", "start_time", "end_time", "starting_at"}


class Planter:
    def __init__(self):
        self.numbers = count(1)

    def secret(self):
        n = next(self.numbers)
        return SHAPES[n % len(SHAPES)].format(n=n)

    def text(self, value):
        if not value or NUMERIC_OR_TIME.match(value):
            return value
        return f"{value} {self.secret()}"

    def json(self, value, key=None):
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v, key) for v in value]
        if isinstance(value, str) and key not in STRUCTURAL_KEYS:
            if value.startswith(("{", "[")):
                try:  # JSON text inside a value (LiteLLM metadata)
                    return json.dumps(self.json(json.loads(value)))
                except ValueError:
                    pass
            return self.text(value)
        return value


def text_of(path):
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def plant(raw, planter):
    for path in sorted(raw.rglob("*")):
        if path.suffix == ".csv" or path.name.endswith(".csv.gz"):  # CUR 2.0 is gzipped
            zipped = path.suffix == ".gz"
            data = gzip.decompress(path.read_bytes()) if zipped else path.read_bytes()
            text = data.decode("utf-8-sig", errors="replace")
            rows = list(csv.reader(io.StringIO(text)))
            if not rows:
                continue
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(rows[0])
            for row in rows[1:]:
                writer.writerow([planter.text(cell) for cell in row])
            # A malformed line (too many columns) holding a key: the rejects keep no line.
            writer.writerow([planter.secret()] * (len(rows[0]) + 2))
            data = out.getvalue().encode("utf-8")
            path.write_bytes(gzip.compress(data) if zipped else data)
        elif path.suffix == ".jsonl":
            lines = []
            for line in path.read_text().splitlines():
                try:
                    lines.append(json.dumps(planter.json(json.loads(line))))
                except ValueError:
                    lines.append(f"not json {planter.secret()}")
            path.write_text("\n".join(lines) + "\n")
        elif path.suffix == ".json":
            text = path.read_text()
            try:
                path.write_text(json.dumps(planter.json(json.loads(text))))
            except ValueError:  # a corrupt page is quarantined whole
                path.write_text(f"{text} {planter.secret()}")
        elif path.suffix == ".parquet":
            with duckdb.connect() as con:
                columns = con.execute(
                    "select column_name, column_type from (describe select * from read_parquet(?))",
                    [str(path)],
                ).fetchall()
                texts = [name for name, kind in columns if kind == "VARCHAR"]
                replaced = ", ".join(
                    f"case when regexp_full_match(\"{name}\", '[\\s\\d.:+\\-TZ/eE]*')"
                    f' then "{name}" else "{name}" || \' {planter.secret()}\' end as "{name}"'
                    for name in texts
                )
                select = f"select * replace ({replaced})" if texts else "select *"
                con.execute(
                    f"copy ({select} from read_parquet(?)) to '{path}.tmp' (format parquet)",
                    [str(path)],
                )
            path.with_name(path.name + ".tmp").replace(path)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    work = tmp_path_factory.mktemp("credentials")
    raw = work / "raw"
    shutil.copytree(FIXTURE, raw)
    plant(raw, Planter())
    unplanted = [
        path.name
        for path in raw.rglob("*")
        if path.is_file() and path.suffix != ".parquet" and CANARY.encode() not in text_of(path)
    ]
    assert unplanted == ["empty.csv"]
    db = work / "ci.duckdb"
    result = run_dbt(
        ["build", "--exclude-resource-type", "unit_test"],
        raw_dir=raw,
        db=db,
        close_dir=work / "close_records",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    recon = Path(sys.executable).with_name("recon")  # the installed command
    for subcommand, args in (
        ("publish", ["--db", str(db), "--out", str(work / "marts.duckdb")]),
        ("packet", ["--db", str(db), "--out", str(work / "packets"), "--period", "2026-09"]),
    ):
        subprocess.run([str(recon), subcommand, *args], check=True, cwd=ROOT)
    return work


def test_no_text_column_of_any_relation_holds_a_credential(written):
    leaks = []
    for database in ("ci.duckdb", "marts.duckdb"):
        with duckdb.connect(str(written / database), read_only=True) as con:
            columns = con.execute(
                "select schema_name, table_name, column_name from duckdb_columns()"
                " where data_type = 'VARCHAR' and not internal"
            ).fetchall()
            for _, table, column, hits in columns_with_rows_where(
                con, columns, f"{{}} like '%{CANARY}%'"
            ):
                leaks.append((database, table, column, hits))
    assert leaks == []


def test_no_file_the_product_wrote_holds_a_credential(written):
    files = [
        path
        for path in written.rglob("*")
        if path.is_file() and not path.is_relative_to(written / "raw")
    ]
    assert {path.suffix for path in files} >= {".duckdb", ".csv", ".md"}
    assert [path for path in files if CANARY.encode() in path.read_bytes()] == []


def test_a_raw_gateway_key_is_stored_as_its_hash(written):
    with duckdb.connect(str(written / "ci.duckdb"), read_only=True) as con:
        hashes = con.execute(
            "select distinct gateway_key_hash from stg_telemetry__litellm_spend_logs"
        ).fetchall()
    assert hashes and all(
        value is None or re.fullmatch("[0-9a-f]{64}", value) for (value,) in hashes
    )
