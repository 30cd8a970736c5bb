"""fct_exceptions on the demo: the injected problems appear, with the injected amounts."""

import json
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "target" / "ci.duckdb"
TRUTH = Path(os.environ.get("RECON_RAW_DIR", ROOT / "demo" / "raw")).parent / "ground_truth.json"

pytestmark = pytest.mark.usefixtures("ci_build")


@pytest.fixture(scope="module")
def exceptions(ci_build) -> dict:
    with duckdb.connect(str(DB), read_only=True) as con:
        rows = con.execute(
            "select kind, billing_period, sum(amount_usd), sum(item_count)"
            " from fct_exceptions group by all"
        ).fetchall()
    return {(kind, period): (amount, count) for kind, period, amount, count in rows}


def exception_truth() -> dict:
    return json.loads(TRUTH.read_text())["exception_ground_truth"]


def truth(category: str, provider: str | None) -> dict:
    """Per period, the category's injected amount for the provider (None: all providers)."""
    nested = json.loads(TRUTH.read_text())["variance_ground_truth"]
    totals: dict = {}
    for period, providers in nested.items():
        for name, categories in providers.items():
            if provider in (None, name) and category in categories:
                totals[period] = totals.get(period, Decimal(0)) + Decimal(categories[category])
    return totals


def test_every_demo_exception_kind_is_flagged(exceptions):
    kinds = {kind for kind, _ in exceptions}
    assert {
        "orphan_key",
        "missing_owner",
        "failed_retries",
        "fallback_route",
        "unusual_service_tier",
        "unapproved_batch",
        "environment_mismatch",
        "unpriced_model",
        "unapproved_top_up",
        "quarantined_row",
    } <= kinds


def test_the_unfinished_recharge_row_is_a_quarantined_row_without_an_amount(exceptions):
    # The demo's one bad input: a recharge row whose amount is "TBD".
    assert exceptions[("quarantined_row", "2026-10")] == (None, 1)
    assert [key for key in exceptions if key[0] == "quarantined_row"] == [
        ("quarantined_row", "2026-10")
    ]


@pytest.mark.parametrize(
    ("kind", "category", "provider"),
    [
        # every provider's billing without telemetry: OpenAI's legacy project and support
        # script, the Azure evaluation resource
        ("orphan_key", "missing_telemetry", None),
        ("unpriced_model", "unpriced_model", "openai"),
    ],
)
def test_billing_side_exception_amounts_match_the_injected_variances(
    exceptions, kind, category, provider
):
    for period, expected in truth(category, provider).items():
        assert abs(exceptions[(kind, period)][0] - expected) <= Decimal("0.01"), period


def test_unusual_tier_amount_is_the_unbilled_priority_usage(exceptions):
    for period, expected in truth("unbilled_usage", "anthropic").items():
        assert abs(exceptions[("unusual_service_tier", period)][0] + expected) <= Decimal("0.01")


@pytest.mark.parametrize(
    "kind",
    [
        "missing_owner",
        "failed_retries",
        "fallback_route",
        "unusual_service_tier",
        "unapproved_batch",
        "environment_mismatch",
        "unapproved_top_up",
    ],
)
def test_exception_amounts_per_period_match_the_generator(exceptions, kind):
    # The generator prices what the gateways logged on its own (ai_spend_recon.demo's
    # exception_ground_truth); every period flagged must be expected, with its amount.
    expected = {period: Decimal(amount) for period, amount in exception_truth()[kind].items()}
    flagged = {period: amount for (k, period), (amount, _) in exceptions.items() if k == kind}
    assert flagged.keys() == expected.keys()
    for period, amount in expected.items():
        assert abs(flagged[period] - amount) <= Decimal("0.000001"), period
