"""LiteLLM SpendLogs, one CSV per day.

LiteLLM's clock runs CLOCK_SKEW_MINUTES behind (timing_window), it drops the cached-token
counts of the support prod key (cache_pricing), batch jobs are logged as ordinary
completions (service_tier_or_batch), one raw key leaks into metadata (the canary) and some
/responses calls are logged twice (#15740). A Sora video generation is logged with call type
acreate_video and its seconds as metadata.usage_object.duration_seconds, as LiteLLM logs it.

One file per day, as gateways export it, written by DuckDB: a month of tens of millions
of requests is written in minutes and bounded memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ai_spend_recon.demo.files import copy_per_day
from ai_spend_recon.demo.traffic import CANARY_KEY, CLOCK_SKEW_MINUTES, GEO_NAMED_WORKLOADS


def write_litellm_spend_logs(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """Write telemetry/litellm/spend_logs_<day>.csv."""
    # The requests in log order once (a narrow table), their CSV rows a day at a time (a
    # view): a month of formatted rows is never held at once.
    geo_named = ", ".join(f"'{workload}'" for workload in GEO_NAMED_WORKLOADS)
    con.execute(
        f"""
        create or replace table litellm_logged as
        with logged as (
            select t.request_id, w.workload, w.provider, g.deployment_id, g.key_alias,
                w.reported_model,
                t.used_at - interval {CLOCK_SKEW_MINUTES} minute as logged_at,
                t.input_uncached_tokens + t.cache_read_tokens as prompt_tokens,
                case when w.workload = 'support_prod' then null else t.cache_read_tokens end
                    as cached_tokens,
                t.output_tokens as completion_tokens, t.reasoning_tokens, t.retry_count,
                t.is_fallback,
                t.video_seconds,
                -- Anthropic's usage.inference_geo, which LiteLLM keeps in its usage object
                case when w.workload in ({geo_named})
                    then 'us' end as inference_geo
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
                    when video_seconds > 0 then 'acreate_video'
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
                -- LiteLLM logs a Bedrock model with its route prefix (reconstruct_model_name:
                -- bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0)
                case when provider = 'aws_bedrock' then 'bedrock/' || reported_model
                    else reported_model end as model,
                deployment_id as model_id,
                split_part(reported_model, '-2025', 1) as model_group,
                -- LiteLLM names Azure OpenAI `azure` (the model is the Azure deployment's
                -- name), Vertex AI `vertex_ai` (the model is the Vertex model id), Bedrock
                -- `bedrock` (the model is the system inference profile's id) and Anthropic
                -- `anthropic`.
                case provider when 'azure_openai' then 'azure' when 'google' then 'vertex_ai'
                    when 'aws_bedrock' then 'bedrock'
                    when 'anthropic' then 'anthropic' else 'openai' end as custom_llm_provider,
                case provider when 'azure_openai' then 'https://aoai-kb-prod.openai.azure.com'
                    when 'google' then 'https://us-central1-aiplatform.googleapis.com'
                    when 'aws_bedrock' then 'https://bedrock-runtime.us-east-1.amazonaws.com'
                    when 'anthropic' then 'https://api.anthropic.com'
                    else 'https://api.openai.com/v1' end as api_base,
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
                            ) else '{{}}' end,
                            -- a video generation: LiteLLM's OpenAI video transformation
                            -- sets the usage to the video's seconds
                            case when video_seconds > 0 then json_object(
                                'duration_seconds', cast(video_seconds as double)
                            ) else '{{}}' end,
                            case when inference_geo is not null
                                then json_object('inference_geo', inference_geo)
                                else '{{}}' end
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
