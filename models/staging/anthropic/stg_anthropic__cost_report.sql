with

source as (

    select * from {{ source('anthropic', 'cost_report') }}

),

parsed as (

    select
        source_file,
        record_number,
        {{ pulled_at('source_file', 'source_file_modified_at') }} as pulled_at,
        workspace_id,
        model as model_name,
        cost_type,
        token_type,
        description,
        {{ canonical_service_tier("service_tier") }} as service_tier,
        context_window,
        -- Newer API versions group by inference geography and speed: rows differing only
        -- there are different lines (a US-only inference uplift next to global).
        nullif(trim(inference_geo), '') as inference_geo,
        nullif(trim(speed), '') as speed,
        upper(trim(currency)) as currency_code,
        amount as amount_text,
        -- amount is a decimal string in the lowest currency unit (cents)
        {{ parse_money("amount") }} * 0.01 as amount,
        {{ iso_to_timestamp("bucket__starting_at") }} as bucket_start_at,
        {{ iso_to_timestamp("bucket__ending_at") }} as bucket_end_at
    from source

),

categorized as (

    select
        *,
        case token_type
            when 'uncached_input_tokens' then 'input_uncached'
            when 'cache_read_input_tokens' then 'cache_read'
            when 'cache_creation.ephemeral_5m_input_tokens' then 'cache_write_5m'
            when 'cache_creation.ephemeral_1h_input_tokens' then 'cache_write_1h'
            when 'output_tokens' then 'output'
            else coalesce(cost_type, 'other')
        end as usage_type,
        case
            when amount is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key_with_groupings([
            'bucket_start_at', 'workspace_id', 'model_name', 'cost_type', 'token_type',
            'description', 'service_tier', 'context_window'
        ], ['inference_geo', 'speed']) }} as cost_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, bucket_start_at, workspace_id, model_name,
                cost_type, token_type, description, service_tier, context_window,
                inference_geo, speed
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from categorized

),

final as (

    select
        ---------- ids
        cost_line_id,
        'anthropic' as provider,
        workspace_id,
        ---------- strings
        model_name,
        cost_type,
        token_type,
        usage_type,
        description,
        service_tier,
        context_window,
        inference_geo,
        speed,
        currency_code,
        amount_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        ---------- numerics
        {{ to_money('amount') }} as amount,
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
