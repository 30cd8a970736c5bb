{{ config(
    materialized='incremental',
    pre_hook="{{ forget_file_versions_not_loaded(source('telemetry', 'requests')) }}",
    **replace_by_partition_config('source_file')
) }}

-- One row per line of the project's own request log (CSV or Parquet, read as text and
-- parsed here alike): exclusive token buckets, images, audio and video seconds and request
-- units.
-- File-incremental like the LiteLLM model; duplicates are resolved downstream, per day.
{%- set whole_number_columns = [
    'input_uncached_tokens', 'cache_read_tokens', 'cache_write_5m_tokens',
    'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'retry_count',
    'images', 'request_units'
] %}
with

source as (

    select * from {{ source('telemetry', 'requests') }} as landed
    where {{ source_file_versions_to_build('landed') }}

),

parsed as (

    select
        source_file,
        source_file_version,
        record_number as file_row_number,
        {{ request_id_or_null('request_id') }} as request_id,
        {{ canonical_provider('provider') }} as provider,
        nullif(project_id, '') as project_id,
        nullif(api_key_id, '') as api_key_id,
        model as model_name,
        {{ canonical_service_tier('service_tier') }} as service_tier,
        lower(coalesce(nullif(status, ''), 'success')) as status,
        coalesce(nullif(route, ''), 'primary') as route,
        nullif(fallback_from_model, '') as fallback_from_model,
        {{ parse_quantity('status_code') }} as status_code,
        {%- for column in whole_number_columns %}
            nullif(trim({{ column }}), '') as {{ column }}_text,
            {{ parse_quantity(column) }} as {{ column }},
        {%- endfor %}
        {%- for column in ['audio_seconds', 'video_seconds'] %}
            nullif(trim({{ column }}), '') as {{ column }}_text,
            try_cast(trim({{ column }}) as decimal(18, 3)) as {{ column }},
        {%- endfor %}
        {{ text_to_utc_timestamp('occurred_at') }} as requested_at
    from source

),

validated as (

    select
        *,
        case
            when request_id is null then 'missing_required_id'
            when {{ is_unknown_provider('provider') }} then 'unknown_provider'
            when not {{ is_plausible_timestamp('requested_at') }} then 'bad_timestamp'
            when
                {%- for column in whole_number_columns + ['audio_seconds', 'video_seconds'] %}
                    ({{ column }}_text is not null and {{ column }} is null)
                    {%- if not loop.last %} or{% endif %}
                {%- endfor %}
                then 'quantity_not_numeric'
            when
                input_uncached_tokens < 0 or output_tokens < 0 or cache_read_tokens < 0
                or cache_write_5m_tokens < 0 or cache_write_1h_tokens < 0
                or images < 0 or audio_seconds < 0 or video_seconds < 0
                or request_units < 0
                then 'negative_usage'
        end as quarantine_reason
    from parsed

),

final as (

    select
        ---------- ids
        request_id,
        provider,
        project_id,
        api_key_id,
        ---------- strings
        model_name,
        case
            when video_seconds > 0 then 'video'
            when images > 0 then 'image'
            when audio_seconds > 0 then 'audio'
            else 'chat'
        end as endpoint_family,
        service_tier,
        status,
        -- The request log's status names the outcome itself (stream_interrupted, timeout...).
        {{ failure_kind('status') }} as failure_kind,
        route,
        fallback_from_model,
        source_file,
        source_file_version,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'false') }} as record_status,
        ---------- numerics
        coalesce(input_uncached_tokens, 0) as input_uncached_tokens,
        coalesce(cache_read_tokens, 0) as cache_read_tokens,
        coalesce(cache_write_5m_tokens, 0) as cache_write_5m_tokens,
        coalesce(cache_write_1h_tokens, 0) as cache_write_1h_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        coalesce(reasoning_tokens, 0) as reasoning_tokens,
        coalesce(retry_count, 0) as retry_count,
        coalesce(images, 0) as image_count,
        coalesce(audio_seconds, 0) as audio_seconds,
        coalesce(video_seconds, 0) as video_seconds,
        coalesce(request_units, 1) as request_units,
        status_code,
        file_row_number,
        ---------- dates
        cast(requested_at as date) as requested_date,
        ---------- timestamps
        requested_at
    from validated

)

select * from final
