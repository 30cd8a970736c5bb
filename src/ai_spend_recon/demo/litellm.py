"""LiteLLM SpendLogs, one CSV per day.

LiteLLM's clock runs CLOCK_SKEW_MINUTES behind (timing_window), it drops the cached-token
counts of the support prod key (cache_pricing), batch jobs are logged as ordinary
completions (service_tier_or_batch), one raw key leaks into metadata (the canary) and some
/responses calls are logged twice (#15740). A Sora video generation is logged with call type
acreate_video and its seconds as metadata.usage_object.duration_seconds, as LiteLLM logs it.
Failed attempts before a retry are logged as LiteLLM logs a failure: status `failure`, no
usage, and metadata.error_information (error_code, error_class, llm_provider, error_message,
traceback) from which the failure's kind is read (the message and traceback never are).

One file per day, as gateways export it, written by DuckDB: a month of tens of millions
of requests is written in minutes and bounded memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ai_spend_recon.demo.files import copy_per_day
from ai_spend_recon.demo.traffic import CANARY_KEY, CLOCK_SKEW_MINUTES, GEO_NAMED_WORKLOADS

# Text in a failure's error_message and traceback, where LiteLLM may echo the prompt: no
# table the product builds may hold it (tests/test_credentials.py).
ERROR_TEXT_CANARY = "ERRTEXTCANARY7f3a: the prompt as echoed, never to be stored"


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
                    then 'us' end as inference_geo,
                null::varchar as error_class,
                null::varchar as error_code
            from truth as t join workloads as w using (workload)
            join gateway_identities as g using (workload)
            where w.telemetry = 'litellm'
        ),
        served as (
            select *, row_number() over (order by logged_at, request_id) - 1 as row_index
            from logged
        ),
        -- The failed attempts of one retried token request in ten reached the gateway (the
        -- others failed before it), each logged as a failure seconds before the retry, with
        -- a new call id, no usage and LiteLLM's error information: rate limits, timeouts,
        -- provider errors and clients that disconnected (never on Anthropic, whose billing
        -- policy bills interrupted streams: these attempts were not billed).
        failed_attempts as (
            select
                md5(s.request_id || '-attempt-' || a.attempt) as call_hash, s.*, a.attempt,
                (s.row_index // 10 + a.attempt) % case when s.provider = 'anthropic'
                    then 3 else 4 end as error_index
            from served as s
            join (values (1), (2), (3)) as a (attempt) on a.attempt <= s.retry_count
            where s.row_index % 10 = 3 and s.video_seconds = 0
        )
        select * from served
        union all
        select
            substr(call_hash, 1, 8) || '-' || substr(call_hash, 9, 4) || '-4'
                || substr(call_hash, 14, 3) || '-a' || substr(call_hash, 18, 3) || '-'
                || substr(call_hash, 21, 12) as request_id,
            workload, provider, deployment_id, key_alias, reported_model,
            greatest(
                logged_at - to_seconds(3 * (retry_count - attempt + 1)),
                date_trunc('day', logged_at)
            ) as logged_at,
            0 as prompt_tokens, null as cached_tokens, 0 as completion_tokens,
            0 as reasoning_tokens, attempt - 1 as retry_count, is_fallback,
            0 as video_seconds, null as inference_geo,
            ['RateLimitError', 'Timeout', 'InternalServerError', 'ClientDisconnected']
                [error_index + 1] as error_class,
            ['429', '408', '500', '499'][error_index + 1] as error_code,
            null as row_index
        from failed_attempts
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
                strftime(logged_at + to_milliseconds(800 + (coalesce(row_index, 0) % 50) * 37),
                    '%Y-%m-%d %H:%M:%S.%f') as "endTime",
                800 + (coalesce(row_index, 0) % 50) * 37 as request_duration_ms,
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
                        'usage_object', case when error_class is null then json_merge_patch(
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
                        ) end,
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
                    -- a failure: LiteLLM's metadata status and error information
                    -- (StandardLoggingPayloadErrorInformation), message and traceback
                    -- included, as LiteLLM writes them when prompts are stored
                    case when error_class is not null then json_object(
                        'status', 'failure',
                        'error_information', json_object(
                            'error_code', error_code,
                            'error_class', error_class,
                            'llm_provider', custom_llm_provider,
                            'error_message', 'litellm.' || error_class || ': '
                                || '{ERROR_TEXT_CANARY}',
                            'traceback', 'Traceback (most recent call last): '
                                || '{ERROR_TEXT_CANARY}'
                        )
                    ) else '{{}}' end,
                    -- the leak real exports contain (#1806)
                    case when row_index = 7
                        then json_object('user_api_key', '{CANARY_KEY}') else '{{}}' end
                ) as metadata,
                'False' as cache_hit,
                null::varchar as cache_key,
                to_json([workload]) as request_tags,
                'team-' || split_part(workload, '_', 1) as team_id,
                case when error_class is null then 'success' else 'failure' end as status,
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
