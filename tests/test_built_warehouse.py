"""Checks on the CI build (target/ci.duckdb, built by `make test` before pytest runs, or by
the ci_build fixture when absent)."""

import json

import duckdb
import pytest
from helpers import CI_DB, ROOT, columns_with_rows_where

from ai_spend_recon import period_summary

MANIFEST = ROOT / "target" / "manifest.json"

pytestmark = pytest.mark.usefixtures("ci_build")


@pytest.fixture(scope="module")
def con(ci_build):
    with duckdb.connect(str(CI_DB), read_only=True) as connection:
        yield connection


def test_every_mart_money_column_is_decimal(con):
    rows = con.execute(
        """
        select table_name, column_name, data_type from information_schema.columns
        where table_name like 'fct_%'
            and regexp_matches(column_name, '(_usd|_reporting|_amount)$')
        """
    ).fetchall()
    assert rows, "no money columns found"
    assert [r for r in rows if not r[2].startswith("DECIMAL")] == []


def test_no_payload_or_secret_columns_in_marts(con):
    rows = con.execute(
        """
        select table_name, column_name from information_schema.columns
        where table_name like 'fct_%'
            and regexp_matches(lower(column_name),
                '(prompt|message|completion|content|response|body|secret|authorization|api_key$)')
        """
    ).fetchall()
    assert rows == []


def test_canary_key_never_reaches_a_model(con):
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema = 'main'"
        " and table_name not like '%csv_rejects'"
    ).fetchall()
    leaks = columns_with_rows_where(con, columns, "{} like '%sk-proj-CANARY%'")
    assert leaks == []


def test_chargeable_totals_are_conserved_from_billed_lines(con):
    billed_lines, mart = con.execute(
        """
        select
            (select sum(billed_usd) from int_billed_lines_aggregated_to_line_tier_grain),
            (select sum(billed_usd) from fct_reconciliation_lines)
        """
    ).fetchone()
    assert billed_lines == mart


def test_superseded_pull_is_counted_once(con):
    dup = con.execute(
        """
        select count(*) from stg_openai__costs where record_status = 'valid'
        group by bucket_start_at, project_id, api_key_id, line_item having count(*) > 1
        """
    ).fetchall()
    assert dup == []
    superseded = con.execute(
        "select count(*) from stg_openai__costs where record_status = 'superseded'"
    ).fetchone()[0]
    assert superseded > 0  # the demo re-pulls Oct 20-31


def test_period_summary_prints_every_demo_month():
    rows = period_summary.fetch_summary(CI_DB)
    text = period_summary.render(rows)
    for period in ("2026-08", "2026-09", "2026-10"):
        assert period in text


def test_every_model_declares_its_grain_and_lives_in_its_layer():
    manifest = json.loads(MANIFEST.read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        assert node["description"].startswith("One row per"), node["name"]
        path = node["original_file_path"]
        name = node["name"]
        if name.startswith("stg_"):
            assert path.startswith("models/staging/"), path
        elif name.startswith("int_"):
            assert path.startswith("models/intermediate/"), path
        else:
            assert name.startswith(("fct_", "dim_")) and path.startswith("models/marts/"), path


def test_every_model_column_is_documented(con):
    # Staging, intermediate and marts: every column a model builds has a description.
    manifest = json.loads(MANIFEST.read_text())
    documented = {
        node["name"]: {
            name for name, column in node["columns"].items() if column.get("description")
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    built = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'main'"
    ).fetchall()
    built = [(t, c) for t, c in built if t in documented]
    assert {t.split("_")[0] for t, _ in built} == {"stg", "int", "fct", "dim"}
    assert [(t, c) for t, c in built if c not in documented[t]] == []
