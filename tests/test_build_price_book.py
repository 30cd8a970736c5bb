import csv
from datetime import date
from decimal import Decimal

import build_price_book


def test_book_has_context_tiers_batch_variants_and_exact_unit_rates(tmp_path):
    rows = build_price_book.build_rows()
    out = tmp_path / "book.csv"
    build_price_book.write_book(rows, out)
    book = list(csv.DictReader(out.open()))
    sonnet = [
        r
        for r in book
        if r["provider"] == "anthropic"
        and r["model_id"] == "claude-sonnet-4-5"
        and r["usage_type"] == "input_uncached"
    ]
    tiers = {(r["service_tier"], r["context_threshold_tokens"]): r for r in sonnet}
    # long-context premium applies above 200k tokens, and the batch variant halves the rate
    assert Decimal(tiers[("standard", "0")]["usd_per_price_unit"]) == Decimal("3")
    assert Decimal(tiers[("standard", "200000")]["usd_per_price_unit"]) == Decimal("6")
    assert tiers[("batch", "0")]["valid_from"] >= "2026-10-14"
    # per-unit rate is the quoted rate divided exactly, never a float
    assert Decimal(tiers[("standard", "0")]["usd_per_unit"]) == Decimal("0.000003")
    ids = [r["price_id"] for r in book]
    assert len(ids) == len(set(ids))


def test_price_periods_split_dated_prices_into_windows():
    from genai_prices.data import providers

    model = next(
        m for p in providers if p.id == "anthropic" for m in p.models if m.id == "claude-sonnet-4-6"
    )
    periods = build_price_book.price_periods(model)
    assert periods[0][0] == build_price_book.BOOK_START
    assert periods[0][1] == periods[1][0] == date(2026, 3, 13)
    assert periods[-1][1] == build_price_book.OPEN_END
