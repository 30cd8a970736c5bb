"""The landing inventory (tests/fixtures/landing_inventory): every file under the landing
folder is read, quarantined whole, or listed as not recognized and blocks the close;
compressed, upper-case, UTF-16 and .json-named exports are read like their plain copies; a
Windows-1252 CSV and a CSV of garbage lines are quarantined whole while the rest of their
folder loads."""

import json
import shutil
from decimal import Decimal

import duckdb
import pytest
from helpers import ROOT, run_dbt

FIXTURE = ROOT / "tests" / "fixtures" / "landing_inventory"

# A file and the copy of it that is gzipped, upper-case or saved under another extension.
COPIES = [
    (
        "stg_invoices__invoice_lines",
        "invoices/older_layout.csv",
        "invoices/older_layout_copy.csv.gz",
    ),
    ("stg_invoices__invoice_lines", "invoices/older_layout.csv", "invoices/OLDER_LAYOUT_AGAIN.CSV"),
    ("stg_invoices__invoice_lines", "invoices/older_layout.csv", "invoices/older_layout_utf16.csv"),
    (
        "stg_openai__costs",
        "openai/costs/pull_2026-09-05/page_0001.json",
        "openai/costs/pull_2026-09-05/page_0002.json.gz",
    ),
    (
        "stg_telemetry__otel_spans",
        "telemetry/otel/spans_hostile.jsonl",
        "telemetry/otel/spans_copy.jsonl.gz",
    ),
    (
        "stg_telemetry__otel_spans",
        "telemetry/otel/spans_hostile.jsonl",
        "telemetry/otel/spans_saved_as.json",
    ),
    # Pages and exports in the other shapes real tools save them in.
    (
        "stg_openai__costs",
        "openai/costs/pull_2026-09-05/page_0001.json",
        "openai/costs/pull_2026-09-05/page_0003_data_alone.json",
    ),
    (
        "stg_telemetry__otel_spans",
        "telemetry/otel/spans_hostile.jsonl",
        "telemetry/otel/spans_protobuf_field_names.jsonl",
    ),
    (
        "stg_telemetry__otel_spans",
        "telemetry/otel/spans_hostile.jsonl",
        "telemetry/otel/spans_before_otlp_1_0.jsonl",
    ),
    (
        "stg_telemetry__litellm_spend_logs",
        "telemetry/litellm/spend_logs_hostile.csv",
        "telemetry/litellm/spend_logs_copy.csv.gz",
    ),
]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    work = tmp_path_factory.mktemp("inventory")
    raw = work / "raw"
    shutil.copytree(FIXTURE, raw)
    db = work / "ci.duckdb"
    close_dir = work / "close_records"
    result = run_dbt(
        ["build", "--exclude-resource-type", "unit_test"], raw_dir=raw, db=db, close_dir=close_dir
    )
    # Green: the unrecognized files are quarantined, and the landed records balance.
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(db), read_only=True) as con:
        yield {"raw": raw, "db": db, "close_dir": close_dir, "con": con}


def test_every_file_is_in_the_inventory_with_what_happened_to_it(landing):
    rows = (
        landing["con"]
        .execute(
            "select relative_path, file_status, staging_model is not null"
            " from stg_landing__inventory order by relative_path"
        )
        .fetchall()
    )
    on_disk = sorted(
        str(path.relative_to(FIXTURE)) for path in FIXTURE.rglob("*") if path.is_file()
    )
    assert [path for path, _, _ in rows] == on_disk
    statuses = {path: status for path, status, _ in rows}
    assert statuses.pop(".DS_Store") == "ignored_hidden"
    assert statuses.pop("invoice/typo_in_folder_name.csv") == "not_recognized"
    assert statuses.pop("mistral/usage/page_0001.json") == "not_recognized"
    assert statuses.pop("invoices/excel_windows_1252.csv") == "quarantined"
    assert statuses.pop("telemetry/litellm/garbage_lines.csv") == "quarantined"
    assert set(statuses.values()) == {"read"}


def test_a_csv_that_is_not_utf8_is_quarantined_whole_and_the_folder_loads(landing):
    rows = (
        landing["con"]
        .execute(
            "select regexp_extract(source_file, '[^/]*$'), record_position, quarantine_reason,"
            " detail from int_quarantined_rows_unioned where source_file like '%1252%'"
        )
        .fetchall()
    )
    assert [row[:3] for row in rows] == [("excel_windows_1252.csv", None, "csv_not_utf8")]
    assert "re-land it" in rows[0][3]
    loaded = landing["con"].execute(
        "select count(*) from stg_invoices__invoice_lines where source_file like '%older_layout%'"
    )
    assert loaded.fetchone()[0] > 0


def test_a_csv_of_garbage_lines_is_quarantined_whole_with_every_line_counted(landing):
    # 1,100 unquoted lines of 1-8 fields under the 23-field LiteLLM header: more malformed
    # lines than csv_max_malformed_lines (1,000), so DuckDB's CSV parser never sees the file
    # (it keeps tens of kilobytes per rejected line; see make bench-garbage).
    con = landing["con"]
    where = " where source_file like '%garbage_lines.csv'"
    assert con.execute(
        "select landed_records, file_status, file_check from stg_landing__inventory" + where
    ).fetchall() == [(1100, "quarantined", "TOO MANY MALFORMED LINES")]
    quarantined = con.execute(
        "select record_position, quarantine_reason, detail from int_quarantined_rows_unioned"
        + where
    ).fetchall()
    assert [row[:2] for row in quarantined] == [(None, "csv_too_many_malformed_lines")]
    assert "More than 1000 lines" in quarantined[0][2]
    assert "re-land it" in quarantined[0][2]
    rejected = con.execute("select sum(rejected_records) from stg_landing__load_rejects" + where)
    assert rejected.fetchone()[0] == 1100
    staged = con.execute("select count(*) from stg_telemetry__litellm_spend_logs" + where)
    assert staged.fetchone()[0] == 0
    # The rest of the folder loads, its malformed line rejected line by line.
    assert (
        con.execute(
            "select count(*) from stg_telemetry__litellm_spend_logs"
            " where source_file like '%spend_logs_hostile.csv'"
        ).fetchone()[0]
        > 0
    )


@pytest.mark.parametrize(("model", "original", "copy"), COPIES)
def test_compressed_upper_case_and_renamed_exports_read_like_the_original(
    landing, model, original, copy
):
    counts = dict(
        landing["con"]
        .execute(
            f"select regexp_extract(source_file, '/raw/(.*)$', 1), count(*) from {model} group by 1"
        )
        .fetchall()
    )
    assert counts[copy] == counts[original] > 0


def test_a_page_whose_data_or_results_is_one_object_is_read(landing):
    rows = (
        landing["con"]
        .execute(
            "select regexp_extract(source_file, '[^/]*$'), amount, bucket_start_at, line_item"
            " from stg_openai__costs where source_file like '%/page_000_\\_%' escape '\\'"
            " order by 1"
        )
        .fetchall()
    )
    assert [row[0] for row in rows] == [
        "page_0003_data_alone.json",
    ] * 7 + ["page_0004_data_one_bucket.json", "page_0005_results_one_result.json"]
    # The second bucket of page_0001, whole (data as an object) and as its one result.
    assert rows[-1][1:] == rows[-2][1:]
    assert rows[-1][1] == Decimal("0.07")


def test_a_page_in_a_shape_no_reader_understands_fails_the_build_naming_it(tmp_path):
    # A page wrapped once more: the independent count finds its result, the reader does not.
    page = json.loads((FIXTURE / "openai/costs/pull_2026-09-05/page_0001.json").read_text())
    folder = tmp_path / "raw" / "openai" / "costs" / "pull_2026-09-05"
    folder.mkdir(parents=True)
    (folder / "page_0001.json").write_text(json.dumps({"page": page}))
    result = run_dbt(
        [
            *("build", "--select", "+landed_records_conserved_stg_openai__costs"),
            *("--indirect-selection", "cautious"),
        ],
        raw_dir=tmp_path / "raw",
        db=tmp_path / "ci.duckdb",
        close_dir=tmp_path / "close_records",
    )
    assert result.returncode != 0
    assert "FAIL 1 landed_records_conserved_stg_openai__costs" in result.stdout
    assert "ERROR=1 SKIP=0" in result.stdout  # that test is the one failure
    # The stored failure names the file and both counts.
    with duckdb.connect(str(tmp_path / "ci.duckdb"), read_only=True) as con:
        failures = con.execute(
            "select staging_model, source_file, landed_records, accounted_records"
            " from landed_records_conserved_stg_openai__costs"
        ).fetchall()
    assert failures == [("stg_openai__costs", str(folder / "page_0001.json"), 7, 0)]


def test_unrecognized_files_are_quarantined_without_a_period(landing):
    rows = (
        landing["con"]
        .execute(
            "select regexp_extract(source_file, '[^/]*$'), quarantine_reason, billing_period,"
            " detail from int_quarantined_rows_unioned"
            " where staging_model = 'stg_landing__inventory' order by 1"
        )
        .fetchall()
    )
    assert [row[:3] for row in rows] == [
        ("page_0001.json", "unrecognized_file", None),
        ("typo_in_folder_name.csv", "unrecognized_file", None),
    ]
    assert "mistral/usage/page_0001.json" in rows[0][3]
    exceptions = (
        landing["con"]
        .execute(
            "select item_count from fct_exceptions where kind = 'quarantined_row'"
            " and subject = 'stg_landing__inventory: unrecognized_file'"
        )
        .fetchall()
    )
    assert exceptions == [(2,)]


def test_an_unrecognized_file_blocks_the_close(landing, tmp_path):
    # The close checks of 2026-09 (tag:close, errors when close_period is set) on a copy of
    # the module's build (this module holds the build open), under the same file name.
    db = tmp_path / landing["db"].name
    shutil.copy(landing["db"], db)
    result = run_dbt(
        ["test", "--select", "tag:close", "--vars", "{close_period: '2026-09'}"],
        raw_dir=landing["raw"],
        db=db,
        close_dir=landing["close_dir"],
    )
    assert result.returncode != 0
    assert "Close of 2026-09 blocked" in result.stdout
    assert "quarantined row(s) in stg_landing__inventory (unrecognized_file" in result.stdout


def test_a_page_with_has_more_unknown_and_a_month_13_are_quarantined_not_fatal(landing):
    rows = (
        landing["con"]
        .execute(
            "select distinct regexp_extract(source_file, '/raw/(.*)$', 1), quarantine_reason"
            " from int_quarantined_rows_unioned"
            " where source_file like '%pull_2026-09-06%' or source_file like '%2026_13%'"
            " order by 1"
        )
        .fetchall()
    )
    assert rows == [
        ("invoices/period_2026_13.csv", "bad_billing_period"),
        ("openai/costs/pull_2026-09-06/page_0001.json", "page_sequence_incomplete"),
    ]
