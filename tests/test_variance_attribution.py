"""Each injected variance source shows up in its own category with the right amount.

The generator writes the amount of every injected source to demo/ground_truth.json; the
warehouse attributes variances from evidence alone. Amounts must agree within a cent (or
1% of the amount); nothing may be left unexplained and no category may appear that the
generator did not inject.
"""

import json
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "target" / "ci.duckdb"
RAW = Path(os.environ.get("RECON_RAW_DIR", ROOT / "demo" / "raw"))
TRUTH = RAW.parent / "ground_truth.json"

pytestmark = pytest.mark.usefixtures("ci_build")


def within(ours: Decimal, truth: Decimal) -> bool:
    return abs(ours - truth) <= max(Decimal("0.01"), abs(truth) / 100)


@pytest.fixture(scope="module")
def attributed(ci_build) -> dict:
    with duckdb.connect(str(DB), read_only=True) as con:
        rows = con.execute(
            "select billing_period, provider, variance_category, amount_usd from fct_variances"
        ).fetchall()
    return {(p, prov, cat): amount for p, prov, cat, amount in rows}


@pytest.fixture(scope="module")
def truth() -> dict:
    nested = json.loads(TRUTH.read_text())["variance_ground_truth"]
    return {
        (period, provider, category): Decimal(amount)
        for period, providers in nested.items()
        for provider, categories in providers.items()
        for category, amount in categories.items()
    }


def test_every_injected_source_is_attributed_to_its_category(attributed, truth):
    wrong = {
        key: (attributed.get(key, Decimal(0)), expected)
        for key, expected in truth.items()
        if not within(attributed.get(key, Decimal(0)), expected)
    }
    assert wrong == {}


def test_no_category_appears_that_was_not_injected(attributed, truth):
    extra = {
        key: amount
        for key, amount in attributed.items()
        if key not in truth and key[2] != "unexplained" and abs(amount) > Decimal("0.01")
    }
    assert extra == {}


def test_nothing_is_left_unexplained_on_the_demo(attributed):
    unexplained = {
        key: amount
        for key, amount in attributed.items()
        if key[2] == "unexplained" and abs(amount) > Decimal("0.01")
    }
    assert unexplained == {}


def test_bedrock_traffic_through_litellm_meets_its_cur_line_items_to_the_cent(ci_build):
    """The member account's Claude Haiku 4.5 traffic, logged by LiteLLM (custom_llm_provider
    bedrock, model bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0), and the account's
    CUR 2.0 line items (the system inference profile's ARN in line_item_resource_id) land on
    the same lines: each billed and observed, no variance beyond a cent."""
    with duckdb.connect(str(DB), read_only=True) as con:
        lines = con.execute(
            """
            select billing_period, usage_type, has_billed, has_observed, billed_usd,
                variance_usd
            from fct_reconciliation_lines
            where provider = 'aws_bedrock' and line_type = 'usage'
                and model like '%claude-haiku-4-5%'
            """
        ).fetchall()
        sources = con.execute(
            """
            select distinct telemetry_source from fct_request_costs
            where provider = 'aws_bedrock' and canonical_model like '%claude-haiku-4-5%'
            """
        ).fetchall()
    assert sources == [("litellm",)]
    assert {(period, usage_type) for period, usage_type, *_ in lines} >= {
        ("2026-08", "input_uncached"),
        ("2026-10", "output"),
    }
    for period, usage_type, has_billed, has_observed, billed, variance in lines:
        assert has_billed and has_observed and billed > 0, (period, usage_type)
        assert abs(variance) <= Decimal("0.01"), (period, usage_type, variance)
