with

source as (

    select * from {{ source('openai', 'usage_completions') }}

),

parsed as (

    select
        source_file,
        record_number,
        {{ pulled_at('source_file', 'source_file_modified_at') }} as pulled_at,
        project_id,
        api_key_id,
        user_id,
        model as model_name,
        coalesce(cast(batch as boolean), false) as is_batch,
        coalesce(service_tier, 'default') as service_tier_reported,
        {{ parse_quantity("input_tokens") }} as input_tokens,
        {{ parse_quantity("input_cached_tokens") }} as input_cached_tokens,
        {{ parse_quantity("input_cache_write_tokens") }}
            as input_cache_write_tokens,
        {{ parse_quantity("input_uncached_tokens") }} as input_uncached_tokens,
        {{ parse_quantity("input_audio_tokens") }} as input_audio_tokens,
        {{ parse_quantity("input_image_tokens") }} as input_image_tokens,
        {{ parse_quantity("input_text_tokens") }} as input_text_tokens,
        {{ parse_quantity("input_cached_text_tokens") }} as input_cached_text_tokens,
        {{ parse_quantity("input_cached_audio_tokens") }}
            as input_cached_audio_tokens,
        {{ parse_quantity("input_cached_image_tokens") }}
            as input_cached_image_tokens,
        {{ parse_quantity("output_text_tokens") }} as output_text_tokens,
        {{ parse_quantity("output_tokens") }} as output_tokens,
        {{ parse_quantity("output_audio_tokens") }} as output_audio_tokens,
        {{ parse_quantity("output_image_tokens") }} as output_image_tokens,
        {{ parse_quantity("num_model_requests") }} as request_count,
        {{ unix_seconds_to_timestamp("bucket__start_time") }} as bucket_start_at,
        {{ unix_seconds_to_timestamp("bucket__end_time") }} as bucket_end_at
    from source

),

normalized as (

    -- input_tokens is inclusive of cached and cache-write tokens; the exclusive
    -- uncached bucket is derived when an older export lacks input_uncached_tokens.
    select
        *,
        coalesce(input_cached_tokens, 0) as cache_read_tokens,
        coalesce(input_cache_write_tokens, 0) as cache_write_5m_tokens,
        coalesce(
            input_uncached_tokens,
            input_tokens - coalesce(input_cached_tokens, 0) - coalesce(input_cache_write_tokens, 0)
        ) as input_uncached_exclusive_tokens,
        case
            when is_batch then 'batch'
            else {{ canonical_service_tier('service_tier_reported') }}
        end as service_tier,
        case
            when input_tokens is null or output_tokens is null or request_count is null
                then 'missing_required_quantity'
            when input_tokens < 0 or output_tokens < 0 then 'negative_usage'
            -- The spec's sum rules, checked where the export has the parts (older exports
            -- lack the splits). NULL-safe: a missing part never fails a rule.
            when
                input_tokens
                != input_uncached_tokens + input_cached_tokens + input_cache_write_tokens
                or input_uncached_tokens
                != input_text_tokens + input_audio_tokens + input_image_tokens
                or input_cached_tokens
                != input_cached_text_tokens + input_cached_audio_tokens + input_cached_image_tokens
                or output_tokens != output_text_tokens + output_audio_tokens + output_image_tokens
                then 'token_sum_mismatch'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key([
            'bucket_start_at', 'project_id', 'api_key_id', 'user_id', 'model_name',
            'is_batch', 'service_tier_reported'
        ]) }} as usage_row_id,
        row_number() over (
            partition by
                quarantine_reason is null, bucket_start_at, project_id, api_key_id,
                user_id, model_name, is_batch, service_tier_reported
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from normalized

),

final as (

    select
        ---------- ids
        usage_row_id,
        'openai' as provider,
        project_id,
        api_key_id,
        user_id,
        ---------- strings
        model_name,
        service_tier,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        ---------- numerics
        input_tokens as input_tokens_inclusive,
        input_uncached_exclusive_tokens as input_uncached_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        input_audio_tokens,
        input_image_tokens,
        output_tokens,
        output_audio_tokens,
        output_image_tokens,
        request_count,
        record_number,
        ---------- booleans
        is_batch,
        ---------- dates
        cast(bucket_start_at as date) as usage_date,
        ---------- timestamps
        bucket_start_at,
        bucket_end_at,
        pulled_at
    from ranked

)

select * from final
