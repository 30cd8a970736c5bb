"""The demo's marts are exactly the recorded ones: every fct_ table's column types and ordered
rows, hashed (tests/fixtures/demo_mart_hashes.json, recorded from the build before the load
layer replaced the landing macros; fct_billed_lines, new since, from its first build). A
change to any published figure on the demo fails here; when the change is intended, record
the new hashes (the failure prints them) in the same commit and say why in DECISIONLOG.md."""

import json

import duckdb
from helpers import ROOT, columns_with_rows_where
from test_determinism import mart_hashes

from ai_spend_recon.demo.litellm import ERROR_TEXT_CANARY

RECORDED = ROOT / "tests" / "fixtures" / "demo_mart_hashes.json"


def test_every_mart_on_the_demo_is_the_recorded_one(ci_build):
    recorded = json.loads(RECORDED.read_text())
    built = mart_hashes(ci_build)
    assert built == recorded, "new hashes:\n" + json.dumps(built, indent=2, sort_keys=True)


def test_the_demo_gateway_failures_take_their_kind_and_leave_their_error_text(ci_build, demo_raw):
    # The demo's LiteLLM failures carry LiteLLM's error information; each kind is read from
    # it (not from the status, only `failure`), and none of them is billable under the demo
    # policies. The message and traceback, in the landed files, are in no table.
    landed = b"".join(path.read_bytes() for path in (demo_raw / "telemetry/litellm").glob("*"))
    assert ERROR_TEXT_CANARY.encode() in landed
    with duckdb.connect(str(ci_build), read_only=True) as con:
        kinds = con.execute(
            "select provider, failure_kind, bool_or(is_failed), count(*) from fct_request_costs"
            " where telemetry_source = 'litellm' and failure_kind is not null group by all"
        ).fetchall()
        assert {kind for _, kind, _, _ in kinds} == {
            "rate_limited",
            "timeout",
            "error",
            "stream_interrupted",
        }
        assert all(failed for _, _, failed, _ in kinds)
        assert "stream_interrupted" not in {k for p, k, _, _ in kinds if p == "anthropic"}
        tables = con.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
            " join information_schema.tables t using (table_catalog, table_schema, table_name)"
            " where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'"
        ).fetchall()
        assert {schema for schema, _, _ in tables} >= {"raw", "main"}
        leaks = columns_with_rows_where(
            con, tables, "{0} like '%" + ERROR_TEXT_CANARY.split(":")[0] + "%'"
        )
    assert leaks == []
