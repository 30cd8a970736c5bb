"""Build the effective-dated price book seed from the maintained `genai-prices` package.

The price book is never typed by hand: this module walks genai-prices' provider data
(historic prices as conditional prices with start dates, long-context tiers, and
service-tier / batch price variants) and writes one row per

    provider x model x usage type x service tier x context threshold x validity window

to `seeds/price_book.csv`, and the catalog's own model-name matching rules (which names
a provider or gateway may report for each model: dated snapshots, Bedrock ids, ...) to
`seeds/model_match_rules.csv`, one row per atomic clause, so the models resolve names
exactly as the catalog does (int_model_names_resolved). Contract prices that differ from
list prices live in the company's `price_overrides.csv`, which wins over this book.

Units the catalog does not price yet (a video model's seconds) come from PUBLISHED_PRICES,
each row citing the provider's page it was copied from.

Usage: recon prices [--out seeds/price_book.csv] [--rules-out seeds/model_match_rules.csv]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import genai_prices
from genai_prices.data import providers
from genai_prices.types import (
    ClauseAnd,
    ClauseContains,
    ClauseEndsWith,
    ClauseEquals,
    ClauseOr,
    ClauseRegex,
    ClauseStartsWith,
    ModelPrice,
    StartDateConstraint,
    TieredPrices,
)

# genai-prices provider id -> this project's provider id.
PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "aws": "aws_bedrock",
    "azure": "azure_openai",
    "google": "google",
}

# genai-prices price key -> (usage_type, unit, units per quoted price)
PRICE_KEYS = {
    "input_mtok": ("input_uncached", "tokens", 1_000_000),
    "cache_read_mtok": ("cache_read", "tokens", 1_000_000),
    "cache_write_mtok": ("cache_write_5m", "tokens", 1_000_000),
    "cache_write_1h_mtok": ("cache_write_1h", "tokens", 1_000_000),
    "output_mtok": ("output", "tokens", 1_000_000),
    "input_audio_mtok": ("input_audio", "tokens", 1_000_000),
    "cache_audio_read_mtok": ("cache_read_audio", "tokens", 1_000_000),
    "output_audio_mtok": ("output_audio", "tokens", 1_000_000),
    "input_image_mtok": ("input_image", "tokens", 1_000_000),
    "cache_image_read_mtok": ("cache_read_image", "tokens", 1_000_000),
    "output_image_mtok": ("output_image", "tokens", 1_000_000),
    "input_mchars": ("input_characters", "characters", 1_000_000),
    "audio_hours": ("audio_seconds", "seconds", 3600),
    "input_audio_hours": ("audio_seconds", "seconds", 3600),
    "web_searches_kcount": ("web_search", "requests", 1000),
    "requests_kcount": ("request", "requests", 1000),
}

# genai-prices variant condition -> service tier in this project's vocabulary.
VARIANT_TIERS = {
    ("processing", "batch"): "batch",
    ("service_tier", "priority"): "priority",
    ("service_tier", "flex"): "flex",
}

BOOK_START = date(2020, 1, 1)
OPEN_END = date(9999, 12, 31)

# Units the catalog does not price (genai-prices 0.2.3 has no video generation model): rows
# copied from the provider's own price page, each citing the page in price_source. The
# catalog wins for a key it prices too (it is added later; the later definition wins).
# sora-2-pro is left out: its rate per second depends on the video's size (720p or 1024p),
# which neither the Videos API's usage nor LiteLLM's spend log carries (DECISIONLOG).
PUBLISHED_PRICES = [
    # (provider, model_id, usage_type, unit, units per quoted price, USD per quoted price,
    #  source)
    (
        "openai",
        "sora-2",
        "video_seconds",
        "seconds",
        1,
        "0.10",
        "OpenAI model page developers.openai.com/api/docs/models/sora-2"
        " (video generation per second at 720x1280 or 1280x720; checked 2026-12-07)",
    ),
]

COLUMNS = [
    "price_id",
    "provider",
    "model_id",
    "usage_type",
    "service_tier",
    "context_threshold_tokens",
    "unit",
    "units_per_price",
    "usd_per_price_unit",
    "usd_per_unit",
    "valid_from",
    "valid_to",
    "price_source",
]


@dataclass(frozen=True)
class PriceRow:
    provider: str
    model_id: str
    usage_type: str
    service_tier: str
    context_threshold_tokens: int
    unit: str
    units_per_price: int
    usd_per_price_unit: Decimal
    valid_from: date
    valid_to: date
    price_source: str

    def as_csv(self) -> dict[str, str]:
        key = "|".join(
            str(v)
            for v in (
                self.provider,
                self.model_id,
                self.usage_type,
                self.service_tier,
                self.context_threshold_tokens,
                self.valid_from,
            )
        )
        return {
            "price_id": "pb_" + hashlib.sha256(key.encode()).hexdigest()[:16],
            "provider": self.provider,
            "model_id": self.model_id,
            "usage_type": self.usage_type,
            "service_tier": self.service_tier,
            "context_threshold_tokens": str(self.context_threshold_tokens),
            "unit": self.unit,
            "units_per_price": str(self.units_per_price),
            "usd_per_price_unit": format(self.usd_per_price_unit.normalize(), "f"),
            "usd_per_unit": format(
                (self.usd_per_price_unit / self.units_per_price).normalize(), "f"
            ),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "price_source": self.price_source,
        }


def price_periods(model) -> list[tuple[date, date, ModelPrice]]:
    """Split a model's (conditional) prices into [valid_from, valid_to) windows."""
    if isinstance(model.prices, ModelPrice):
        return [(BOOK_START, OPEN_END, model.prices)]
    dated = []
    for conditional in model.prices:
        constraint = conditional.constraint
        if constraint is None:
            start = BOOK_START
        elif isinstance(constraint, StartDateConstraint):
            start = constraint.start_date
        else:  # time-of-day prices (off-peak) are not modelled in this book
            continue
        dated.append((start, conditional.prices))
    dated.sort(key=lambda item: item[0])
    periods = []
    for index, (start, prices) in enumerate(dated):
        end = dated[index + 1][0] if index + 1 < len(dated) else OPEN_END
        if start < end:
            periods.append((start, end, prices))
    return periods


def rows_for_prices(
    provider: str,
    model_id: str,
    prices: ModelPrice,
    service_tier: str,
    valid_from: date,
    valid_to: date,
    source: str,
) -> list[PriceRow]:
    rows = []
    for key, value in prices.__dict__.items():
        if value is None or key not in PRICE_KEYS:
            continue
        usage_type, unit, per = PRICE_KEYS[key]
        tiers = [(0, value)]
        if isinstance(value, TieredPrices):
            tiers = [(0, value.base)] + [(tier.start, tier.price) for tier in value.tiers]
        for threshold, price in tiers:
            rows.append(
                PriceRow(
                    provider,
                    model_id,
                    usage_type,
                    service_tier,
                    threshold,
                    unit,
                    per,
                    Decimal(price),
                    valid_from,
                    valid_to,
                    source,
                )
            )
    return rows


def published_rows() -> list[PriceRow]:
    """The PUBLISHED_PRICES rows, standard tier, valid over the whole book."""
    return [
        PriceRow(
            provider,
            model_id,
            usage_type,
            "standard",
            0,
            unit,
            per,
            Decimal(price),
            BOOK_START,
            OPEN_END,
            source,
        )
        for provider, model_id, usage_type, unit, per, price, source in PUBLISHED_PRICES
    ]


def build_rows() -> list[PriceRow]:
    source = f"genai-prices {genai_prices.__version__}"
    rows: list[PriceRow] = published_rows()
    for provider in providers:
        our_provider = PROVIDERS.get(provider.id)
        if our_provider is None:
            continue
        for model in provider.models:
            for start, end, prices in price_periods(model):
                rows += rows_for_prices(
                    our_provider, model.id, prices, "standard", start, end, source
                )
                for variant in model.price_variants or ():
                    conditions = list(variant.when.items())
                    if len(conditions) != 1 or conditions[0] not in VARIANT_TIERS:
                        continue
                    variant_start = start
                    if isinstance(variant.constraint, StartDateConstraint):
                        variant_start = max(start, variant.constraint.start_date)
                    elif variant.constraint is not None:
                        continue
                    if variant_start >= end:
                        continue
                    rows += rows_for_prices(
                        our_provider,
                        model.id,
                        variant.prices,
                        VARIANT_TIERS[conditions[0]],
                        variant_start,
                        end,
                        source,
                    )
    # One row per key and window: the later definition wins if the package repeats one.
    unique: dict[tuple, PriceRow] = {}
    for row in rows:
        unique[
            (
                row.provider,
                row.model_id,
                row.usage_type,
                row.service_tier,
                row.context_threshold_tokens,
                row.valid_from,
            )
        ] = row
    return sorted(
        unique.values(),
        key=lambda r: (
            r.provider,
            r.model_id,
            r.usage_type,
            r.service_tier,
            r.context_threshold_tokens,
            r.valid_from,
        ),
    )


RULE_COLUMNS = ["provider", "model_id", "model_rank", "alternative", "match_kind", "match_text"]

# genai-prices clause -> (match_kind, attribute holding its text)
LEAF_CLAUSES = {
    ClauseEquals: ("equals", "equals"),
    ClauseStartsWith: ("starts_with", "starts_with"),
    ClauseEndsWith: ("ends_with", "ends_with"),
    ClauseContains: ("contains", "contains"),
    ClauseRegex: ("regex", "regex"),
}


def clause_alternatives(clause) -> list[list[tuple[str, str]]]:
    """A match clause as alternatives (OR) of atomic clauses that must all hold (AND).
    Text clauses compare lower case (the catalog lower-cases both sides); a regex is kept
    as written (the catalog searches the lower-cased name with it), a negative lookahead as
    not_regex (regex_clause)."""
    if isinstance(clause, ClauseOr):
        return [alt for sub in clause.or_ for alt in clause_alternatives(sub)]
    if isinstance(clause, ClauseAnd):
        combined: list[list[tuple[str, str]]] = [[]]
        for sub in clause.and_:
            combined = [left + right for left in combined for right in clause_alternatives(sub)]
        return combined
    kind, attribute = LEAF_CLAUSES[type(clause)]
    text = getattr(clause, attribute)
    if kind == "regex":
        return [[regex_clause(text)]]
    return [[(kind, text.lower())]]


# A catalog regex that only says what a name must not contain: ^(?!.*<pattern>).
NEGATIVE_LOOKAHEAD = re.compile(r"\^\(\?!\.\*(?P<pattern>.*)\)")


def regex_clause(text: str) -> tuple[str, str]:
    """A catalog regex as a clause both engines read: RE2 (DuckDB) has no lookaround, so
    `^(?!.*X)` (the google list's "not a -tts model") becomes not_regex X (the name does not
    contain a match of X); any other lookaround stops the build of the book rather than
    writing a rule one engine cannot read."""
    negative = NEGATIVE_LOOKAHEAD.fullmatch(text)
    if negative and "(?=" not in negative["pattern"] and "(?!" not in negative["pattern"]:
        return ("not_regex", negative["pattern"])
    if any(look in text for look in ("(?=", "(?!", "(?<=", "(?<!")):
        raise ValueError(f"catalog regex {text!r} uses lookaround, which RE2 cannot read")
    return ("regex", text)


def build_match_rules() -> list[dict[str, str]]:
    """One row per atomic clause of each model's match rule, in the catalog's model order
    (model_rank: the first model whose rule matches a name is the catalog's answer)."""
    rules = []
    for provider in providers:
        our_provider = PROVIDERS.get(provider.id)
        if our_provider is None:
            continue
        for rank, model in enumerate(provider.models, start=1):
            for alternative, clauses in enumerate(clause_alternatives(model.match), start=1):
                for kind, text in clauses:
                    rules.append(
                        {
                            "provider": our_provider,
                            "model_id": model.id,
                            "model_rank": str(rank),
                            "alternative": str(alternative),
                            "match_kind": kind,
                            "match_text": text,
                        }
                    )
    return rules


def write_rules(rules: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RULE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rules)


def write_book(rows: list[PriceRow], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row.as_csv())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("seeds/price_book.csv"))
    parser.add_argument("--rules-out", type=Path, default=Path("seeds/model_match_rules.csv"))
    args = parser.parse_args(argv)
    rows = build_rows()
    write_book(rows, args.out)
    print(f"wrote {len(rows)} price rows to {args.out}")
    rules = build_match_rules()
    write_rules(rules, args.rules_out)
    print(f"wrote {len(rules)} model-name match clauses to {args.rules_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
