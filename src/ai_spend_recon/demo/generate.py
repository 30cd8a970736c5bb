"""Generate a deterministic demo landing zone in the providers' real export formats.

The generator simulates one organisation's AI traffic for three months: a "true" request
table (what really happened at the providers), the provider-side exports billed from it
(OpenAI costs/usage pages, Anthropic cost/usage report pages, a FOCUS 1.2 CSV for AWS
Bedrock, invoice CSVs) and the gateway telemetry that recorded it (LiteLLM SpendLogs CSV,
OpenTelemetry GenAI spans as OTLP/JSON lines, the project's own request log as Parquet),
plus prepaid recharges, reviewer decisions and sign-offs.

Every variance source the reconciliation must explain is injected on purpose and its
amount is written to `<out>/../ground_truth.json` (see DEMO_SCENARIO in README.md):

  timing_window          LiteLLM's clock runs CLOCK_SKEW_MINUTES behind the providers
  cache_pricing          LiteLLM drops cached-token counts for the support prod key
  tier_breakpoint        Bedrock contract volume tier (config/demo/contract_volume_tiers.csv)
  service_tier_or_batch  growth's batch jobs are logged without the batch flag
  failed_request_billing Anthropic bills input of streams interrupted mid-way; OTel logs 0
  credit_or_promo        a trial credit on the September OpenAI invoice
  prior_period_correction an October OpenAI adjustment that corrects August
  tax_or_fee             FOCUS tax rows and an invoice platform fee
  fx_rounding            invoice usage lines are rounded to the cent per model
  unpriced_model         a preview model missing from the price book
  missing_telemetry      a legacy OpenAI project no gateway sees, and a support script
                         calling OpenAI with its own key inside the support project,
                         which the gateway also serves (named through the costs'
                         api_key_id)
  unbilled_usage         Anthropic priority-tier usage absent from the cost report

The same file holds `exception_ground_truth`: per fct_exceptions kind and period, the cost
of the flagged requests as the gateways logged them (or the billed batch cost, the
unapproved top-up), priced here independently of the warehouse.

Usage: recon demo-data --out demo/raw [--requests 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ai_spend_recon.paths import DEMO_CONFIG_DIR as CONFIG
from ai_spend_recon.paths import SEEDS_DIR as SEEDS

PERIODS = ["2026-08", "2026-09", "2026-10"]
START = datetime(2026, 8, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
CLOCK_SKEW_MINUTES = 20
OPENAI_ORG = "org-demo01"
ANTHROPIC_ORG = "org-demo-anthropic"
AWS_ACCOUNT = "123456789012"
CANARY_KEY = "sk-proj-CANARYcanary0123456789abcdefDONOTLEAK"
# The provider's own list price for a model the price book does not know (USD per 1M tokens).
UNPRICED_MODEL_RATES = {"input_uncached": Decimal("4"), "output": Decimal("16")}

# One row per workload: who sends what through which telemetry.
# weight, provider, reported model, price-book model, api key, project/workspace,
# telemetry source, true service tier, mean input tokens, cache share, mean output tokens
WORKLOADS = [
    (
        "support_prod",
        0.20,
        "openai",
        "gpt-4.1-2025-04-14",
        "gpt-4.1",
        "key_support_prod",
        "proj_support",
        "litellm",
        "standard",
        3000,
        0.6,
        350,
    ),
    (
        "support_stg",
        0.08,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_support_stg",
        "proj_support",
        "litellm",
        "standard",
        1500,
        0.0,
        200,
    ),
    (
        "search_embed",
        0.12,
        "openai",
        "text-embedding-3-small",
        "text-embedding-3-small",
        "key_search",
        "proj_search",
        "litellm",
        "standard",
        800,
        0.0,
        0,
    ),
    (
        "growth_batch",
        0.10,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_growth_batch",
        "proj_growth",
        "litellm",
        "batch",
        2500,
        0.0,
        600,
    ),
    (
        "research_eval",
        0.03,
        "openai",
        "gpt-5.9-preview",
        None,
        "key_research_eval",
        "proj_research",
        "litellm",
        "standard",
        4000,
        0.0,
        800,
    ),
    (
        "platform_shared",
        0.06,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_shared_platform",
        "proj_platform",
        "litellm",
        "standard",
        1200,
        0.0,
        250,
    ),
    (
        "legacy_orphan",
        0.02,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_orphan_legacy",
        "proj_legacy",
        None,
        "standard",
        1000,
        0.0,
        150,
    ),
    (
        "support_script",
        0.01,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_support_script",
        "proj_support",
        None,
        "standard",
        1200,
        0.0,
        150,
    ),
    (
        "support_tools",
        0.02,
        "openai",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-mini",
        "key_support_tools",
        "proj_support",
        "requests",
        "standard",
        900,
        0.0,
        120,
    ),
    (
        "legal_review",
        0.07,
        "anthropic",
        "claude-sonnet-latest",
        None,
        "apikey_legal",
        "wrkspc_legal",
        "otel",
        "standard",
        90000,
        0.3,
        1500,
    ),
    (
        "support_haiku",
        0.14,
        "anthropic",
        "claude-haiku-4-5-20251001",
        "claude-haiku-4-5",
        "apikey_support",
        "wrkspc_support",
        "otel",
        "standard",
        6000,
        0.5,
        400,
    ),
    (
        "support_priority",
        0.02,
        "anthropic",
        "claude-haiku-4-5-20251001",
        "claude-haiku-4-5",
        "apikey_support",
        "wrkspc_support",
        "otel",
        "priority",
        3000,
        0.0,
        300,
    ),
    (
        "dataplat_sonnet",
        0.10,
        "aws_bedrock",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "regional.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "role/dataplat-app",
        "bedrock-dataplat",
        "requests",
        "standard",
        60000,
        0.0,
        900,
    ),
    (
        "analytics_nova",
        0.06,
        "aws_bedrock",
        "us.amazon.nova-pro-v1:0",
        "amazon.nova-pro-v1:0",
        "role/analytics-eval",
        "bedrock-dataplat",
        "requests",
        "standard",
        2000,
        0.0,
        500,
    ),
]
WL_COLS = [
    "workload",
    "weight",
    "provider",
    "reported_model",
    "model_id",
    "api_key_id",
    "project_id",
    "telemetry",
    "service_tier",
    "mean_input",
    "cache_share",
    "mean_output",
]


# How each gateway identifies a workload, in fields real gateways write: the LiteLLM
# deployment (model_info.id, fixing the provider credential) and virtual-key alias; the
# OTel resource's service.name. config/demo/gateway_mappings.csv maps them to provider
# projects and keys (the platform key by its alias; its deployment is left unmapped).
GATEWAY_IDENTITIES = {
    "support_prod": ("support-prod-gpt-4.1", "support-prod", None),
    "support_stg": ("support-stg-gpt-4.1-mini", "support-stg", None),
    "search_embed": ("search-text-embedding-3-small", "search", None),
    "growth_batch": ("growth-batch-gpt-4.1-mini", "growth-batch", None),
    "research_eval": ("research-gpt-5.9-preview", "research-eval", None),
    "platform_shared": ("platform-gpt-4.1-mini", "platform-shared", None),
    "legal_review": (None, None, "contract-review"),
    "support_haiku": (None, None, "support-triage"),
    "support_priority": (None, None, "support-triage-priority"),
}


def sha(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def simulate_requests(n: int, seed: int) -> pa.Table:
    """The true request table: what the providers saw and billed."""
    rng = np.random.default_rng(seed)
    weights = np.array([w[1] for w in WORKLOADS])
    wl_index = rng.choice(len(WORKLOADS), size=n, p=weights / weights.sum())
    span = (END - START).total_seconds()
    offsets = rng.uniform(0, span, size=n)
    edge = CLOCK_SKEW_MINUTES * 60
    # Keep ordinary traffic away from month edges; a scheduled job provides the edge traffic.
    month_starts = [
        (datetime.fromisoformat(p + "-01T00:00:00+00:00") - START).total_seconds()
        for p in PERIODS[1:]
    ] + [span]
    for boundary in month_starts:
        near = np.abs(offsets - boundary) < edge
        offsets[near] = offsets[near] - 3 * edge
    offsets = np.clip(offsets, 0, span - 1)
    # The support staging key runs a digest job at 00:00-00:15 UTC on the 1st of each month.
    burst = max(12, n // 400)
    burst_month = rng.integers(0, len(PERIODS), size=burst)
    burst_starts = np.array(
        [
            (datetime.fromisoformat(p + "-01T00:00:00+00:00") - START).total_seconds()
            for p in PERIODS
        ]
    )
    burst_offsets = burst_starts[burst_month] + rng.uniform(60, edge - 120, size=burst)
    staging_index = [w[0] for w in WORKLOADS].index("support_stg")
    wl_index = np.concatenate([wl_index, np.full(burst, staging_index)])
    offsets = np.concatenate([offsets, burst_offsets])
    total = len(offsets)

    mean_in = np.array([w[9] for w in WORKLOADS], dtype=float)[wl_index]
    cache_share = np.array([w[10] for w in WORKLOADS], dtype=float)[wl_index]
    mean_out = np.array([w[11] for w in WORKLOADS], dtype=float)[wl_index]
    total_input = np.maximum(1, rng.gamma(2.0, mean_in / 2.0)).astype(np.int64)
    # The month-start digest job sends whole ticket backlogs: large prompts.
    total_input[-burst:] = rng.integers(150_000, 250_000, size=burst)
    legal = wl_index == [w[0] for w in WORKLOADS].index("legal_review")
    # A fifth of contract reviews are whole data rooms: prompts above the 200k context tier.
    long_docs = legal & (rng.uniform(size=total) < 0.2)
    total_input[long_docs] = rng.integers(210_000, 400_000, size=long_docs.sum())
    cache_read = (total_input * cache_share * rng.uniform(0.5, 1.0, size=total)).astype(np.int64)
    anthropic = np.array([w[2] == "anthropic" for w in WORKLOADS])[wl_index]
    cache_write_5m = np.where(
        anthropic & (cache_share > 0), (total_input - cache_read) * 0.2, 0
    ).astype(np.int64)
    uncached = total_input - cache_read - cache_write_5m
    output = np.where(mean_out > 0, np.maximum(1, rng.gamma(2.0, np.maximum(mean_out, 1) / 2.0)), 0)
    output = output.astype(np.int64)
    reasoning = np.where(
        np.array([w[0] == "research_eval" for w in WORKLOADS])[wl_index], output // 3, 0
    )
    # Anthropic streams interrupted mid-way: billed for input and the partial output.
    interrupted = legal & (rng.uniform(size=total) < 0.05)
    output = np.where(interrupted, output // 4, output)
    retries = np.where(rng.uniform(size=total) < 0.04, rng.integers(1, 3, size=total), 0)
    fallback = (rng.uniform(size=total) < 0.02) & ~legal
    start_us = np.datetime64(START.replace(tzinfo=None), "us")
    used_at = start_us + np.round(offsets * 1e6).astype("timedelta64[us]")
    order = np.argsort(offsets, kind="stable")

    def col(values):
        return values[order]

    # request_id is derived from the position after sorting (in DuckDB, see main()).
    return pa.table(
        {
            "position": np.arange(total, dtype=np.int64),
            "workload": col(np.array([w[0] for w in WORKLOADS])[wl_index]),
            "used_at": pa.array(col(used_at), type=pa.timestamp("us", tz="UTC")),
            "input_uncached_tokens": col(uncached),
            "cache_read_tokens": col(cache_read),
            "cache_write_5m_tokens": col(cache_write_5m),
            "output_tokens": col(output),
            "reasoning_tokens": col(reasoning),
            "is_interrupted": col(interrupted),
            "retry_count": col(retries),
            "is_fallback": col(fallback),
        }
    )


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table workloads as select * from (values "
        + ",".join(
            "(" + ",".join("null" if v is None else repr(v) for v in w) + ")" for w in WORKLOADS
        )
        + ") as t("
        + ",".join(WL_COLS)
        + ")"
    )
    con.execute(
        "create table gateway_identities as select * from (values "
        + ",".join(
            "(" + ",".join("null" if v is None else repr(v) for v in (name, *ids)) + ")"
            for name, ids in GATEWAY_IDENTITIES.items()
        )
        + ") as t(workload, deployment_id, key_alias, service_name)"
    )
    con.execute(
        f"""
        create table prices as
        select provider, model_id, usage_type, service_tier, context_threshold_tokens,
               cast(usd_per_unit as decimal(38, 18)) as usd_per_unit,
               cast(valid_from as date) as valid_from, cast(valid_to as date) as valid_to,
               1 as priority
        from read_csv('{CONFIG / "price_overrides.csv"}', all_varchar = true)
        union all
        select provider, model_id, usage_type, service_tier, context_threshold_tokens,
               cast(usd_per_unit as decimal(38, 18)),
               cast(valid_from as date), cast(valid_to as date), 2
        from read_csv('{SEEDS / "price_book.csv"}', all_varchar = true)
        """
    )
    con.execute(
        f"create table aliases as select * from read_csv('{CONFIG / 'model_aliases.csv'}',"
        " all_varchar = true)"
    )


BILLED_SQL = """
create table billed_tokens as
with requests as (
    select r.*, w.provider, w.reported_model, w.api_key_id, w.project_id, w.telemetry,
           w.service_tier,
           coalesce(w.model_id, a.model_id) as model_id,
           input_uncached_tokens + cache_read_tokens + cache_write_5m_tokens as total_input
    from truth as r
    join workloads as w using (workload)
    left join aliases as a
        on a.provider = w.provider and a.alias = w.reported_model
        and cast(r.used_at as date) >= cast(a.valid_from as date)
        and cast(r.used_at as date) < cast(a.valid_to as date)
),
unpivoted as (
    unpivot requests on input_uncached_tokens as 'input_uncached',
        cache_read_tokens as 'cache_read', cache_write_5m_tokens as 'cache_write_5m',
        output_tokens as 'output'
    into name usage_type value quantity
)
select * from unpivoted where quantity > 0
"""

PRICED_SQL = """
create table {target} as
with keys as (
    select distinct provider, model_id, usage_type, service_tier, cast(used_at as date) as day
    from {source}
),
-- Price rows in force per key and day; a context threshold t applies above t tokens of
-- total input (t = 0 always), so the pick is made once per band between thresholds.
candidates as (
    select k.*, p.usd_per_unit, p.priority, (p.service_tier = k.service_tier) as own_tier,
        cast(p.context_threshold_tokens as bigint) as threshold
    from keys as k
    join prices as p
        on p.provider = k.provider and p.model_id = k.model_id and p.usage_type = k.usage_type
        and p.service_tier in (k.service_tier, 'standard')
        and k.day >= p.valid_from and k.day < p.valid_to
),
band_starts as (
    select distinct provider, model_id, usage_type, service_tier, day, threshold as band_from
    from candidates
    union
    select distinct provider, model_id, usage_type, service_tier, day, 0 from candidates
),
bands as (
    select *, lead(band_from) over (
        partition by provider, model_id, usage_type, service_tier, day order by band_from
    ) as band_to
    from band_starts
),
band_prices as (
    select s.*, c.usd_per_unit
    from bands as s
    join candidates as c using (provider, model_id, usage_type, service_tier, day)
    where c.threshold <= s.band_from
    qualify row_number() over (
        partition by s.provider, s.model_id, s.usage_type, s.service_tier, s.day, s.band_from
        order by c.own_tier desc, c.priority, c.threshold desc
    ) = 1
)
select b.*,
    coalesce(p.usd_per_unit, u.usd_per_unit) as usd_per_unit,
    cast(b.quantity * coalesce(p.usd_per_unit, u.usd_per_unit) as decimal(38, 10)) as cost_usd
from {source} as b
left join band_prices as p
    on p.provider = b.provider and p.model_id = b.model_id and p.usage_type = b.usage_type
    and p.service_tier = b.service_tier and p.day = cast(b.used_at as date)
    and (p.band_from = 0 or b.total_input > p.band_from)
    and (p.band_to is null or b.total_input <= p.band_to)
left join unpriced_rates as u on b.model_id is null and u.usage_type = b.usage_type
    and {price_unpriced}
"""

# What the gateways logged, in the billed_tokens shape: LiteLLM's clock runs behind and it
# drops the support prod key's cached tokens, batch jobs carry no batch flag, interrupted
# streams report no usage. Priced like the bill, except a model without a price stays NULL.
OBSERVED_SQL = f"""
create table observed_tokens as
with logged as (
    select r.request_id, r.workload, r.retry_count, r.is_fallback, r.is_interrupted,
        w.provider, w.reported_model, w.api_key_id, w.project_id, w.telemetry,
        case when w.service_tier = 'batch' then 'standard' else w.service_tier end
            as service_tier,
        coalesce(w.model_id, a.model_id) as model_id,
        case when w.telemetry = 'litellm'
            then r.used_at - interval {CLOCK_SKEW_MINUTES} minute else r.used_at end as used_at,
        case when r.is_interrupted then 0
            when w.workload = 'support_prod' then r.input_uncached_tokens + r.cache_read_tokens
            else r.input_uncached_tokens end as input_uncached_tokens,
        case when r.is_interrupted or w.workload = 'support_prod' then 0
            else r.cache_read_tokens end as cache_read_tokens,
        case when r.is_interrupted then 0 else r.cache_write_5m_tokens end
            as cache_write_5m_tokens,
        case when r.is_interrupted then 0 else r.output_tokens end as output_tokens
    from truth as r
    join workloads as w using (workload)
    left join aliases as a
        on a.provider = w.provider and a.alias = w.reported_model
        and cast(r.used_at as date) >= cast(a.valid_from as date)
        and cast(r.used_at as date) < cast(a.valid_to as date)
    where w.telemetry is not null
),
unpivoted as (
    unpivot (
        select *, input_uncached_tokens + cache_read_tokens + cache_write_5m_tokens
            as total_input
        from logged
    ) on input_uncached_tokens as 'input_uncached',
        cache_read_tokens as 'cache_read', cache_write_5m_tokens as 'cache_write_5m',
        output_tokens as 'output'
    into name usage_type value quantity
)
select * from unpivoted where quantity > 0
"""


def money(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def period_of(day: date) -> str:
    return day.strftime("%Y-%m")


def write_json_pages(folder: Path, buckets: list[dict], per_page: int, pulled_at: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pages = [buckets[i : i + per_page] for i in range(0, len(buckets), per_page)] or [[]]
    for index, page in enumerate(pages):
        last = index == len(pages) - 1
        body = {
            "object": "page",
            "data": page,
            "has_more": not last,
            "next_page": None if last else f"page_{sha(pulled_at + str(index + 1), 12)}",
        }
        path = folder / f"page_{index + 1:04d}.json"
        path.write_text(json.dumps(body, separators=(",", ":")))
        stamp = datetime.fromisoformat(pulled_at).timestamp()
        os.utime(path, (stamp, stamp))


def daily(rows, key_fn):
    out: dict = {}
    for row in rows:
        out.setdefault(key_fn(row), []).append(row)
    return out


def openai_exports(con, raw: Path) -> dict:
    """OpenAI costs pages, completions/embeddings usage pages and the invoice CSV."""
    lines = con.execute(
        """
        select cast(used_at as date) as day, project_id, api_key_id, reported_model,
               usage_type, service_tier, workload,
               sum(quantity) as quantity, sum(cost_usd) as cost_usd
        from billed_priced where provider = 'openai'
        group by all order by all
        """
    ).fetchall()
    labels = {"input_uncached": "input", "cache_read": "cached input", "output": "output"}
    by_day = daily(lines, lambda r: r[0])
    buckets = []
    for day in sorted(by_day):
        results = []
        for _, project, key, model, usage_type, tier, _, qty, cost in by_day[day]:
            label = f"{model}, {labels[usage_type]}" + (", batch" if tier == "batch" else "")
            results.append(
                {
                    "object": "organization.costs.result",
                    "amount": {"value": float(cost), "currency": "usd"},
                    "line_item": label,
                    "project_id": project,
                    "api_key_id": key,
                    "quantity": int(qty),
                    "quantity_unit": "tokens",
                }
            )
        start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        buckets.append(
            {"object": "bucket", "start_time": start, "end_time": start + 86400, "results": results}
        )
    # Two pulls: the monthly pull, then a re-pull of Oct 20-31 that overlaps it.
    write_json_pages(raw / "openai/costs/pull_2026-11-02", buckets, 7, "2026-11-02T06:00:00+00:00")
    overlap = [
        b for b in buckets if b["start_time"] >= int(datetime(2026, 10, 20, tzinfo=UTC).timestamp())
    ]
    write_json_pages(raw / "openai/costs/pull_2026-11-05", overlap, 7, "2026-11-05T06:00:00+00:00")

    usage = con.execute(
        """
        select cast(used_at as date) as day, project_id, api_key_id, reported_model, service_tier,
            count(distinct request_id) as requests,
            sum(quantity) filter (where usage_type in ('input_uncached', 'cache_read'))
                as input_tokens,
            coalesce(sum(quantity) filter (where usage_type = 'cache_read'), 0) as cached,
            coalesce(sum(quantity) filter (where usage_type = 'output'), 0) as output_tokens
        from billed_priced where provider = 'openai'
        group by all order by all
        """
    ).fetchall()
    completions, embeddings = [], []
    for day, project, key, model, tier, reqs, inp, cached, out in usage:
        inp = int(inp or 0)
        base = {"project_id": project, "user_id": None, "api_key_id": key, "model": model}
        if model.startswith("text-embedding"):
            embeddings.append(
                (
                    day,
                    {
                        "object": "organization.usage.embeddings.result",
                        "input_tokens": inp,
                        "num_model_requests": int(reqs),
                        **base,
                    },
                )
            )
            continue
        completions.append(
            (
                day,
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": inp,
                    "input_cached_tokens": int(cached),
                    "input_cache_write_tokens": 0,
                    "input_uncached_tokens": inp - int(cached),
                    "input_text_tokens": inp - int(cached),
                    "input_cached_text_tokens": int(cached),
                    "input_audio_tokens": 0,
                    "input_cached_audio_tokens": 0,
                    "input_image_tokens": 0,
                    "input_cached_image_tokens": 0,
                    "output_tokens": int(out),
                    "output_text_tokens": int(out),
                    "output_audio_tokens": 0,
                    "output_image_tokens": 0,
                    "num_model_requests": int(reqs),
                    **base,
                    "batch": tier == "batch",
                    "service_tier": "default",
                },
            )
        )
    for name, rows in (("usage_completions", completions), ("usage_embeddings", embeddings)):
        grouped = daily(rows, lambda r: r[0])
        page_buckets = []
        for day in sorted(grouped):
            start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            page_buckets.append(
                {
                    "object": "bucket",
                    "start_time": start,
                    "end_time": start + 86400,
                    "results": [r[1] for r in grouped[day]],
                }
            )
        write_json_pages(
            raw / f"openai/{name}/pull_2026-11-02", page_buckets, 7, "2026-11-02T06:00:00+00:00"
        )

    # Invoice: usage lines per model rounded to the cent, plus credit / adjustment / fee.
    per_model = con.execute(
        """
        select strftime(used_at, '%Y-%m') as period, reported_model, sum(cost_usd)
        from billed_priced where provider = 'openai' group by all order by all
        """
    ).fetchall()
    truth = {
        "fx_rounding": {},
        "credit_or_promo": {},
        "prior_period_correction": {},
        "tax_or_fee": {},
    }
    invoice_rows = []
    for period in PERIODS:
        invoice_id = f"INV-OAI-{period.replace('-', '')}"
        rounding = Decimal(0)
        for line_no, (_, model, cost) in enumerate([r for r in per_model if r[0] == period], 1):
            rounded = cents(money(cost))
            rounding += rounded - money(cost)
            invoice_rows.append(
                [
                    invoice_id,
                    "openai",
                    OPENAI_ORG,
                    f"{period}-28",
                    period,
                    f"{invoice_id}-{line_no:03d}",
                    "usage",
                    f"API usage - {model}",
                    "",
                    model,
                    "",
                    "",
                    f"{rounded}",
                    "USD",
                    "",
                ]
            )
        truth["fx_rounding"][period] = rounding
    invoice_rows.append(
        [
            "INV-OAI-202609",
            "openai",
            OPENAI_ORG,
            "2026-09-28",
            "2026-09",
            "INV-OAI-202609-900",
            "credit",
            "Trial credit applied",
            "",
            "",
            "",
            "",
            "-50.00",
            "USD",
            "",
        ]
    )
    truth["credit_or_promo"]["2026-09"] = Decimal("-50.00")
    invoice_rows.append(
        [
            "INV-OAI-202610",
            "openai",
            OPENAI_ORG,
            "2026-10-28",
            "2026-10",
            "INV-OAI-202610-901",
            "adjustment",
            "Billing correction: gpt-4.1 output tokens under-billed on 2026-08-14",
            "proj_support",
            "gpt-4.1-2025-04-14",
            "",
            "",
            "12.34",
            "USD",
            "2026-08",
        ]
    )
    truth["prior_period_correction"]["2026-08"] = Decimal("12.34")
    # A platform fee: a line the usage telemetry can never explain.
    invoice_rows.append(
        [
            "INV-OAI-202610",
            "openai",
            OPENAI_ORG,
            "2026-10-28",
            "2026-10",
            "INV-OAI-202610-902",
            "fee",
            "Priority support plan fee",
            "",
            "",
            "1",
            "month",
            "25.00",
            "USD",
            "",
        ]
    )
    truth["tax_or_fee"]["2026-10"] = Decimal("25.00")
    return {"invoice_rows": invoice_rows, "truth": truth}


def anthropic_exports(con, raw: Path) -> dict:
    rows = con.execute(
        """
        select cast(used_at as date) as day, project_id, api_key_id, reported_model, model_id,
            service_tier, usage_type,
            case when total_input > 200000 then '200k-1M' else '0-200k' end as context_window,
            sum(quantity), sum(cost_usd)
        from billed_priced where provider = 'anthropic'
        group by all order by all
        """
    ).fetchall()
    token_types = {
        "input_uncached": "uncached_input_tokens",
        "cache_read": "cache_read_input_tokens",
        "cache_write_5m": "cache_creation.ephemeral_5m_input_tokens",
        "output": "output_tokens",
    }
    cost_buckets, usage_buckets = [], []
    by_day = daily(rows, lambda r: r[0])
    for day in sorted(by_day):
        starting = f"{day.isoformat()}T00:00:00Z"
        ending = f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z"
        costs = []
        usage: dict = {}
        for _, ws, key, model, model_id, tier, usage_type, ctx, qty, cost in by_day[day]:
            dated = {
                "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
                "claude-sonnet-4-6": "claude-sonnet-4-6-20260201",
            }.get(model_id, model)
            if tier != "priority":  # priority tier is not in the cost report
                costs.append(
                    {
                        "amount": format(money(cost) * 100, "f"),
                        "currency": "USD",
                        "cost_type": "tokens",
                        "token_type": token_types[usage_type],
                        "description": f"{dated} {usage_type.replace('_', ' ')}",
                        "model": dated,
                        "service_tier": tier,
                        "context_window": ctx,
                        "workspace_id": ws,
                    }
                )
            ukey = (key, ws, dated, tier, ctx)
            entry = usage.setdefault(
                ukey,
                {
                    "api_key_id": key,
                    "workspace_id": ws,
                    "model": dated,
                    "service_tier": tier,
                    "context_window": ctx,
                    "uncached_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                    "cache_creation": {
                        "ephemeral_5m_input_tokens": 0,
                        "ephemeral_1h_input_tokens": 0,
                    },
                    "output_tokens": 0,
                    "server_tool_use": {"web_search_requests": 0},
                },
            )
            if usage_type == "cache_write_5m":
                entry["cache_creation"]["ephemeral_5m_input_tokens"] += int(qty)
            else:
                entry[token_types[usage_type]] += int(qty)
        cost_buckets.append({"starting_at": starting, "ending_at": ending, "results": costs})
        usage_buckets.append(
            {"starting_at": starting, "ending_at": ending, "results": list(usage.values())}
        )
    for name, buckets in (("cost_report", cost_buckets), ("usage_messages", usage_buckets)):
        folder = raw / f"anthropic/{name}/pull_2026-11-02"
        write_json_pages(folder, buckets, 7, "2026-11-02T07:00:00+00:00")
        for path in folder.glob("*.json"):  # Anthropic pages carry no "object" field
            body = json.loads(path.read_text())
            body.pop("object")
            path.write_text(json.dumps(body, separators=(",", ":")))
    return {}


def focus_export(con, raw: Path) -> dict:
    rows = con.execute(
        """
        select cast(used_at as date) as day, strftime(used_at, '%Y-%m') as period, api_key_id,
            project_id, reported_model, model_id, usage_type, sum(quantity), sum(cost_usd),
            min(usd_per_unit)
        from billed_priced where provider = 'aws_bedrock'
        group by all order by all
        """
    ).fetchall()
    tiers = list(csv.DictReader((CONFIG / "contract_volume_tiers.csv").open()))
    cumulative: dict = {}
    truth_tier: dict = {}
    meters = {
        "input_uncached": "input-tokens",
        "output": "output-tokens",
        "cache_read": "cache-read-input-token-count",
    }
    header = [
        "BilledCost",
        "EffectiveCost",
        "ListCost",
        "ContractedCost",
        "BillingCurrency",
        "BillingPeriodStart",
        "BillingPeriodEnd",
        "ChargePeriodStart",
        "ChargePeriodEnd",
        "ChargeCategory",
        "ChargeClass",
        "ChargeDescription",
        "ChargeFrequency",
        "ConsumedQuantity",
        "ConsumedUnit",
        "PricingQuantity",
        "PricingUnit",
        "ListUnitPrice",
        "ContractedUnitPrice",
        "PricingCategory",
        "SkuId",
        "SkuMeter",
        "ServiceName",
        "ServiceCategory",
        "ServiceSubcategory",
        "ProviderName",
        "PublisherName",
        "InvoiceIssuerName",
        "InvoiceId",
        "BillingAccountId",
        "BillingAccountName",
        "SubAccountId",
        "SubAccountName",
        "RegionId",
        "ResourceId",
        "ResourceName",
        "Tags",
    ]
    out_rows = []
    usage_by_period: dict = {}
    for day, period, key, sub, model, model_id, usage_type, qty, cost, rate in rows:
        cost = money(cost)
        list_cost = cost
        tier = next(
            (t for t in tiers if t["model_id"] == model_id and t["usage_type"] == usage_type), None
        )
        if tier:
            threshold = int(tier["threshold_quantity_per_period"])
            before = cumulative.get((period, model_id), 0)
            after = before + int(qty)
            cumulative[(period, model_id)] = after
            above = max(0, after - max(before, threshold))
            discount = Decimal(above) * money(rate) * Decimal(tier["discount_pct"]) / 100
            cost = cost - discount
            truth_tier[period] = truth_tier.get(period, Decimal(0)) - discount
        usage_by_period[period] = usage_by_period.get(period, Decimal(0)) + cost
        year, month = map(int, period.split("-"))
        next_month = date(year + month // 12, month % 12 + 1, 1)
        out_rows.append(
            [
                f"{cost:f}",
                f"{cost:f}",
                f"{list_cost:f}",
                f"{cost:f}",
                "USD",
                f"{period}-01T00:00:00Z",
                f"{next_month.isoformat()}T00:00:00Z",
                f"{day.isoformat()}T00:00:00Z",
                f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z",
                "Usage",
                "",
                f"{model} {meters[usage_type]}",
                "Usage-Based",
                str(int(qty)),
                "Tokens",
                f"{Decimal(int(qty)) / 1000000:f}",
                "1M Tokens",
                f"{money(rate) * 1000000:f}",
                f"{money(rate) * 1000000:f}",
                "Standard",
                f"SKU-{sha(model + usage_type, 8)}",
                meters[usage_type].replace("-", " ").title(),
                "Amazon Bedrock",
                "AI and Machine Learning",
                "Generative AI",
                "AWS",
                "Anthropic" if "anthropic" in model else "Amazon",
                "Amazon Web Services EMEA SARL",
                f"AWS-INV-{period.replace('-', '')}",
                AWS_ACCOUNT,
                "demo-prod-payer",
                sub,
                "Data platform",
                "us-east-1",
                key,
                key.split("/")[-1],
                json.dumps(
                    {
                        "team": "data-platform" if "dataplat" in key else "analytics",
                        "environment": "production" if "dataplat" in key else "evaluation",
                    }
                ),
            ]
        )
    truth_tax = {}
    for period, total in usage_by_period.items():
        tax = cents(total * Decimal("0.08"))
        truth_tax[period] = tax
        out_rows.append(
            [
                f"{tax:f}",
                f"{tax:f}",
                f"{tax:f}",
                f"{tax:f}",
                "USD",
                f"{period}-01T00:00:00Z",
                "",
                f"{period}-01T00:00:00Z",
                "",
                "Tax",
                "",
                "US sales tax",
                "Recurring",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Amazon Bedrock",
                "AI and Machine Learning",
                "Generative AI",
                "AWS",
                "Amazon",
                "Amazon Web Services EMEA SARL",
                f"AWS-INV-{period.replace('-', '')}",
                AWS_ACCOUNT,
                "demo-prod-payer",
                "",
                "",
                "",
                "",
                "",
                "{}",
            ]
        )
    folder = raw / "focus"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "bedrock_focus_1_2.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(out_rows)
    return {"tier_breakpoint": truth_tier, "tax_or_fee": truth_tax}


def copy_per_day(
    con, relation: str, day_column: str, order_by: str, target: Path, options: str, days=None
):
    """COPY a relation to one file per day of day_column, rows in order_by order, without
    day_column and order_by; target's name (and the relation, e.g. a table macro's
    argument) may hold a {day} placeholder. One day at a time, so a view is computed a day
    at a time (bounded memory)."""
    days = (
        days
        or con.execute(
            f"select distinct cast({day_column} as date) from {relation} order by 1"
        ).fetchall()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    for (day,) in days:
        path = str(target).format(day=day.isoformat())
        con.execute(
            f"copy (select * exclude ({day_column}, {order_by})"
            f" from {relation.format(day=day.isoformat())}"
            f" where cast({day_column} as date) = '{day.isoformat()}' order by {order_by})"
            f" to '{path}' ({options})"
        )


def telemetry_exports(con, raw: Path) -> None:
    """Gateway telemetry, one file per day as gateways export it (written by DuckDB, so a
    month of tens of millions of requests is written in minutes and bounded memory)."""
    # LiteLLM SpendLogs: clock runs behind, cache counts missing for the support prod key,
    # batch jobs logged as ordinary completions, one raw key leaked into metadata (canary),
    # and some /responses calls logged twice (#15740).
    # The requests in log order once (a narrow table), their CSV rows a day at a time (a
    # view): a month of formatted rows is never held at once.
    con.execute(
        f"""
        create or replace table litellm_logged as
        with logged as (
            select t.request_id, w.workload, g.deployment_id, g.key_alias, w.reported_model,
                t.used_at - interval {CLOCK_SKEW_MINUTES} minute as logged_at,
                t.input_uncached_tokens + t.cache_read_tokens as prompt_tokens,
                case when w.workload = 'support_prod' then null else t.cache_read_tokens end
                    as cached_tokens,
                t.output_tokens as completion_tokens, t.reasoning_tokens, t.retry_count,
                t.is_fallback
            from truth as t join workloads as w using (workload)
            join gateway_identities as g using (workload)
            where w.telemetry = 'litellm'
        )
        select *, row_number() over (order by logged_at, request_id) - 1 as row_index
        from logged
        order by logged_at
        """
    )
    con.execute(
        f"""
        create or replace macro litellm_day(day) as table
        with indexed as (
            select * from litellm_logged where cast(logged_at as date) = day
        ),
        rows as (
            select
                request_id,
                case when reported_model like '%embedding%' then 'embedding'
                    else 'acompletion' end as call_type,
                sha256('sk-litellm-' || workload) as api_key,
                '0.0' as spend,
                prompt_tokens + completion_tokens as total_tokens,
                prompt_tokens,
                completion_tokens,
                strftime(logged_at, '%Y-%m-%d %H:%M:%S.%f') as "startTime",
                strftime(logged_at + to_milliseconds(800 + (row_index % 50) * 37),
                    '%Y-%m-%d %H:%M:%S.%f') as "endTime",
                800 + (row_index % 50) * 37 as request_duration_ms,
                reported_model as model,
                deployment_id as model_id,
                split_part(reported_model, '-2025', 1) as model_group,
                'openai' as custom_llm_provider,
                'https://api.openai.com/v1' as api_base,
                null::varchar as "user",
                json_merge_patch(
                    json_object(
                        'user_api_key_alias', key_alias,
                        'user_api_key_team_id', 'team-' || split_part(workload, '_', 1),
                        'usage_object', json_merge_patch(
                            json_object(
                                'prompt_tokens', prompt_tokens,
                                'completion_tokens', completion_tokens
                            ),
                            case when cached_tokens is not null then json_object(
                                'prompt_tokens_details',
                                json_object('cached_tokens', cached_tokens)
                            ) else '{{}}' end,
                            case when reasoning_tokens > 0 then json_object(
                                'completion_tokens_details',
                                json_object('reasoning_tokens', reasoning_tokens)
                            ) else '{{}}' end
                        ),
                        -- the application's own tags (request metadata.spend_logs_metadata)
                        'spend_logs_metadata', json_merge_patch(
                            json_object(
                                'retries', retry_count,
                                'route', case when is_fallback then 'fallback' else 'primary' end
                            ),
                            case when is_fallback
                                then json_object('fallback_from_model', 'gpt-4.1-2025-04-14')
                                else '{{}}' end
                        )
                    ),
                    -- the leak real exports contain (#1806)
                    case when row_index = 7
                        then json_object('user_api_key', '{CANARY_KEY}') else '{{}}' end
                ) as metadata,
                'False' as cache_hit,
                null::varchar as cache_key,
                to_json([workload]) as request_tags,
                'team-' || split_part(workload, '_', 1) as team_id,
                'success' as status,
                '{{}}' as messages,
                '{{}}' as response,
                row_index,
                logged_at
            from indexed
        )
        select * from rows
        union all
        select * from rows where row_index % 997 == 5
        """
    )
    copy_per_day(
        con,
        "litellm_day(date '{day}')",
        "logged_at",
        "row_index",
        raw / "telemetry/litellm/spend_logs_{day}.csv",
        "format csv, header true",
        days=con.execute(
            "select distinct cast(logged_at as date) from litellm_logged order by 1"
        ).fetchall(),
    )

    # OpenTelemetry spans (OTLP/JSON, one export of up to 50 spans per line, int64 as strings).
    con.execute(
        """
        create or replace macro otlp_attribute(attribute_key, attribute_value) as
            json_object('key', attribute_key, 'value', case
                when typeof(attribute_value) in ('BIGINT', 'INTEGER')
                    then json_object('intValue', attribute_value::varchar)
                else json_object('stringValue', attribute_value::varchar) end)
        """
    )
    # The spans in export order once (a table), their JSON a day at a time (a view).
    con.execute(
        """
        create or replace table otel_spans as
        select t.*, w.reported_model, g.service_name,
            cast(t.used_at as date) as used_date,
            row_number() over (
                partition by cast(t.used_at as date), g.service_name
                order by t.used_at, t.request_id
            ) - 1 as day_index
        from truth as t join workloads as w using (workload)
        join gateway_identities as g using (workload)
        where w.telemetry = 'otel'
        order by used_date
        """
    )
    # Only attributes the GenAI semantic conventions define: no provider workspace, key or
    # (for Anthropic) service tier; each service exports its own resource.
    con.execute(
        """
        create or replace view otel_lines as
        with spans as (
            select t.request_id, t.used_at, t.reported_model as model, t.used_date,
                t.service_name, t.is_interrupted as broken, epoch_ns(t.used_at) as begin_ns,
                t.day_index,
                to_json(
                    [
                        otlp_attribute('gen_ai.provider.name', 'anthropic'),
                        otlp_attribute('gen_ai.operation.name', 'chat'),
                        otlp_attribute('gen_ai.request.model', t.reported_model),
                        otlp_attribute('gen_ai.response.id', t.request_id),
                        otlp_attribute('server.address', 'api.anthropic.com'),
                        otlp_attribute('server.port', 443)
                    ]
                    || case when t.retry_count > 0 then [
                        otlp_attribute('http.request.resend_count', t.retry_count::bigint)
                    ] else [] end
                    -- interrupted streams never report usage
                    || case when not t.is_interrupted then [
                        otlp_attribute('gen_ai.usage.input_tokens',
                            t.input_uncached_tokens + t.cache_read_tokens
                            + t.cache_write_5m_tokens),
                        otlp_attribute('gen_ai.usage.cache_read.input_tokens',
                            t.cache_read_tokens),
                        otlp_attribute('gen_ai.usage.cache_creation.input_tokens',
                            t.cache_write_5m_tokens),
                        otlp_attribute('gen_ai.usage.output_tokens', t.output_tokens)
                    ] else [] end
                    || case when not t.is_interrupted
                        and t.reported_model != 'claude-sonnet-latest'
                        then [otlp_attribute('gen_ai.response.model', t.reported_model)]
                        else [] end
                ) as attributes
            from otel_spans as t
        ),
        span_json as (
            select used_date, service_name, day_index,
                json_object(
                    'traceId', sha256(request_id)[1:32],
                    'spanId', sha256(request_id || 's')[1:16],
                    'name', 'chat ' || model,
                    'kind', 3,
                    'startTimeUnixNano', begin_ns::varchar,
                    'endTimeUnixNano', (begin_ns + 2500000000)::varchar,
                    'attributes', attributes,
                    'status', case when broken
                        then json_object('code', 2, 'message', 'stream_interrupted')
                        else json_object('code', 1) end
                ) as span
            from spans
        ),
        exports as (
            select
                used_date,
                service_name,
                day_index // 50 as chunk,
                json_object('resourceSpans', json_array(json_object(
                    'resource', json_object('attributes', json_array(
                        otlp_attribute('service.name', service_name))),
                    'scopeSpans', json_array(json_object(
                        'scope', json_object('name', 'opentelemetry.instrumentation.anthropic'),
                        'spans', to_json(list(span order by day_index))
                    ))
                )))::varchar as line
            from span_json
            group by used_date, service_name, day_index // 50
        )
        select
            used_date,
            row_number() over (partition by used_date order by service_name, chunk)
                as export_index,
            line
        from exports
        """
    )
    copy_per_day(
        con,
        "otel_lines",
        "used_date",
        "export_index",
        raw / "telemetry/otel/spans_{day}.jsonl",
        # One JSON document per line, written as is (no CSV quoting; \x01 never occurs).
        f"format csv, header false, quote '', escape '', delimiter '{chr(1)}'",
        days=con.execute("select distinct used_date from otel_spans order by 1").fetchall(),
    )

    # The project's own request log (Parquet), for the in-house gateway: Bedrock traffic and
    # a support tool's OpenAI calls (a second telemetry source on the support project).
    con.execute(
        """
        create or replace table request_log as
        select t.request_id, t.used_at as occurred_at, w.provider, w.reported_model as model,
            w.service_tier, w.api_key_id, w.project_id,
            case when t.is_fallback then 'fallback' else 'primary' end as route,
            case when t.is_fallback and w.provider = 'aws_bedrock'
                then 'us.anthropic.claude-haiku-4-5-20251001-v1:0'
                when t.is_fallback then 'gpt-4.1-2025-04-14' end as fallback_from_model,
            200 as status_code, 'success' as status, t.retry_count,
            t.input_uncached_tokens, t.cache_read_tokens, t.cache_write_5m_tokens,
            0 as cache_write_1h_tokens, t.output_tokens, t.reasoning_tokens,
            0 as images, 0.0 as audio_seconds, 1 as request_units,
            row_number() over (order by t.used_at, t.request_id) as row_index,
            cast(t.used_at as date) as used_day
        from truth as t join workloads as w using (workload)
        where w.telemetry = 'requests'
        """
    )
    copy_per_day(
        con,
        "request_log",
        "used_day",
        "row_index",
        raw / "telemetry/requests/requests_{day}.parquet",
        "format parquet",
    )


def finance_inputs(con, raw: Path) -> dict:
    """Recharges, decisions and sign-offs; returns the unapproved top-up amount per period."""
    # Prepaid OpenAI balance: a promo credit, top-ups triggered by the auto-recharge
    # threshold, monthly consumption draws, a refund and an expiry.
    spend = dict(
        con.execute(
            "select strftime(used_at, '%Y-%m'), sum(cost_usd) from billed_priced"
            " where provider = 'openai' group by 1"
        ).fetchall()
    )
    rows = [
        [
            "recharge_id",
            "provider",
            "billing_account_id",
            "movement_type",
            "amount",
            "currency",
            "occurred_at",
            "trigger",
            "threshold_amount",
            "quota_state",
            "approval_ticket",
            "approver",
            "note",
        ]
    ]
    rows.append(
        [
            "rc_0001",
            "openai",
            OPENAI_ORG,
            "top_up",
            "100.00",
            "usd",
            "2026-07-30T09:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1201",
            "Mia Chen",
            "opening",
        ]
    )
    rows.append(
        [
            "rc_0002",
            "openai",
            OPENAI_ORG,
            "promo_credit",
            "50.00",
            "USD",
            "2026-09-01T00:00:00Z",
            "promotion",
            "",
            "ok",
            "",
            "",
            "trial credit",
        ]
    )
    balance = Decimal("150.00")
    seq = 3
    unapproved: dict = {}
    for period in PERIODS:
        draw = cents(money(spend.get(period)))
        rows.append(
            [
                f"rc_{seq:04d}",
                "openai",
                OPENAI_ORG,
                "consumption",
                f"-{draw}",
                "USD",
                f"{period}-28T23:59:59Z",
                "",
                "",
                "ok",
                "",
                "",
                "month consumption",
            ]
        )
        seq += 1
        balance -= draw
        if balance < Decimal("200"):  # the auto-recharge threshold
            ticket = "" if period == "2026-10" else f"FIN-13{seq:02d}"  # one unapproved
            if not ticket:
                unapproved[period] = unapproved.get(period, Decimal(0)) + Decimal("100.00")
            rows.append(
                [
                    f"rc_{seq:04d}",
                    "openai",
                    OPENAI_ORG,
                    "top_up",
                    "100.00",
                    "USD",
                    f"{period}-28T23:59:59Z",
                    "auto_recharge",
                    "200.00",
                    "soft_limit",
                    ticket,
                    "Mia Chen" if ticket else "",
                    "auto-recharge",
                ]
            )
            seq += 1
            balance += Decimal("100.00")
    rows.append(
        [
            f"rc_{seq:04d}",
            "openai",
            OPENAI_ORG,
            "refund",
            "-20.00",
            "USD",
            "2026-10-15T12:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1399",
            "Mia Chen",
            "refund of duplicate top-up fee",
        ]
    )
    rows.append(
        [
            f"rc_{seq + 1:04d}",
            "openai",
            OPENAI_ORG,
            "expiry",
            "-5.00",
            "USD",
            "2026-10-31T23:59:59Z",
            "",
            "",
            "ok",
            "",
            "",
            "promo credit expired",
        ]
    )
    # A hand-kept row finance has not finished: no amount yet. It is quarantined
    # (amount_not_numeric), shows as a quarantined_row exception and blocks October's close.
    rows.append(
        [
            f"rc_{seq + 2:04d}",
            "openai",
            OPENAI_ORG,
            "top_up",
            "TBD",
            "USD",
            "2026-10-30T16:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1420",
            "Mia Chen",
            "top-up requested, amount to be confirmed",
        ]
    )
    write_csv(raw / "recharges/openai_balance.csv", rows)

    # Periods close in order. Reviewers close August (OpenAI lines confirmed, the invoice's
    # correction of July and the unpriced preview model written off, interrupted Anthropic
    # streams written off) and September: they write off the explained variances with
    # notes and defer unbilled priority usage. October is left with a note-less write-off,
    # a reopened confirmation and a missing sign-off (the close fails).
    decisions = [
        ("2026-08", "openai", "*", "CONFIRM", "", "dana.ortiz", "2026-09-08T10:00:00Z"),
        (
            "2026-08",
            "openai",
            "prior_period_correction",
            "WRITE_OFF",
            "Correction of July usage billed on the August invoice",
            "mia.chen",
            "2026-09-08T10:05:00Z",
        ),
        (
            "2026-08",
            "openai",
            "unpriced_model",
            "WRITE_OFF",
            "gpt-5.9-preview research evaluation at the provider's list rate; price book to add it",
            "mia.chen",
            "2026-09-08T10:10:00Z",
        ),
        (
            "2026-08",
            "anthropic",
            "failed_request_billing",
            "WRITE_OFF",
            "Interrupted streams are billable under Anthropic's policy",
            "ruth.meyer",
            "2026-09-08T10:30:00Z",
        ),
        (
            "2026-08",
            "anthropic",
            "unbilled_usage",
            "DEFER",
            "",
            "ruth.meyer",
            "2026-09-08T11:00:00Z",
        ),
        (
            "2026-09",
            "openai",
            "credit_or_promo",
            "WRITE_OFF",
            "Trial credit applied by OpenAI on the September invoice; not usage",
            "mia.chen",
            "2026-10-09T09:00:00Z",
        ),
        (
            "2026-09",
            "openai",
            "unpriced_model",
            "WRITE_OFF",
            "gpt-5.9-preview research evaluation at the provider's list rate; price book to add it",
            "mia.chen",
            "2026-10-09T09:05:00Z",
        ),
        (
            "2026-09",
            "openai",
            "cache_pricing",
            "WRITE_OFF",
            "LiteLLM drops cached_tokens for the support prod key; provider cache rate applied",
            "mia.chen",
            "2026-10-09T09:10:00Z",
        ),
        (
            "2026-09",
            "openai",
            "missing_telemetry",
            "WRITE_OFF",
            "Legacy key bypasses the gateway; key revoked 2026-10-01",
            "mia.chen",
            "2026-10-09T10:00:00Z",
        ),
        (
            "2026-09",
            "anthropic",
            "failed_request_billing",
            "WRITE_OFF",
            "Interrupted streams are billable under Anthropic's policy",
            "ruth.meyer",
            "2026-10-09T10:30:00Z",
        ),
        (
            "2026-09",
            "anthropic",
            "unbilled_usage",
            "DEFER",
            "",
            "ruth.meyer",
            "2026-10-09T11:00:00Z",
        ),
        (
            "2026-09",
            "aws_bedrock",
            "tier_breakpoint",
            "WRITE_OFF",
            "Contract volume discount PPA-2026-014 above 20M input tokens",
            "sam.okafor",
            "2026-10-09T11:30:00Z",
        ),
        (
            "2026-09",
            "aws_bedrock",
            "tax_or_fee",
            "WRITE_OFF",
            "US sales tax on the AWS bill",
            "sam.okafor",
            "2026-10-09T11:35:00Z",
        ),
        (
            "2026-10",
            "openai",
            "missing_telemetry",
            "WRITE_OFF",
            "",
            "mia.chen",
            "2026-11-06T10:00:00Z",
        ),
        (
            "2026-10",
            "anthropic",
            "failed_request_billing",
            "CONFIRM",
            "",
            "ruth.meyer",
            "2026-11-06T11:00:00Z",
        ),
        (
            "2026-10",
            "anthropic",
            "failed_request_billing",
            "REOPEN",
            "",
            "ruth.meyer",
            "2026-11-07T09:00:00Z",
        ),
    ]
    write_csv(
        raw / "decisions/decisions.csv",
        [
            [
                "decision_id",
                "period",
                "provider",
                "line_key",
                "action",
                "note",
                "actor",
                "decided_at",
            ],
            *[
                [
                    f"d_{index:04d}",
                    period,
                    provider,
                    selector,
                    action,
                    note,
                    f"{actor}@example.com",
                    at,
                ]
                for index, (period, provider, selector, action, note, actor, at) in enumerate(
                    decisions, start=1
                )
            ],
        ],
    )
    signoff_rows = [["period", "role", "signer", "signed_at"]]
    for period, roles in (
        ("2026-07", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-08", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-09", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-10", ("engineering_owner", "finance_owner")),
    ):
        # Signed on the 2nd of the next month, once the period has ended.
        year, month = (int(part) for part in period.split("-"))
        signed = date(year + month // 12, month % 12 + 1, 2)
        for role in roles:
            signoff_rows.append(
                [period, role, f"{role.split('_')[0]}@example.com", f"{signed}T17:00:00Z"]
            )
    write_csv(raw / "signoffs/signoffs.csv", signoff_rows)
    return unapproved


def write_csv(path: Path, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)


def ground_truth(con, extra: list[dict]) -> dict:
    """Per period and provider, the amount each injected variance source contributes."""
    truth: dict = {}

    def add(period, provider, category, amount):
        slot = truth.setdefault(period, {}).setdefault(provider, {})
        total = Decimal(slot.get(category, "0")) + money(amount)
        slot[category] = format(total.quantize(Decimal("0.0000000001")), "f")

    q = con.execute
    # Clock skew: requests truly in the first minutes of a month are logged in the previous one.
    for period, amount in q(
        f"""
        select strftime(used_at, '%Y-%m'), sum(cost_usd) from billed_priced
        where telemetry = 'litellm' and model_id is not null
            and used_at < date_trunc('month', used_at) + interval {CLOCK_SKEW_MINUTES} minute
        group by 1
        """
    ).fetchall():
        add(period, "openai", "timing_window", amount)
        # The skewed requests were logged in the previous month, even before the first one.
        prev = (date.fromisoformat(period + "-01") - timedelta(days=1)).strftime("%Y-%m")
        add(prev, "openai", "timing_window", -money(amount))
    for period, provider, category, amount in q(
        """
        with rates as (
            select b.*, p.usd_per_unit as input_rate
            from billed_priced as b
            left join prices as p on p.provider = b.provider and p.model_id = b.model_id
                and p.usage_type = 'input_uncached' and p.service_tier = 'standard'
                and p.context_threshold_tokens = '0' and p.priority = 2
                and cast(b.used_at as date) >= p.valid_from and cast(b.used_at as date) < p.valid_to
        )
        select strftime(used_at, '%Y-%m'), provider, 'cache_pricing',
            sum(quantity * (usd_per_unit - input_rate))
        from rates where workload = 'support_prod' and usage_type = 'cache_read' group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'failed_request_billing', sum(cost_usd)
        from billed_priced where is_interrupted group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'unpriced_model', sum(cost_usd)
        from billed_priced where model_id is null group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'missing_telemetry', sum(cost_usd)
        from billed_priced where telemetry is null group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'unbilled_usage', -sum(cost_usd)
        from billed_priced where service_tier = 'priority' group by all
        """
    ).fetchall():
        add(period, provider, category, amount)
    # Batch billed at the batch rate; telemetry without the flag is priced at standard.
    for period, amount in q(
        """
        with batch_days as (
            select distinct provider, model_id, usage_type, cast(used_at as date) as day
            from billed_priced where workload = 'growth_batch'
        ),
        standard as (
            select d.*, p.usd_per_unit
            from batch_days as d
            join prices as p on p.provider = d.provider and p.model_id = d.model_id
                and p.usage_type = d.usage_type and p.service_tier = 'standard'
                and d.day >= p.valid_from and d.day < p.valid_to
            qualify row_number() over (
                partition by d.provider, d.model_id, d.usage_type, d.day
                order by p.priority, cast(p.context_threshold_tokens as bigint)
            ) = 1
        )
        select strftime(b.used_at, '%Y-%m'), sum(b.cost_usd - b.quantity * s.usd_per_unit)
        from billed_priced as b join standard as s
            on s.provider = b.provider and s.model_id = b.model_id
            and s.usage_type = b.usage_type and s.day = cast(b.used_at as date)
        where b.workload = 'growth_batch'
        group by 1
        """
    ).fetchall():
        add(period, "openai", "service_tier_or_batch", amount)
    for item in extra:
        provider = item["provider"]
        for category, per_period in item["truth"].items():
            for period, amount in per_period.items():
                add(period, provider, category, amount)
    return truth


def exception_ground_truth(con, unapproved_top_ups: dict) -> dict:
    """Per exception kind and period, the amount fct_exceptions must show: our priced cost
    of the flagged requests as the gateways logged them (period in the billing timezone,
    UTC for every demo provider), or the billed amount for unapproved batch jobs."""
    truth: dict = {}
    owners = f"read_csv('{CONFIG / 'owner_mappings.csv'}', all_varchar = true)"
    rows = con.execute(
        f"""
        with requests as (
            select request_id, any_value(workload) as workload,
                any_value(provider) as provider, any_value(api_key_id) as api_key_id,
                any_value(project_id) as project_id,
                any_value(service_tier) as service_tier,
                strftime(any_value(used_at), '%Y-%m') as period,
                cast(any_value(used_at) as date) as used_date,
                bool_or(retry_count > 0 or is_interrupted) as is_retried_or_failed,
                -- OTel spans carry no route: only LiteLLM and the request log show fallbacks.
                bool_or(is_fallback and telemetry != 'otel') as is_fallback,
                -- NULL when any line is unpriced, like fct_request_costs.cost_usd
                case when count(cost_usd) = count(*) then sum(cost_usd) end as cost_usd
            from observed_priced group by request_id
        ),
        owned as (
            select requests.*, key_owner.environment as key_environment,
                project_owner.environment as project_environment,
                key_owner.team is null and project_owner.team is null as is_unallocated
            from requests
            left join {owners} as key_owner
                on key_owner.provider = requests.provider and key_owner.key_type = 'api_key'
                and key_owner.key_id = requests.api_key_id
                and requests.used_date >= cast(key_owner.valid_from as date)
                and requests.used_date < cast(key_owner.valid_to as date)
            left join {owners} as project_owner
                on project_owner.provider = requests.provider
                and project_owner.key_type in ('project', 'workspace')
                and project_owner.key_id = requests.project_id
                and requests.used_date >= cast(project_owner.valid_from as date)
                and requests.used_date < cast(project_owner.valid_to as date)
        )
        select 'missing_owner', period, sum(cost_usd) from owned where is_unallocated group by all
        union all
        select 'failed_retries', period, sum(cost_usd) from owned
        where is_retried_or_failed group by all
        union all
        select 'fallback_route', period, sum(cost_usd) from owned where is_fallback group by all
        union all
        select 'unusual_service_tier', period, sum(cost_usd) from owned
        where service_tier = 'priority' group by all
        union all
        select 'environment_mismatch', period, sum(cost_usd) from owned
        where key_environment != project_environment group by all
        union all
        select 'unapproved_batch', strftime(used_at, '%Y-%m'), sum(cost_usd)
        from billed_priced where workload = 'growth_batch' group by all
        """
    ).fetchall()
    for kind, period, amount in rows:
        slot = truth.setdefault(kind, {})
        total = Decimal(slot.get(period, "0")) + money(amount)
        slot[period] = format(total.quantize(Decimal("0.0000000001")), "f")
    truth["unapproved_top_up"] = {
        period: format(amount, "f") for period, amount in unapproved_top_ups.items()
    }
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("RECON_RAW_DIR", "demo/raw"))
    )
    parser.add_argument("--requests", type=int, default=20000, help="approximate request count")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="overwrite an existing landing zone")
    args = parser.parse_args(argv)
    raw: Path = args.out
    if raw.exists() and any(raw.iterdir()):
        if not args.force:
            print(f"{raw} already holds exports; use --force to regenerate")
            return 0
        shutil.rmtree(raw)
    raw.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    # Bounded memory at any --requests: DuckDB spills to a scratch folder next to the output.
    scratch = raw.parent / ".generate_tmp"
    memory = os.environ.get("RECON_GENERATE_MEMORY_LIMIT", "4GB")
    con.execute(f"set memory_limit = '{memory}'; set temp_directory = '{scratch}'")
    truth_table = simulate_requests(args.requests, args.seed)
    con.register("truth_arrow", truth_table)
    con.execute(
        f"""
        create table truth as
        select 'req_' || sha256('{args.seed}-' || position)[1:20] as request_id,
            * exclude (position)
        from truth_arrow order by position
        """
    )
    con.unregister("truth_arrow")
    load_reference(con)
    con.execute(
        "create table unpriced_rates as select * from (values "
        + ",".join(
            f"('{k}', cast({v / 1000000} as decimal(38, 18)))"
            for k, v in UNPRICED_MODEL_RATES.items()
        )
        + ") as t(usage_type, usd_per_unit)"
    )
    con.execute(BILLED_SQL)
    con.execute(
        PRICED_SQL.format(source="billed_tokens", target="billed_priced", price_unpriced="true")
    )
    con.execute(OBSERVED_SQL)
    con.execute(
        PRICED_SQL.format(
            source="observed_tokens", target="observed_priced", price_unpriced="false"
        )
    )

    openai = openai_exports(con, raw)
    anthropic_exports(con, raw)
    bedrock = focus_export(con, raw)
    write_csv(
        raw / "invoices/openai_invoices.csv",
        [
            [
                "invoice_id",
                "provider",
                "billing_account_id",
                "invoice_date",
                "billing_period",
                "line_id",
                "line_type",
                "description",
                "project_id",
                "model",
                "quantity",
                "unit",
                "amount",
                "currency",
                "corrects_period",
            ],
            *openai["invoice_rows"],
        ],
    )
    telemetry_exports(con, raw)
    unapproved_top_ups = finance_inputs(con, raw)
    truth = ground_truth(
        con,
        [
            {"provider": "openai", "truth": openai["truth"]},
            {"provider": "aws_bedrock", "truth": bedrock},
        ],
    )
    billed = con.execute(
        "select count(distinct request_id), sum(cost_usd) from billed_priced"
    ).fetchone()
    summary = {
        "requests": billed[0],
        "provider_usage_cost_usd": str(billed[1]),
        "clock_skew_minutes": CLOCK_SKEW_MINUTES,
        "canary_key": CANARY_KEY,
        "variance_ground_truth": truth,
        "exception_ground_truth": exception_ground_truth(con, unapproved_top_ups),
    }
    (raw.parent / "ground_truth.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
    con.close()
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote demo landing zone to {raw}: {billed[0]} requests, ${billed[1]:.2f} usage")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
