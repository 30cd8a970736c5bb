with

source as (

    select * from {{ source('anthropic', 'usage_messages') }}

),

parsed as (

    select
        source_file,
        record_number,
        {{ pulled_at('source_file', 'source_file_modified_at') }} as pulled_at,
        api_key_id,
        workspace_id,
        model as model_name,
        {{ canonical_service_tier("service_tier") }} as service_tier,
        context_window,
        -- Newer API versions group by inference geography and speed (see the cost report).
        nullif(trim(inference_geo), '') as inference_geo,
        nullif(trim(speed), '') as speed,
        -- Anthropic buckets are exclusive: uncached + cache read + cache writes = input.
        {{ parse_quantity("uncached_input_tokens") }} as input_uncached_tokens,
        {{ parse_quantity("cache_read_input_tokens") }} as cache_read_tokens,
        {{ parse_quantity(
            "coalesce(cache_creation__ephemeral_5m_input_tokens,"
            ~ " cache_creation_5m_input_tokens, '0')"
        ) }} as cache_write_5m_tokens,
        {{ parse_quantity(
            "coalesce(cache_creation__ephemeral_1h_input_tokens,"
            ~ " cache_creation_1h_input_tokens, '0')"
        ) }} as cache_write_1h_tokens,
        {{ parse_quantity("output_tokens") }} as output_tokens,
        {{ parse_quantity(
            "coalesce(server_tool_use__web_search_requests, '0')"
        ) }} as web_search_requests,
        {{ iso_to_timestamp("bucket__starting_at") }} as bucket_start_at,
        {{ iso_to_timestamp("bucket__ending_at") }} as bucket_end_at
    from source

),

validated as (

    select
        *,
        case
            when input_uncached_tokens is null or output_tokens is null
                then 'missing_required_quantity'
            when
                input_uncached_tokens < 0 or output_tokens < 0 or cache_read_tokens < 0
                or cache_write_5m_tokens < 0 or cache_write_1h_tokens < 0
                or web_search_requests < 0
                then 'negative_usage'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key_with_groupings([
            'bucket_start_at', 'api_key_id', 'workspace_id', 'model_name', 'service_tier',
            'context_window'
        ], ['inference_geo', 'speed']) }} as usage_row_id,
        row_number() over (
            partition by
                quarantine_reason is null, bucket_start_at, api_key_id, workspace_id,
                model_name, service_tier, context_window, inference_geo, speed
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from validated

),

final as (

    select
        ---------- ids
        usage_row_id,
        'anthropic' as provider,
        api_key_id,
        workspace_id,
        ---------- strings
        model_name,
        service_tier,
        context_window,
        inference_geo,
        speed,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        ---------- numerics
        input_uncached_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
        output_tokens,
        web_search_requests,
        record_number,
        ---------- dates
        cast(bucket_start_at as date) as usage_date,
        ---------- timestamps
        bucket_start_at,
        bucket_end_at,
        pulled_at
    from ranked

)

select * from final
