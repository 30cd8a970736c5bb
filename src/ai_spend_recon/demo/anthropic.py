"""Anthropic's Usage and Cost Admin API pages: the cost report and the messages usage report.

Priority-tier usage is in the usage report but absent from the cost report
(unbilled_usage); the input of streams interrupted mid-way is billed
(failed_request_billing). Pages carry no "object" field. Both reports are grouped by
inference_geo: us for the residency workspace's US-only inference (billed at 1.1x), global
for other Claude 4.6 usage, not_available for models without geography (4.5 and older).
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import money
from ai_spend_recon.demo.files import daily, write_json_pages
from ai_spend_recon.demo.traffic import US_INFERENCE_WORKLOADS


def write_anthropic_pages(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """Anthropic cost report and usage report pages, one pull."""
    us = ", ".join(f"'{workload}'" for workload in US_INFERENCE_WORKLOADS)
    rows = con.execute(
        f"""
        select cast(used_at as date) as day, project_id, api_key_id, reported_model, model_id,
            service_tier, usage_type,
            case when total_input > 200000 then '200k-1M' else '0-200k' end as context_window,
            case when workload in ({us}) then 'us'
                when model_id like 'claude-%-4-6' then 'global'
                else 'not_available' end as inference_geo,
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
        # The cost report names no key: rows of several keys with the same fields are one.
        costs: dict = {}
        usage: dict = {}
        for _, ws, key, model, model_id, tier, usage_type, ctx, geo, qty, cost in by_day[day]:
            dated = {
                "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
                "claude-sonnet-4-6": "claude-sonnet-4-6-20260201",
            }.get(model_id, model)
            if tier != "priority":  # priority tier is not in the cost report
                row = costs.setdefault(
                    (ws, dated, tier, usage_type, ctx, geo),
                    {
                        "amount": Decimal(0),
                        "currency": "USD",
                        "cost_type": "tokens",
                        "token_type": token_types[usage_type],
                        "description": f"{dated} {usage_type.replace('_', ' ')}",
                        "model": dated,
                        "service_tier": tier,
                        "context_window": ctx,
                        "workspace_id": ws,
                        "inference_geo": geo,
                    },
                )
                row["amount"] += money(cost)
            ukey = (key, ws, dated, tier, ctx, geo)
            entry = usage.setdefault(
                ukey,
                {
                    "api_key_id": key,
                    "workspace_id": ws,
                    "model": dated,
                    "service_tier": tier,
                    "context_window": ctx,
                    "inference_geo": geo,
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
        results = [{**row, "amount": format(row["amount"] * 100, "f")} for row in costs.values()]
        cost_buckets.append({"starting_at": starting, "ending_at": ending, "results": results})
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
