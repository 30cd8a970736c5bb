with

source as (

    select * from {{ landing('openai', 'usage_embeddings') }}

),

{{ json_page_results('source') }},

parsed as (

    select
        source_file,
        pulled_at,
        bucket_index,
        result_index,
        is_valid_json,
        is_page_sequence_complete,
        result_json ->> 'project_id' as project_id,
        result_json ->> 'api_key_id' as api_key_id,
        result_json ->> 'model' as model_name,
        {{ parse_quantity("result_json ->> 'input_tokens'") }} as input_tokens,
        {{ parse_quantity("result_json ->> 'num_model_requests'") }} as request_count,
        {{ unix_seconds_to_timestamp("bucket_json ->> 'start_time'") }} as bucket_start_at,
        {{ unix_seconds_to_timestamp("bucket_json ->> 'end_time'") }} as bucket_end_at
    from results
    where result_json is not null or not is_valid_json

),

validated as (

    select
        *,
        case
            when not is_valid_json then 'invalid_json'
            when not is_page_sequence_complete then 'page_sequence_incomplete'
            when input_tokens is null or request_count is null then 'missing_required_quantity'
            when input_tokens < 0 then 'negative_usage'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key(['bucket_start_at', 'project_id', 'api_key_id', 'model_name']) }}
            as usage_row_id,
        row_number() over (
            partition by
                quarantine_reason is null, bucket_start_at, project_id, api_key_id,
                model_name
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from validated

),

final as (

    select
        ---------- ids
        usage_row_id,
        'openai' as provider,
        project_id,
        api_key_id,
        ---------- strings
        model_name,
        'standard' as service_tier,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        ---------- numerics
        input_tokens as input_uncached_tokens,
        request_count,
        bucket_index,
        result_index,
        ---------- dates
        cast(bucket_start_at as date) as usage_date,
        ---------- timestamps
        bucket_start_at,
        bucket_end_at,
        pulled_at
    from ranked

)

select * from final
