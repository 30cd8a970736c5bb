"""The load layer on its own, no dbt: `recon load` writes the raw tables of the contract, every
record of every file is loaded or rejected with a reason, each file is read once per version,
values are text exactly as written and never a credential, payloads are never loaded, and
configuration and close records are refused with a message that says what to fix."""

import gzip
import hashlib
import json
import shutil
from decimal import Decimal

import duckdb
import pytest
from helpers import ROOT

from ai_spend_recon.load import contract, load_duckdb
from ai_spend_recon.load.close_records import CloseRecordError
from ai_spend_recon.load.configuration import ConfigurationError
from ai_spend_recon.load.duckdb_loader import csv_file_check
from ai_spend_recon.load.landing import LandingError
from ai_spend_recon.load.sources import LANDED_SOURCES, declared_columns

FIXTURES = ROOT / "tests" / "fixtures"
DEMO_CONFIG = ROOT / "config" / "demo"
CANARY = "sk-proj-LOADCANARYabcdefghijklmnop0123"


def load(raw, db, config=DEMO_CONFIG, close=None):
    return load_duckdb(str(db), str(raw), str(config), str(close or db.parent / "close"))


def rows(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile fixtures and the landing-inventory fixtures in one landing zone."""
    work = tmp_path_factory.mktemp("load")
    raw = work / "raw"
    shutil.copytree(FIXTURES / "hostile_landing", raw)
    shutil.copytree(FIXTURES / "landing_inventory", raw, dirs_exist_ok=True)
    db = work / "load.duckdb"
    load(raw, db)
    return raw, db


def test_the_raw_tables_follow_the_contract(hostile):
    _, db = hostile
    declared = declared_columns(ROOT)
    columns = {}
    for table, name, data_type in rows(
        db,
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'raw' order by table_name, ordinal_position",
    ):
        columns.setdefault(table, []).append((name, data_type))
    types = {kind: spelled.upper() for kind, spelled in contract.DUCKDB_TYPES.items()}
    for source in LANDED_SOURCES:
        expected = contract.raw_table_columns(declared[source.raw_table])
        assert columns[source.raw_table] == [(n, types[k]) for n, k in expected]
    for table, expected in (
        (contract.LANDED_FILES, contract.LANDED_FILES_COLUMNS),
        (contract.LOAD_REJECTS, contract.LOAD_REJECTS_COLUMNS),
    ):
        assert columns[table] == [(n, types[k]) for n, k in expected]


def test_every_record_of_every_file_is_loaded_or_rejected(hostile):
    _, db = hostile
    tables = {source.raw_table for source in LANDED_SOURCES}
    loaded = {}
    for table in tables:
        for path, count in rows(db, f"select source_file, count(*) from raw.{table} group by 1"):
            loaded[path] = loaded.get(path, 0) + count
    rejected = dict(
        rows(db, "select source_file, sum(rejected_records) from raw.load_rejects group by 1")
    )
    files = rows(
        db,
        "select source_file, landed_records from raw.landed_files"
        " where file_status in ('read', 'quarantined')",
    )
    assert len(files) > 40
    unbalanced = [
        (path, landed, loaded.get(path, 0), rejected.get(path, 0))
        for path, landed in files
        if landed != loaded.get(path, 0) + rejected.get(path, 0)
    ]
    assert unbalanced == []


def test_files_read_one_batch_each_load_the_same_rows_and_rejects(hostile, tmp_path):
    # Every file in a batch of its own (a batch of one byte): record numbers start again in
    # each file, every reject keeps its file and line, and nothing is lost or doubled.
    raw, db = hostile
    one_by_one = tmp_path / "one_by_one.duckdb"
    load_duckdb(str(one_by_one), str(raw), str(DEMO_CONFIG), str(tmp_path / "close"), batch_bytes=1)
    tables = [source.raw_table for source in LANDED_SOURCES] + [contract.LOAD_REJECTS]
    for table in tables:
        together = rows(db, f"select * from raw.{table} order by all")
        assert rows(one_by_one, f"select * from raw.{table} order by all") == together, table
    landed = "select * exclude (loaded_at) from raw.landed_files order by all"
    assert rows(one_by_one, landed) == rows(db, landed)


@pytest.mark.parametrize(
    ("content", "check"),
    [
        (b'a,b\r\n1,"x\r\ny"\r\n', None),
        ("a,b\n1,caf\u00e9\n".encode(), None),
        (b"\xef\xbb\xbfa,b\n1,2\n", None),
        (b"\xff\xfea\x00,\x00b\x00", "UTF-16"),
        (b"a,b\n1,caf\xe9\n", "NOT UTF8"),
        (b"a,b\n1,caf\xc3", "NOT UTF8"),
        (b'a,b\n1,"x\n', "UNTERMINATED QUOTE"),
        (b"a,b\r\n1,2\n", "MIXED LINE ENDINGS"),
        (b"a,b\n1,2\r\n", "MIXED LINE ENDINGS"),
    ],
)
def test_the_csv_pre_check_reads_every_chunking_alike(tmp_path, content, check):
    # The check reads a file in chunks: a multi-byte character, a CRLF or a quote split
    # across two chunks is found as in one.
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    for chunk_bytes in (1, 2, 3, 5, 1 << 24):
        assert csv_file_check(str(path), chunk_bytes) == check, chunk_bytes


def test_a_file_is_read_once_per_version_replaced_when_relanded_and_forgotten_when_removed(
    tmp_path,
):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "hostile_landing", raw)
    db = tmp_path / "load.duckdb"
    load(raw, db)
    report = load(raw, db)
    assert all(", 0 read, 0 forgotten" in line for line in report if "files," in line)

    invoices = sorted((raw / "invoices").glob("*.csv"))
    relanded, removed = invoices[0], invoices[1]
    lines = relanded.read_text().splitlines(keepends=True)
    relanded.write_text("".join(lines[:2]))  # the header and one record
    removed.unlink()
    load(raw, db)
    assert rows(
        db,
        "select count(*) from raw.invoices__invoice_lines where source_file = ?",
        [str(relanded)],
    ) == [(1,)]
    for table in ("invoices__invoice_lines", "load_rejects", "landed_files"):
        assert rows(
            db, f"select count(*) from raw.{table} where source_file = ?", [str(removed)]
        ) == [(0,)]


def write_page(path, page):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(page) if not isinstance(page, str) else page)


def costs_page(value, has_more=False):
    return {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": 1788220800,
                "end_time": 1788307200,
                "results": [
                    {
                        "object": "organization.costs.result",
                        "amount": {"value": value, "currency": "usd"},
                        "line_item": "gpt-4o, input",
                        "project_id": "proj_a",
                        "note": CANARY,
                    }
                ],
            }
        ],
        "has_more": has_more,
    }


def test_pages_are_flat_text_as_written_and_a_cut_short_pull_supersedes_nothing(tmp_path):
    raw = tmp_path / "raw" / "openai" / "costs"
    # Numbers are kept exactly as written, not as a float prints them.
    write_page(
        raw / "pull_2026-09-05" / "page_0001.json",
        json.dumps(costs_page(0)).replace('"value": 0', '"value": 0.10000000000000000555'),
    )
    write_page(raw / "pull_2026-09-06" / "page_0001.json", costs_page(1e-7, has_more=True))
    write_page(raw / "pull_2026-09-07" / "page_0001.json", '{"object": "page", "data": [')
    db = tmp_path / "load.duckdb"
    load(tmp_path / "raw", db)
    assert rows(
        db,
        "select bucket__start_time, amount__value, amount__currency, line_item, record_number"
        " from raw.openai__costs",
    ) == [("1788220800", "0.10000000000000000555", "usd", "gpt-4o, input", 1)]
    rejects = rows(
        db,
        "select regexp_extract(source_file, 'pull_[0-9-]+'), record_number, reject_reason,"
        " rejected_records from raw.load_rejects order by 1",
    )
    assert rejects == [
        ("pull_2026-09-06", 1, "page_sequence_incomplete", 1),
        ("pull_2026-09-07", None, "invalid_json", 1),
    ]


def test_credentials_are_redacted_and_payloads_never_loaded(tmp_path):
    raw = tmp_path / "raw"
    folder = raw / "telemetry" / "litellm"
    folder.mkdir(parents=True)
    header = "request_id,api_key,model,messages,response,metadata"
    (folder / "logs.csv").write_text(
        f'{header}\nreq_1,{CANARY},gpt-4o,"the prompt, never stored",the completion,'
        f'"{{""note"": ""Bearer abcdefghijklmnopqrstuvwxyz""}}"\n'
    )
    with gzip.open(folder / "more.csv.gz", "wt") as out:
        out.write(f"{header}\nreq_2,key,gpt-4o,prompt,completion,{CANARY}\n")
    db = tmp_path / "load.duckdb"
    load(raw, db)
    columns = [
        c
        for (c,) in rows(
            db,
            "select column_name from information_schema.columns"
            " where table_name = 'telemetry__litellm_spend_logs'",
        )
    ]
    assert "messages" not in columns and "response" not in columns
    loaded = rows(
        db, "select api_key, metadata from raw.telemetry__litellm_spend_logs order by request_id"
    )
    assert loaded[0][0].startswith("sha256:") and loaded[1][1].startswith("sha256:")
    assert "Bearer" not in loaded[0][1] and "sha256:" in loaded[0][1]
    with duckdb.connect(str(db), read_only=True) as con:
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall():
            text = repr(con.execute(f'select * from "{schema}"."{table}"').fetchall())
            assert "LOADCANARY" not in text and "never stored" not in text, table


def test_otlp_in_its_other_encodings_loads_the_same_spans(hostile):
    # The same span written with the protobuf field names (snake_case) and with the scope
    # list's name before OTLP 1.0 (instrumentationLibrarySpans).
    _, db = hostile
    declared = ", ".join(f'"{c}"' for c in declared_columns(ROOT)["telemetry__otel_spans"])
    spans = {
        name: rows(
            db,
            f"select {declared} from raw.telemetry__otel_spans"
            " where source_file like '%/' || ? order by all",
            [name],
        )
        for name in ("spans_protobuf_field_names.jsonl", "spans_before_otlp_1_0.jsonl")
    }
    assert spans["spans_protobuf_field_names.jsonl"] == spans["spans_before_otlp_1_0.jsonl"]
    loaded = rows(
        db,
        "select service_name, span_id, gen_ai_provider_name, gen_ai_usage_input_tokens"
        " from raw.telemetry__otel_spans where source_file like '%spans_before_otlp_1_0.jsonl'",
    )
    assert loaded and all(row[0] == "support-triage" and None not in row for row in loaded)


def test_otlp_attributes_written_as_an_object_are_rejected_never_read_as_no_tokens(hostile):
    # Line 1 holds two spans whose attributes are a JSON object, not OTLP's list of
    # {key, value}: both are rejected with the line (read as a list they would count no
    # tokens); line 2, written as OTLP writes it, is read.
    _, db = hostile
    name = "%/spans_attributes_as_map.jsonl"
    assert rows(
        db,
        "select line_number, reject_reason, rejected_records from raw.load_rejects"
        " where source_file like ?",
        [name],
    ) == [(1, "otlp_attributes_not_a_list", 2)]
    assert rows(
        db,
        "select gen_ai_response_id, gen_ai_usage_input_tokens from raw.telemetry__otel_spans"
        " where source_file like ?",
        [name],
    ) == [("req_h_otel_map_ok", "300")]


def test_a_configuration_value_that_does_not_parse_or_a_missing_column_is_refused(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    (tmp_path / "raw").mkdir()
    aliases = config / "model_aliases.csv"
    lines = aliases.read_text().splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("valid_to")] = "2026-13-45"
    aliases.write_text("\n".join([lines[0], ",".join(bad), *lines[2:]]) + "\n")
    with pytest.raises(
        ConfigurationError, match="line 2, column valid_to: 2026-13-45 is not a date"
    ):
        load(tmp_path / "raw", tmp_path / "a.duckdb", config)
    aliases.write_text(",".join(h for h in header if h != "valid_to") + "\n")
    with pytest.raises(ConfigurationError, match="has no column valid_to"):
        load(tmp_path / "raw", tmp_path / "b.duckdb", config)
    aliases.write_text(lines[0] + "\n")  # a header alone: no rows
    load(tmp_path / "raw", tmp_path / "c.duckdb", config)
    assert rows(tmp_path / "c.duckdb", "select count(*) from raw.config__model_aliases") == [(0,)]


def test_a_close_record_without_its_checksums_is_refused(tmp_path):
    folder = tmp_path / "close" / "close_period=2026-09"
    folder.mkdir(parents=True)
    (folder / "reconciliation_lines0.parquet").write_bytes(b"")
    (tmp_path / "raw").mkdir()
    with pytest.raises(CloseRecordError, match="close_period=2026-09 has no checksums.csv"):
        load(tmp_path / "raw", tmp_path / "load.duckdb", close=tmp_path / "close")


def test_a_landing_zone_that_cannot_be_listed_stops_the_load_and_forgets_nothing(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "hostile_landing", raw)
    db = tmp_path / "load.duckdb"
    load(raw, db)
    before = rows(db, "select count(*) from raw.telemetry__litellm_spend_logs")
    (raw / "telemetry" / "back_to_the_top").symlink_to(raw, target_is_directory=True)
    with pytest.raises(LandingError, match="symbolic-link loop at .*back_to_the_top"):
        load(raw, db)
    assert rows(db, "select count(*) from raw.telemetry__litellm_spend_logs") == before
    looping = tmp_path / "looping"
    looping.symlink_to(looping)
    with pytest.raises(LandingError, match="looping is not a folder that can be listed"):
        load(looping, db)
    assert rows(db, "select count(*) from raw.telemetry__litellm_spend_logs") == before


def test_configuration_text_is_redacted(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    owners = config / "owner_mappings.csv"
    lines = owners.read_text().splitlines()
    owners.write_text("\n".join([lines[0], lines[1].replace(",", f",{CANARY} ", 1), *lines[2:]]))
    (tmp_path / "raw").mkdir()
    db = tmp_path / "load.duckdb"
    load(tmp_path / "raw", db, config)
    text = repr(rows(db, "select * from raw.config__owner_mappings"))
    assert "LOADCANARY" not in text and "sha256:" in text


def test_a_close_record_from_before_a_mart_gained_a_column_loads_it_as_null(tmp_path):
    # A period closed before fct_reconciliation_lines had inference_geo_uplift_usd: its
    # record lacks the column, which reads as NULL instead of failing every later load.
    from ai_spend_recon.load.close_records import recorded_columns

    columns = [
        (name, data_type)
        for name, data_type in recorded_columns(ROOT)["reconciliation_lines"]
        if name not in ("inference_geo_uplift_usd", "close_period")
    ]
    folder = tmp_path / "close" / "close_period=2026-09"
    folder.mkdir(parents=True)
    record = folder / "reconciliation_lines0.parquet"
    values = ", ".join(
        f"cast({'1.5' if name == 'billed_usd' else 'null'} as {data_type}) as {name}"
        if name != "reconciliation_line_id"
        else f"cast('line_1' as {data_type}) as {name}"
        for name, data_type in columns
    )
    with duckdb.connect() as con:
        con.execute(f"copy (select {values}) to '{record}' (format parquet)")
    digest = hashlib.sha256(record.read_bytes()).hexdigest()
    (folder / "checksums.csv").write_text(
        f"file_name,sha256\nreconciliation_lines0.parquet,{digest}\n"
    )
    (tmp_path / "raw").mkdir()
    load(tmp_path / "raw", tmp_path / "load.duckdb", close=tmp_path / "close")
    assert rows(
        tmp_path / "load.duckdb",
        "select reconciliation_line_id, billed_usd, inference_geo_uplift_usd, close_period"
        " from raw.close_records__reconciliation_lines",
    ) == [("line_1", Decimal("1.5"), None, "2026-09")]
