"""The simulated traffic and its reference data.

One organisation's workloads (who sends what through which gateway; a Sora video
workflow among them), the true request
table drawn from them (what the providers saw and billed) and, in DuckDB, the billed and
observed token tables priced from it: the bill as the providers price it, and what the
gateways logged (LiteLLM's clock behind, its dropped cached tokens, batch jobs without the
batch flag, interrupted streams without usage), priced like the bill.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa

from ai_spend_recon.paths import DEMO_CONFIG_DIR, SEEDS_DIR

PERIODS = ["2026-08", "2026-09", "2026-10"]
START = datetime(2026, 8, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
CLOCK_SKEW_MINUTES = 20
OPENAI_ORG = "org-demo01"
AWS_ACCOUNT = "123456789012"
# A member account of the AWS organization whose Bedrock usage is exported as CUR 2.0 (its
# own Data Exports export), billed to the payer AWS_ACCOUNT.
AWS_MEMBER_ACCOUNT = "210987654321"
# The Azure OpenAI resource (Microsoft.CognitiveServices account) of the knowledge-base
# assistant, billed to the EA enrollment AZURE_ENROLLMENT; Azure's cost details write its
# ResourceId, which is the project of the line grain (lower-cased, as the reader keys it).
AZURE_ENROLLMENT = "8611537"
AZURE_SUBSCRIPTION = "5c1a7e2b-31d4-4e6f-9a0b-7d2c1e8f4a60"
AZURE_RESOURCE_ID = (
    f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/rg-knowledge"
    "/providers/Microsoft.CognitiveServices/accounts/aoai-kb-prod"
)
# Azure traffic's share of the request count, drawn apart from WORKLOADS (its own random
# stream and request ids), so the other providers' traffic is what it was without it.
AZURE_REQUEST_SHARE = 0.05
# The Google Cloud project whose Vertex AI usage (Gemini through LiteLLM `vertex_ai`) is
# billed to the Cloud Billing account GOOGLE_BILLING_ACCOUNT and exported to BigQuery; the
# export's project.id is the project of the line grain. Drawn apart like Azure.
GOOGLE_BILLING_ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
GOOGLE_PROJECT = "acme-catalog-genai"
GOOGLE_PROJECT_NUMBER = "482910375512"
GOOGLE_REQUEST_SHARE = 0.05
# A second Azure OpenAI resource of the knowledge team, an evaluation resource its notebooks
# call directly with the resource's key: no gateway sees it (missing_telemetry).
AZURE_EVAL_RESOURCE_ID = (
    f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/rg-knowledge"
    "/providers/Microsoft.CognitiveServices/accounts/aoai-kb-eval"
)
# The cloud workloads that inject each cloud's variances, drawn apart like Azure (their own
# random stream and request ids), so no other workload's traffic moves.
CLOUD_VARIANCE_REQUEST_SHARE = 0.06
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
        f"arn:aws:iam::{AWS_MEMBER_ACCOUNT}:role/analytics-eval",
        AWS_MEMBER_ACCOUNT,
        "requests",
        "standard",
        2000,
        0.0,
        500,
    ),
]
# Azure OpenAI through LiteLLM: the gateway logs the deployment's name (kb-o4-mini-prod),
# which model_aliases.csv maps to the model; Azure bills no key.
AZURE_WORKLOADS = [
    (
        "kb_assistant",
        AZURE_REQUEST_SHARE,
        "azure_openai",
        "kb-o4-mini-prod",
        "o4-mini",
        None,
        AZURE_RESOURCE_ID.lower(),
        "litellm",
        "standard",
        3000,
        0.4,
        400,
    ),
]
# Vertex AI through LiteLLM (`vertex_ai`): the gateway logs the Vertex model id, which the
# catalog's rules resolve with no alias; Google bills no key.
GOOGLE_WORKLOADS = [
    (
        "catalog_writer",
        GOOGLE_REQUEST_SHARE,
        "google",
        "gemini-2.5-flash",
        "gemini-2.5-flash",
        None,
        GOOGLE_PROJECT,
        "litellm",
        "standard",
        2500,
        0.3,
        600,
    ),
]
# The member account's Bedrock traffic through LiteLLM (`custom_llm_provider` `bedrock`,
# the model the system inference profile's id, which LiteLLM logs with its `bedrock/`
# prefix), meeting the CUR 2.0 export on one model; the member account's nightly Nova Lite
# batch inference jobs, whose records the in-house gateway logs as ordinary requests (no
# batch flag: service_tier_or_batch); and the Azure evaluation resource no gateway sees.
CLOUD_VARIANCE_WORKLOADS = [
    (
        "analytics_haiku_gateway",
        0.5,
        "aws_bedrock",
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "regional.anthropic.claude-haiku-4-5-20251001-v1:0",
        f"arn:aws:iam::{AWS_MEMBER_ACCOUNT}:role/litellm-gateway",
        AWS_MEMBER_ACCOUNT,
        "litellm",
        "standard",
        4000,
        0.0,
        500,
    ),
    (
        "analytics_nova_batch",
        0.3,
        "aws_bedrock",
        "us.amazon.nova-lite-v1:0",
        "amazon.nova-lite-v1:0",
        f"arn:aws:iam::{AWS_MEMBER_ACCOUNT}:role/analytics-batch",
        AWS_MEMBER_ACCOUNT,
        "requests",
        "batch",
        60000,
        0.0,
        2000,
    ),
    (
        "kb_eval_direct",
        0.2,
        "azure_openai",
        "o4-mini",
        "o4-mini",
        None,
        AZURE_EVAL_RESOURCE_ID.lower(),
        None,
        "standard",
        3000,
        0.0,
        400,
    ),
]
# A product team's Sora workflow through LiteLLM: a few video generations a day (OpenAI
# Videos API, POST /v1/videos with model sora-2 and seconds 4, 8 or 12), billed per second
# of video on OpenAI's cost lines; no Usage API endpoint counts videos. Drawn from its own
# random stream, a fixed few a day whatever the request count, between 08:00 and 20:00 UTC
# (away from month edges), so the other workloads' traffic is what it was without it; it
# stops when OpenAI shut the Videos API down (2026-09-24, the video generation guide).
SORA_WORKLOADS = [
    (
        "product_video",
        0.0,
        "openai",
        "sora-2",
        "sora-2",
        "key_marketing_video",
        "proj_marketing",
        "litellm",
        "standard",
        0,
        0.0,
        0,
    ),
]
SORA_VIDEOS_PER_DAY = 3
SORA_SHUTDOWN = datetime(2026, 9, 24, tzinfo=UTC)
SORA_SECONDS = (4, 8, 12)
SORA_SECONDS_SHARE = (0.3, 0.5, 0.2)
# Anthropic's US-only inference (inference_geo "us", Claude 4.6 models), billed at 1.1x the
# list price: the residency workspace's contract-review traffic. Through LiteLLM the gateway
# logs the response's usage.inference_geo, so the request is priced at the multiple; the
# same service's direct calls are traced by OTel, whose GenAI conventions carry no
# geography, so they are priced at list (inference_geo_uplift). Drawn on their own random
# stream and ids, like Azure, so no other provider's traffic moves.
GEO_REQUEST_SHARE = 0.03
US_INFERENCE_MULTIPLIER = Decimal("1.1")
GEO_WORKLOADS = [
    (
        "residency_gateway",
        0.6,
        "anthropic",
        "claude-sonnet-4-6",
        "claude-sonnet-4-6",
        "apikey_residency",
        "wrkspc_residency",
        "litellm",
        "standard",
        8000,
        0.0,
        700,
    ),
    (
        "residency_direct",
        0.4,
        "anthropic",
        "claude-sonnet-4-6",
        "claude-sonnet-4-6",
        "apikey_residency_direct",
        "wrkspc_residency",
        "otel",
        "standard",
        8000,
        0.0,
        700,
    ),
]
# Workloads Anthropic runs (and bills) in the US; those whose telemetry names it.
US_INFERENCE_WORKLOADS = ("residency_gateway", "residency_direct")
GEO_NAMED_WORKLOADS = ("residency_gateway",)
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
    "kb_assistant": ("kb-o4-mini-prod", "knowledge-base", None),
    "catalog_writer": ("catalog-gemini-2.5-flash", "catalog-writer", None),
    "product_video": ("marketing-sora-2", "marketing-video", None),
    "residency_gateway": ("residency-claude-sonnet-4-6", "residency", None),
    "residency_direct": (None, None, "contract-review-us"),
    "analytics_haiku_gateway": ("analytics-bedrock-claude-haiku-4-5", "analytics-gateway", None),
}


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

    # request_id is derived from the position after sorting (in DuckDB, see build_request_tables()).
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
            "video_seconds": np.zeros(total, dtype=np.int64),
            "is_interrupted": col(interrupted),
            "retry_count": col(retries),
            "is_fallback": col(fallback),
        }
    )


def simulate_cloud_requests(
    n: int, seed: int, workloads: list[tuple], share: float, stream: int
) -> pa.Table:
    """A cloud's workloads' true requests (Azure OpenAI, Vertex AI), each cloud from its own
    random stream: away from month edges (no clock-lag effect), no retries, fallbacks or
    interruptions."""
    rng = np.random.default_rng([seed, stream])
    total = max(20, int(n * share))
    weights = np.array([w[1] for w in workloads])
    wl_index = rng.choice(len(workloads), size=total, p=weights / weights.sum())
    span = (END - START).total_seconds()
    edge = 3 * CLOCK_SKEW_MINUTES * 60
    offsets = rng.uniform(edge, span - edge, size=total)
    for period in PERIODS[1:]:
        boundary = (datetime.fromisoformat(period + "-01T00:00:00+00:00") - START).total_seconds()
        near = np.abs(offsets - boundary) < edge
        offsets[near] = offsets[near] - 2 * edge
    mean_in = np.array([w[9] for w in workloads], dtype=float)[wl_index]
    cache_share = np.array([w[10] for w in workloads], dtype=float)[wl_index]
    mean_out = np.array([w[11] for w in workloads], dtype=float)[wl_index]
    total_input = np.maximum(1, rng.gamma(2.0, mean_in / 2.0)).astype(np.int64)
    cache_read = (total_input * cache_share * rng.uniform(0.5, 1.0, size=total)).astype(np.int64)
    output = np.maximum(1, rng.gamma(2.0, mean_out / 2.0)).astype(np.int64)
    start_us = np.datetime64(START.replace(tzinfo=None), "us")
    used_at = start_us + np.round(offsets * 1e6).astype("timedelta64[us]")
    order = np.argsort(offsets, kind="stable")
    zeros = np.zeros(total, dtype=np.int64)
    return pa.table(
        {
            "position": np.arange(total, dtype=np.int64),
            "workload": np.array([w[0] for w in workloads])[wl_index][order],
            "used_at": pa.array(used_at[order], type=pa.timestamp("us", tz="UTC")),
            "input_uncached_tokens": (total_input - cache_read)[order],
            "cache_read_tokens": cache_read[order],
            "cache_write_5m_tokens": zeros,
            "output_tokens": output[order],
            "reasoning_tokens": zeros,
            "video_seconds": zeros,
            "is_interrupted": np.zeros(total, dtype=bool),
            "retry_count": zeros,
            "is_fallback": np.zeros(total, dtype=bool),
        }
    )


def simulate_video_requests(seed: int) -> pa.Table:
    """The Sora workflow's true video generations: SORA_VIDEOS_PER_DAY on average each day
    (Poisson), each of 4, 8 or 12 seconds, no tokens, retries, fallbacks or interruptions."""
    rng = np.random.default_rng([seed, 29])
    days = int((SORA_SHUTDOWN - START).total_seconds() // 86400)
    per_day = rng.poisson(SORA_VIDEOS_PER_DAY, size=days)
    day_index = np.repeat(np.arange(days), per_day)
    total = len(day_index)
    offsets = day_index * 86400.0 + rng.uniform(8 * 3600, 20 * 3600, size=total)
    seconds = rng.choice(SORA_SECONDS, size=total, p=SORA_SECONDS_SHARE).astype(np.int64)
    start_us = np.datetime64(START.replace(tzinfo=None), "us")
    used_at = start_us + np.round(offsets * 1e6).astype("timedelta64[us]")
    order = np.argsort(offsets, kind="stable")
    zeros = np.zeros(total, dtype=np.int64)
    return pa.table(
        {
            "position": np.arange(total, dtype=np.int64),
            "workload": np.full(total, SORA_WORKLOADS[0][0]),
            "used_at": pa.array(used_at[order], type=pa.timestamp("us", tz="UTC")),
            "input_uncached_tokens": zeros,
            "cache_read_tokens": zeros,
            "cache_write_5m_tokens": zeros,
            "output_tokens": zeros,
            "reasoning_tokens": zeros,
            "video_seconds": seconds[order],
            "is_interrupted": np.zeros(total, dtype=bool),
            "retry_count": zeros,
            "is_fallback": np.zeros(total, dtype=bool),
        }
    )


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table workloads as select * from (values "
        + ",".join(
            "(" + ",".join("null" if v is None else repr(v) for v in w) + ")"
            for w in WORKLOADS
            + AZURE_WORKLOADS
            + GOOGLE_WORKLOADS
            + SORA_WORKLOADS
            + GEO_WORKLOADS
            + CLOUD_VARIANCE_WORKLOADS
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
        from read_csv('{DEMO_CONFIG_DIR / "price_overrides.csv"}', all_varchar = true)
        union all
        select provider, model_id, usage_type, service_tier, context_threshold_tokens,
               cast(usd_per_unit as decimal(38, 18)),
               cast(valid_from as date), cast(valid_to as date), 2
        from read_csv('{SEEDS_DIR / "price_book.csv"}', all_varchar = true)
        """
    )
    con.execute(
        f"create table aliases as select * from read_csv('{DEMO_CONFIG_DIR / 'model_aliases.csv'}',"
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
        output_tokens as 'output', video_seconds as 'video_seconds'
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
        case when r.is_interrupted then 0 else r.output_tokens end as output_tokens,
        r.video_seconds
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
        output_tokens as 'output', video_seconds as 'video_seconds'
    into name usage_type value quantity
)
select * from unpivoted where quantity > 0
"""


def build_request_tables(con: duckdb.DuckDBPyConnection, requests: int, seed: int) -> None:
    """Create the tables the writers read: truth (one row per true request), the
    reference data, billed_priced (the bill's token lines priced) and observed_priced
    (what the gateways logged, priced the same way)."""
    truth_table = simulate_requests(requests, seed)
    con.register("truth_arrow", truth_table)
    con.execute(
        f"""
        create table truth as
        select 'req_' || sha256('{seed}-' || position)[1:20] as request_id,
            * exclude (position)
        from truth_arrow order by position
        """
    )
    con.unregister("truth_arrow")
    for cloud, workloads, share, stream in (
        ("azure", AZURE_WORKLOADS, AZURE_REQUEST_SHARE, 27),
        ("google", GOOGLE_WORKLOADS, GOOGLE_REQUEST_SHARE, 28),
        ("clouds", CLOUD_VARIANCE_WORKLOADS, CLOUD_VARIANCE_REQUEST_SHARE, 30),
    ):
        con.register(
            "cloud_truth_arrow", simulate_cloud_requests(requests, seed, workloads, share, stream)
        )
        con.execute(
            f"""
            insert into truth
            select 'req_' || sha256('{seed}-{cloud}-' || position)[1:20] as request_id,
                * exclude (position)
            from cloud_truth_arrow order by position
            """
        )
        con.unregister("cloud_truth_arrow")
    con.register("video_truth_arrow", simulate_video_requests(seed))
    con.execute(
        f"""
        insert into truth
        select 'req_' || sha256('{seed}-video-' || position)[1:20] as request_id,
            * exclude (position)
        from video_truth_arrow order by position
        """
    )
    con.unregister("video_truth_arrow")
    con.register(
        "geo_truth_arrow",
        simulate_cloud_requests(requests, seed, GEO_WORKLOADS, GEO_REQUEST_SHARE, 13),
    )
    con.execute(
        f"""
        insert into truth
        select 'req_' || sha256('{seed}-geo-' || position)[1:20] as request_id,
            * exclude (position)
        from geo_truth_arrow order by position
        """
    )
    con.unregister("geo_truth_arrow")
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
    # US-only inference: the provider bills every token category at the multiple; the
    # gateway that logged the geography priced it so too, the traces that did not at list.
    us = ", ".join(f"'{w}'" for w in US_INFERENCE_WORKLOADS)
    named = ", ".join(f"'{w}'" for w in GEO_NAMED_WORKLOADS)
    con.execute("alter table billed_priced add column list_cost_usd decimal(38, 10)")
    con.execute("update billed_priced set list_cost_usd = cost_usd")
    for table, workloads in (("billed_priced", us), ("observed_priced", named)):
        con.execute(
            f"""
            update {table}
            set usd_per_unit = usd_per_unit * {US_INFERENCE_MULTIPLIER},
                cost_usd = cast(quantity * usd_per_unit * {US_INFERENCE_MULTIPLIER}
                    as decimal(38, 10))
            where workload in ({workloads})
            """
        )
