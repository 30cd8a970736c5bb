with

source as (

    select * from {{ landing('telemetry', 'requests') }}

),

validated as (

    select
        *,
        case
            when request_id is null then 'missing_required_id'
            when not {{ is_plausible_timestamp('cast(occurred_at as timestamp)') }}
                then 'bad_timestamp'
            when
                input_uncached_tokens < 0 or output_tokens < 0 or cache_read_tokens < 0
                or images < 0 or audio_seconds < 0 or request_units < 0
                then 'negative_usage'
        end as quarantine_reason,
        row_number() over (
            partition by request_id order by filename, file_row_number
        ) as duplicate_rank
    from source

),

final as (

    select
        ---------- ids
        request_id,
        lower(provider) as provider,
        project_id,
        api_key_id,
        ---------- strings
        model as model_name,
        case
            when images > 0 then 'image'
            when audio_seconds > 0 then 'audio'
            else 'chat'
        end as endpoint_family,
        coalesce(lower(service_tier), 'standard') as service_tier,
        lower(coalesce(status, 'success')) as status,
        coalesce(route, 'primary') as route,
        fallback_from_model,
        filename as source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        coalesce(input_uncached_tokens, 0) as input_uncached_tokens,
        coalesce(cache_read_tokens, 0) as cache_read_tokens,
        coalesce(cache_write_5m_tokens, 0) as cache_write_5m_tokens,
        coalesce(cache_write_1h_tokens, 0) as cache_write_1h_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        coalesce(reasoning_tokens, 0) as reasoning_tokens,
        coalesce(retry_count, 0) as retry_count,
        coalesce(images, 0) as image_count,
        cast(coalesce(audio_seconds, 0) as decimal(18, 3)) as audio_seconds,
        coalesce(request_units, 1) as request_units,
        status_code,
        file_row_number,
        ---------- timestamps
        cast(occurred_at as timestamp) as requested_at
    from validated

)

select * from final
