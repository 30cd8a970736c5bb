import csv
from datetime import date
from decimal import Decimal

import pytest

from ai_spend_recon import price_book


def test_book_has_context_tiers_batch_variants_and_exact_unit_rates(tmp_path):
    rows = price_book.build_rows()
    out = tmp_path / "book.csv"
    price_book.write_book(rows, out)
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
    periods = price_book.price_periods(model)
    assert periods[0][0] == price_book.BOOK_START
    assert periods[0][1] == periods[1][0] == date(2026, 3, 13)
    assert periods[-1][1] == price_book.OPEN_END


def resolve_with_rules(rules: list[dict[str, str]], provider: str, name: str) -> str | None:
    """The SQL resolution (int_model_names_resolved, catalog step) replayed on the rows."""
    import re

    name = name.lower()
    met: dict[tuple[int, str, str], bool] = {}
    for rule in rules:
        if rule["provider"] != provider:
            continue
        kind, text = rule["match_kind"], rule["match_text"]
        ok = {
            "equals": name == text,
            "starts_with": name.startswith(text),
            "ends_with": name.endswith(text),
            "contains": text in name,
            "regex": re.search(text, name) is not None,
            "not_regex": re.search(text, name) is None,
        }[kind]
        key = (int(rule["model_rank"]), rule["model_id"], rule["alternative"])
        met[key] = met.get(key, True) and ok
    matches = sorted(key for key, ok in met.items() if ok)
    return matches[0][1] if matches else None


def test_exported_match_rules_resolve_names_exactly_as_the_catalog(tmp_path):
    from genai_prices.data import providers

    rules = price_book.build_match_rules()
    out = tmp_path / "rules.csv"
    price_book.write_rules(rules, out)
    rules = list(csv.DictReader(out.open()))
    names = [
        "gpt-4o-2024-08-06",
        "gpt-4o-mini-2024-07-18",
        "gpt-4.1-2025-04-14",
        "claude-haiku-4-5-20251001",
        "claude-3-5-sonnet-20241022",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "eu.amazon.nova-lite-v1:0",
        "text-embedding-ada-002",
        "o3-mini-2025-01-31",
        "gemini-2.5-flash",
        "gemini-2.5-pro-preview-tts",
        "gemini-2.5-flash-lite-preview-06-17",
        "unknown-model-9",
    ]
    checked = 0
    for catalog_provider in providers:
        ours = price_book.PROVIDERS.get(catalog_provider.id)
        if ours is None:
            continue
        for name in names + [model.id for model in catalog_provider.models]:
            # The catalog itself, without its fallback to other providers' lists.
            expected = catalog_provider._match_model(name.lower())
            got = resolve_with_rules(rules, ours, name)
            assert got == (expected.id if expected else None), (ours, name)
            checked += 1
    assert checked > len(names) * len(set(price_book.PROVIDERS.values()))


def test_a_negative_lookahead_becomes_a_not_regex_clause():
    # google's list says "not a -tts model" with ^(?!...), which RE2 (DuckDB) cannot read.
    assert price_book.regex_clause("^(?!.*-[tT][tT][sS](?:$|-))") == (
        "not_regex",
        "-[tT][tT][sS](?:$|-)",
    )
    assert price_book.regex_clause("^gemini-") == ("regex", "^gemini-")
    with pytest.raises(ValueError, match="lookaround"):
        price_book.regex_clause("gemini(?=-pro)")


def test_video_seconds_are_priced_from_the_providers_page_and_cite_it():
    rows = [r for r in price_book.build_rows() if r.usage_type == "video_seconds"]
    assert [(r.provider, r.model_id, r.unit, r.usd_per_price_unit) for r in rows] == [
        ("openai", "sora-2", "seconds", Decimal("0.10"))
    ]
    row = rows[0].as_csv()
    assert row["usd_per_unit"] == "0.1"
    assert "developers.openai.com/api/docs/models/sora-2" in row["price_source"]
    # sora-2-pro's rate depends on the size no telemetry carries: not in the book.
    assert not [r for r in price_book.build_rows() if r.model_id == "sora-2-pro"]
