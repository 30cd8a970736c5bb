"""OpenAI's Costs and Usage API pages, as two pulls of daily buckets.

The costs pages carry one result per project, API key, model and token type (growth's
batch lines labelled as batch), and per project, key and day the seconds of Sora video; a
re-pull of October 20-31 overlaps the monthly pull. The usage pages (completions,
embeddings) count tokens and requests per project, key and model; the Usage API has no
endpoint counting videos. Every billed project is in them, the legacy one no gateway sees
included.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ai_spend_recon.demo.files import daily, write_json_pages


def write_openai_pages(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """OpenAI costs pages and completions/embeddings usage pages."""
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
            # A Sora line's quantity is the seconds of video. OpenAI's reference does not
            # spell a video line item; the reader takes only its model part, and the line
            # has no quantity_unit (the reference's costs result has none).
            video = usage_type == "video_seconds"
            label = (
                f"{model}, video generation"
                if video
                else f"{model}, {labels[usage_type]}" + (", batch" if tier == "batch" else "")
            )
            result = {
                "object": "organization.costs.result",
                "amount": {"value": float(cost), "currency": "usd"},
                "line_item": label,
                "project_id": project,
                "api_key_id": key,
                "quantity": int(qty),
            }
            if not video:
                result["quantity_unit"] = "tokens"
            results.append(result)
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
        from billed_priced
        -- The Usage API has no endpoint counting videos: Sora is on the cost lines only.
        where provider = 'openai' and usage_type != 'video_seconds'
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
