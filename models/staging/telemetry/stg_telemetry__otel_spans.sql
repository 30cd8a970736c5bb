{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ forget_unlanded_file_versions([('telemetry', 'otel_spans')]) }}"
) }}

-- depends_on: {{ ref('stg_telemetry__litellm_spend_logs') }}
-- The landing readers run one after another (inventory, LiteLLM, OTel, request log): each
-- may use the whole memory limit, and two at once ran out of it at 30M requests.

-- One row per span, from OTLP/JSON lines with lowerCamelCase keys, the protobuf field
-- names (snake_case) or the scope list of before OTLP 1.0 (instrumentationLibrarySpans).
-- gen_ai.usage.input_tokens is cache-inclusive (semantic conventions):
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
        {{ otlp_json_in_camel_case('line_text') }} as line_text
    from source
    where {{ is_nonblank_line('line_text') }}

),

resource_spans as (

    -- Each line is parsed once, into the typed shape of an OTLP/JSON export (only the
    -- fields read here; a field of another type reads as NULL).
    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        case
            when is_valid_json
                then from_json(line_text, '{{ otlp_spans_json_shape() }}')['resourceSpans']
        end as resource_spans
    from exports

),

spans as (

    -- Spans are unnested from every resource and scope, each with its resource's
    -- service.name; a line that is not JSON keeps one row with no span.
    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        unnest(
            case
                when is_valid_json
                    then flatten(list_transform(
                        resource_spans,
                        lambda resource: list_transform(
                            flatten(list_transform(
                                resource['scopeSpans'], lambda scope: scope['spans']
                            )),
                            lambda resource_span: {
                                'span': resource_span,
                                'service_name': list_filter(
                                    resource['resource']['attributes'],
                                    lambda attribute: attribute['key'] = 'service.name'
                                )[1]['value']['stringValue']
                            }
                        )
                    ))
                else [null]
            end
        ) as resource_span
    from resource_spans

),

attribute_lists as (

    -- Attribute keys and values side by side, values as text (OTLP/JSON writes int64 as a
    -- string); a key is looked up by position, so a repeated key cannot fail the read.
    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        resource_span['span'] as span,
        resource_span['service_name'] as service_name,
        list_transform(
            resource_span['span']['attributes'], lambda attribute: attribute['key']
        ) as attribute_keys,
        list_transform(
            resource_span['span']['attributes'],
            lambda attribute: coalesce(
                attribute['value']['stringValue'],
                attribute['value']['intValue'],
                attribute['value']['doubleValue'],
                attribute['value']['boolValue']
            )
        ) as attribute_values
    from spans

),

attributes as (

    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        service_name,
        span is not null as has_span,
        span['spanId'] as span_id,
        span['traceId'] as trace_id,
        span['startTimeUnixNano'] as start_time_unix_nano,
        span['endTimeUnixNano'] as end_time_unix_nano,
        span['status']['code'] as status_code,
        span['status']['message'] as status_message,
        {{ otlp_attribute('gen_ai.response.id') }} as response_id,
        {{ otlp_attribute('gen_ai.provider.name') }} as provider_name_attribute,
        {{ otlp_attribute('gen_ai.system') }} as system_attribute,
        {{ otlp_attribute('gen_ai.operation.name') }} as operation_name,
        {{ otlp_attribute('gen_ai.response.model') }} as response_model,
        {{ otlp_attribute('gen_ai.request.model') }} as request_model,
        {{ otlp_attribute('server.address') }} as server_address,
        {{ otlp_attribute('openai.response.service_tier') }} as openai_response_service_tier,
        {{ otlp_attribute('openai.request.service_tier') }} as openai_request_service_tier,
        {{ otlp_attribute('http.request.resend_count') }} as resend_count_text,
        {{ otlp_attribute('gen_ai.usage.input_tokens') }} as input_tokens_text,
        {{ otlp_attribute('gen_ai.usage.cache_read.input_tokens') }} as cache_read_tokens_text,
        {{ otlp_attribute('gen_ai.usage.cache_creation.input_tokens') }}
            as cache_creation_tokens_text,
        {{ otlp_attribute('gen_ai.usage.output_tokens') }} as output_tokens_text,
        {{ otlp_attribute('gen_ai.usage.reasoning.output_tokens') }} as reasoning_tokens_text
    from attribute_lists

),

parsed as (

    select
        source_file,
        source_file_version,
        line_number,
        is_valid_json,
        coalesce(response_id, span_id) as request_id,
        trace_id,
        coalesce(provider_name_attribute, system_attribute) as provider_name,
        operation_name,
        coalesce(response_model, request_model) as model_name,
        nullif(trim(service_name), '') as service_name,
        nullif(trim(server_address), '') as server_address,
        -- The tier the response says it ran on, else the one requested; spans of other
        -- providers carry none (the gateway mapping may name it).
        coalesce(openai_response_service_tier, openai_request_service_tier)
            as service_tier_reported,
        coalesce(try_cast(resend_count_text as integer), 0) as retry_count,
        {{ parse_quantity('input_tokens_text') }} as input_tokens,
        {{ parse_quantity("coalesce(cache_read_tokens_text, '0')") }} as cache_read_tokens,
        {{ parse_quantity("coalesce(cache_creation_tokens_text, '0')") }} as cache_write_5m_tokens,
        {{ parse_quantity('output_tokens_text') }} as output_tokens,
        {{ parse_quantity("coalesce(reasoning_tokens_text, '0')") }} as reasoning_tokens,
        status_code,
        status_message,
        cast(
            to_timestamp(try_cast(start_time_unix_nano as hugeint) / 1e9)
            at time zone 'UTC' as timestamp
        ) as requested_at,
        cast(
            to_timestamp(try_cast(end_time_unix_nano as hugeint) / 1e9)
            at time zone 'UTC' as timestamp
        ) as completed_at
    from attributes
    where has_span or not is_valid_json

),

validated as (

    select
        *,
        case
            when not is_valid_json then 'invalid_json'
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
