{{ config(
    materialized='incremental',
    pre_hook="{{ forget_file_versions_not_loaded(source('telemetry', 'litellm_spend_logs')) }}",
    **replace_by_partition_config('source_file')
) }}

-- Payload columns (messages, response) are never loaded, and the raw metadata JSON is never
-- selected: only allow-listed metadata keys leave this model, so a leaked key cannot pass.
-- File-incremental: a landed file is parsed once; a re-landed (changed) or removed file's
-- rows are replaced or dropped. Duplicate request ids are resolved downstream, per day
-- (int_usage_requests_deduplicated), because a duplicate may sit in another file.
with

source as (

    select * from {{ source('telemetry', 'litellm_spend_logs') }} as landed
    where {{ source_file_versions_to_build('landed') }}

),

parsed as (

    select
        source_file,
        source_file_version,
        record_number as file_row_number,
        {{ request_id_or_null('request_id') }} as request_id,
        {{ gateway_key_hash('api_key') }} as gateway_key_hash,
        nullif(trim(model_id), '') as deployment_id,
        nullif(trim(api_base), '') as api_base,
        nullif(trim(team_id), '') as team_id,
        model as model_name,
        {{ canonical_provider('custom_llm_provider') }} as provider,
        call_type,
        lower(coalesce(nullif(status, ''), 'success')) as status,
        -- The metadata fields read, parsed once into a typed struct.
        {{ json_text_to_struct('metadata', litellm_metadata_json_shape()) }} as metadata_fields,
        {{ parse_quantity('prompt_tokens') }} as prompt_tokens,
        {{ parse_quantity('completion_tokens') }} as completion_tokens,
        try_cast(spend as double) as gateway_spend_usd_float,
        -- Unquoted: both engines match names case-insensitively ("x" is text on Spark).
        {{ text_to_utc_timestamp('startTime') }} as started_at,
        {{ text_to_utc_timestamp('endTime') }} as ended_at
    from source

),

extracted as (

    select
        *,
        nullif(trim(metadata_fields['user_api_key_alias']), '') as gateway_key_alias,
        coalesce(team_id, nullif(trim(metadata_fields['user_api_key_team_id']), ''))
            as gateway_team_id,
        -- Route, fallback and retries are the calling application's own tags, passed in
        -- the request's metadata.spend_logs_metadata (LiteLLM logs it as is).
        coalesce(metadata_fields['spend_logs_metadata']['route'], 'primary') as route,
        metadata_fields['spend_logs_metadata']['fallback_from_model'] as fallback_from_model,
        coalesce({{ try_cast_integer(
            "metadata_fields['spend_logs_metadata']['retries']", 'integer'
        ) }}, 0) as retry_count,
        -- Anthropic's response usage says where inference ran (inference_geo: us, global,
        -- not_available) and LiteLLM's usage object keeps it, with the request's speed
        -- (fast mode): both priced downstream at their multiples (price_multiplier).
        lower(nullif(trim(metadata_fields['usage_object']['inference_geo']), ''))
            as inference_geo,
        lower(nullif(trim(metadata_fields['usage_object']['speed']), '')) as speed,
        -- A failure's kind from LiteLLM's error information (its class and code only: the
        -- message and traceback are never read), as its status is only success or failure.
        {{ failure_kind(
            'status',
            "metadata_fields['error_information']['error_class']",
            "metadata_fields['error_information']['error_code']"
        ) }} as failure_kind,
        {{ parse_quantity(
            "coalesce(metadata_fields['usage_object']['prompt_tokens_details']['cached_tokens'],"
            ~ " metadata_fields['additional_usage_values']['cache_read_input_tokens'], '0')"
        ) }} as cache_read_tokens,
        {{ parse_quantity(
            "coalesce(metadata_fields['additional_usage_values']['cache_creation_input_tokens'],"
            ~ " '0')"
        ) }} as cache_write_5m_tokens,
        {{ parse_quantity(
            "coalesce(metadata_fields['usage_object']['completion_tokens_details']"
            ~ "['reasoning_tokens'], '0')"
        ) }} as reasoning_tokens,
        -- A video generation (call types create_video, video_remix and their async forms):
        -- LiteLLM sets the response's usage to the video's `seconds` as duration_seconds.
        coalesce(
            call_type ilike '%create_video%' or call_type ilike '%video_remix%', false
        ) as is_video_generation,
        nullif(trim(metadata_fields['usage_object']['duration_seconds']), '')
            as video_seconds_text
    from parsed

),

video_parsed as (

    select
        *,
        case
            when is_video_generation
                then try_cast(video_seconds_text as decimal(18, 3))
            else 0
        end as video_seconds
    from extracted

),

validated as (

    select
        *,
        case
            when request_id is null then 'missing_required_id'
            when {{ is_unknown_provider('provider') }} then 'unknown_provider'
            when not {{ is_plausible_timestamp('started_at') }} then 'bad_timestamp'
            when prompt_tokens is null or completion_tokens is null then 'missing_required_quantity'
            when is_video_generation and video_seconds_text is not null and video_seconds is null
                then 'quantity_not_numeric'
            when prompt_tokens < 0 or completion_tokens < 0 or video_seconds < 0
                then 'negative_usage'
            when cache_read_tokens + cache_write_5m_tokens > prompt_tokens
                then 'cache_tokens_exceed_prompt'
        end as quarantine_reason
    from video_parsed

),

final as (

    select
        ---------- ids
        request_id,
        provider,
        gateway_key_hash,
        gateway_key_alias,
        gateway_team_id,
        deployment_id,
        ---------- strings
        api_base,
        model_name,
        call_type,
        case
            -- Any Videos API call (a generation, or its status, content or list call).
            when call_type ilike '%video%' then 'video'
            when call_type ilike '%embedding%' then 'embeddings'
            when call_type ilike '%image%' then 'image'
            when call_type ilike '%transcription%' or call_type ilike '%speech%' then 'audio'
            when call_type ilike '%moderation%' then 'moderation'
            else 'chat'
        end as endpoint_family,
        'standard' as service_tier,
        inference_geo,
        speed,
        status,
        failure_kind,
        route,
        fallback_from_model,
        source_file,
        source_file_version,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'false') }} as record_status,
        ---------- numerics
        -- prompt_tokens is cache-inclusive: convert to exclusive buckets.
        prompt_tokens - cache_read_tokens - cache_write_5m_tokens as input_uncached_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        completion_tokens as output_tokens,
        reasoning_tokens,
        coalesce(video_seconds, 0) as video_seconds,
        retry_count,
        file_row_number,
        ---------- dates
        cast(started_at as date) as requested_date,
        ---------- timestamps
        started_at as requested_at,
        ended_at as completed_at
    from validated

)

select * from final
