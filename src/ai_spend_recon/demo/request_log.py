"""The project's own request log (Parquet), one file per day.

The in-house gateway's log: Bedrock traffic and a support tool's OpenAI calls (a second
telemetry source on the support project). It logs the records of a Bedrock batch inference
job it submits as ordinary requests: service_tier standard (service_tier_or_batch).

One file per day, as gateways export it, written by DuckDB: a month of tens of millions
of requests is written in minutes and bounded memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ai_spend_recon.demo.files import copy_per_day


def write_request_log(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """Write telemetry/requests/requests_<day>.parquet."""
    con.execute(
        """
        create or replace table request_log as
        select t.request_id, t.used_at as occurred_at, w.provider, w.reported_model as model,
            case when w.service_tier = 'batch' then 'standard' else w.service_tier end
                as service_tier,
            w.api_key_id, w.project_id,
            case when t.is_fallback then 'fallback' else 'primary' end as route,
            case when t.is_fallback and w.provider = 'aws_bedrock'
                then 'us.anthropic.claude-haiku-4-5-20251001-v1:0'
                when t.is_fallback then 'gpt-4.1-2025-04-14' end as fallback_from_model,
            200 as status_code, 'success' as status, t.retry_count,
            t.input_uncached_tokens, t.cache_read_tokens, t.cache_write_5m_tokens,
            0 as cache_write_1h_tokens, t.output_tokens, t.reasoning_tokens,
            0 as images, 0.0 as audio_seconds, t.video_seconds, 1 as request_units,
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
