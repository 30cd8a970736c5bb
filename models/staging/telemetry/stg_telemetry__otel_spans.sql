{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ forget_unlanded_file_versions([('telemetry', 'otel_spans')]) }}"
) }}

-- One row per span. gen_ai.usage.input_tokens is cache-inclusive (semantic conventions):
-- cache read and cache creation are subtracted to get exclusive buckets. File-incremental
-- like the LiteLLM model; duplicates are resolved downstream, per day.
with

source as (

    select * from {{ landing('telemetry', 'otel_spans') }}

),

exports as (

    select
        filename as source_file,
        source_file_version,
        file_row_number as line_number,
        json_valid(line_text) as is_valid_json,
        line_text
    from source
    where trim(coalesce(line_text, ''), chr(13) || ' ') != ''

),

spans as (

    -- Spans are unnested straight from the line text (casting whole export lines to JSON
    -- first holds them in memory).
    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        unnest(
            case
                when is_valid_json
                    then coalesce(
                        json_extract(line_text, '$.resourceSpans[*].scopeSpans[*].spans[*]'),
                        [null::json]
                    )
                else [null::json]
            end
        ) as span_json
    from exports

),

attributes as (

    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        span_json,
        map_from_entries(
            list_transform(
                coalesce(json_extract(span_json, '$.attributes[*]'), []),
                lambda attribute: {
                    'k': attribute ->> 'key',
                    'v': coalesce(
                        attribute -> 'value' ->> 'stringValue',
                        attribute -> 'value' ->> 'intValue',
                        attribute -> 'value' ->> 'doubleValue',
                        attribute -> 'value' ->> 'boolValue'
                    )
                }
            )
        ) as attribute_map
    from spans

),

parsed as (

    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        coalesce(attribute_map['gen_ai.response.id'], span_json ->> 'spanId') as request_id,
        span_json ->> 'traceId' as trace_id,
        coalesce(attribute_map['gen_ai.provider.name'], attribute_map['gen_ai.system'])
            as provider_name,
        attribute_map['gen_ai.operation.name'] as operation_name,
        coalesce(attribute_map['gen_ai.response.model'], attribute_map['gen_ai.request.model'])
            as model_name,
        coalesce(attribute_map['anthropic.workspace_id'], attribute_map['openai.project_id'])
            as project_id,
        coalesce(attribute_map['anthropic.api_key_id'], attribute_map['openai.api_key_id'])
            as api_key_id,
        coalesce(
            attribute_map['anthropic.service_tier'], attribute_map['openai.response.service_tier']
        ) as service_tier_reported,
        coalesce(try_cast(attribute_map['app.retry_count'] as integer), 0) as retry_count,
        {{ parse_quantity("attribute_map['gen_ai.usage.input_tokens']") }} as input_tokens,
        {{ parse_quantity(
            "coalesce(attribute_map['gen_ai.usage.cache_read.input_tokens'], '0')"
        ) }} as cache_read_tokens,
        {{ parse_quantity(
            "coalesce(attribute_map['gen_ai.usage.cache_creation.input_tokens'], '0')"
        ) }} as cache_write_5m_tokens,
        {{ parse_quantity("attribute_map['gen_ai.usage.output_tokens']") }} as output_tokens,
        {{ parse_quantity(
            "coalesce(attribute_map['gen_ai.usage.reasoning.output_tokens'], '0')"
        ) }} as reasoning_tokens,
        cast(span_json -> 'status' ->> 'code' as integer) as status_code,
        span_json -> 'status' ->> 'message' as status_message,
        cast(
            to_timestamp(try_cast(span_json ->> 'startTimeUnixNano' as hugeint) / 1e9)
            at time zone 'UTC' as timestamp
        ) as requested_at,
        cast(
            to_timestamp(try_cast(span_json ->> 'endTimeUnixNano' as hugeint) / 1e9)
            at time zone 'UTC' as timestamp
        ) as completed_at
    from attributes
    where span_json is not null or not is_valid_json

),

validated as (

    select
        *,
        case
            when not is_valid_json then 'invalid_json'
            when request_id is null then 'missing_required_id'
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
        case provider_name
            when 'aws.bedrock' then 'aws_bedrock'
            when 'azure.ai.openai' then 'azure_openai'
            else provider_name
        end as provider,
        project_id,
        api_key_id,
        ---------- strings
        model_name,
        case
            when operation_name = 'embeddings' then 'embeddings'
            else 'chat'
        end as endpoint_family,
        case
            when service_tier_reported in ('batch', 'priority', 'flex') then service_tier_reported
            else 'standard'
        end as service_tier,
        case when status_code = 2 then coalesce(status_message, 'error') else 'success' end
            as status,
        'primary' as route,
        null::varchar as fallback_from_model,
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
