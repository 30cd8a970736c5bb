{{ config(
    materialized='incremental',
    pre_hook="{{ forget_file_versions_not_loaded(source('telemetry', 'otel_spans')) }}",
    **replace_by_partition_config('source_file')
) }}

-- One row per span of the OTLP/JSON exports (the loader reads every encoding OTLP/JSON
-- allows into one row per span). gen_ai.usage.input_tokens is cache-inclusive (semantic
-- conventions): cache read and cache creation are subtracted to get exclusive buckets.
-- File-incremental like the LiteLLM model; duplicates are resolved downstream, per day.
with

source as (

    select * from {{ source('telemetry', 'otel_spans') }} as landed
    where {{ source_file_versions_to_build('landed') }}

),

parsed as (

    select
        source_file,
        source_file_version,
        line_number,
        coalesce(gen_ai_response_id, span_id) as request_id,
        trace_id,
        coalesce(gen_ai_provider_name, gen_ai_system) as provider_name,
        gen_ai_operation_name as operation_name,
        coalesce(gen_ai_response_model, gen_ai_request_model) as model_name,
        nullif(trim(service_name), '') as service_name,
        nullif(trim(server_address), '') as server_address,
        -- The tier the response says it ran on, else the one requested; spans of other
        -- providers carry none (the gateway mapping may name it).
        coalesce(openai_response_service_tier, openai_request_service_tier)
            as service_tier_reported,
        coalesce({{ try_cast_integer('http_request_resend_count', 'integer') }}, 0) as retry_count,
        {{ parse_quantity('gen_ai_usage_input_tokens') }} as input_tokens,
        {{ parse_quantity("coalesce(gen_ai_usage_cache_read_input_tokens, '0')") }}
            as cache_read_tokens,
        {{ parse_quantity("coalesce(gen_ai_usage_cache_creation_input_tokens, '0')") }}
            as cache_write_5m_tokens,
        {{ parse_quantity('gen_ai_usage_output_tokens') }} as output_tokens,
        {{ parse_quantity("coalesce(gen_ai_usage_reasoning_output_tokens, '0')") }}
            as reasoning_tokens,
        {{ try_cast_integer('status_code', 'integer') }} as status_code,
        status_message,
        -- The semantic conventions' class of the error a failed operation ended with.
        nullif(trim(error_type), '') as error_type,
        {{ unix_nanoseconds_to_timestamp('start_time_unix_nano') }} as requested_at,
        {{ unix_nanoseconds_to_timestamp('end_time_unix_nano') }} as completed_at
    from source

),

validated as (

    select
        *,
        case when status_code = 2 then coalesce(status_message, 'error') else 'success' end
            as status,
        case
            when request_id is null then 'missing_required_id'
            when {{ is_unknown_provider(canonical_provider('provider_name')) }}
                then 'unknown_provider'
            when not {{ is_plausible_timestamp('requested_at') }} then 'bad_timestamp'
            when input_tokens < 0 or output_tokens < 0 then 'negative_usage'
            when cache_read_tokens + cache_write_5m_tokens > input_tokens
                then 'cache_tokens_exceed_prompt'
        end as quarantine_reason
    from parsed

),

final as (

    select
        ---------- ids
        request_id,
        trace_id,
        {{ canonical_provider('provider_name') }} as provider,
        service_name,
        server_address,
        ---------- strings
        model_name,
        case
            when operation_name = 'embeddings' then 'embeddings'
            else 'chat'
        end as endpoint_family,
        -- NULL when the span names no tier: the gateway mapping may, else standard
        -- (int_usage_requests_attributed).
        case
            when service_tier_reported is not null
                then {{ canonical_service_tier('service_tier_reported') }}
        end as service_tier,
        status,
        -- error.type is an exception's name or a status code: read as either.
        {{ failure_kind('status', 'error_type', 'error_type') }} as failure_kind,
        'primary' as route,
        cast(null as string) as fallback_from_model,
        source_file,
        source_file_version,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'false') }} as record_status,
        ---------- numerics
        coalesce(input_tokens, 0) - cache_read_tokens - cache_write_5m_tokens
            as input_uncached_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        reasoning_tokens,
        retry_count,
        line_number,
        ---------- booleans
        input_tokens is null as is_usage_missing,
        ---------- dates
        cast(requested_at as date) as requested_date,
        ---------- timestamps
        requested_at,
        completed_at
    from validated

)

select * from final
