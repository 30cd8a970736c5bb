with

source as (

    select * from {{ source('openai', 'costs') }}

),

parsed as (

    select
        source_file,
        record_number,
        {{ pulled_at('source_file', 'source_file_modified_at') }} as pulled_at,
        project_id,
        api_key_id,
        line_item,
        upper(trim(amount__currency)) as currency_code,
        amount__value as amount_text,
        {{ parse_money("amount__value") }} as amount,
        try_cast(quantity as decimal(38, 6)) as quantity,
        quantity_unit,
        bucket__start_time as bucket_start_text,
        {{ unix_seconds_to_timestamp("bucket__start_time") }} as bucket_start_at,
        {{ unix_seconds_to_timestamp("bucket__end_time") }} as bucket_end_at
    from source

),

categorized as (

    select
        *,
        -- line_item is '<model>, <usage>[, <tier>]': parts separated by ', ' (no part
        -- but the first when there is no separator).
        case when line_item like '%, %' then split_part(line_item, ', ', 1) end as model_name,
        case split_part(line_item, ', ', 2)
            when 'input' then 'input_uncached'
            when 'cached input' then 'cache_read'
            when 'cached_input' then 'cache_read'
            when 'cache write' then 'cache_write_5m'
            when 'cache_write' then 'cache_write_5m'
            when 'output' then 'output'
            -- A line counted in seconds (a transcription's audio, a video's seconds):
            -- int_billed_lines_unioned names which, from the model's per-second price.
            else case
                when {{ pricing_unit_conversion('quantity_unit', 'base_unit') }} = 'seconds'
                    then 'seconds'
                else 'other'
            end
        end as usage_type,
        -- A tier is any whole part.
        case
            when ', ' || line_item || ', ' like '%, batch, %' then 'batch'
            when ', ' || line_item || ', ' like '%, flex, %' then 'flex'
            when ', ' || line_item || ', ' like '%, priority, %' then 'priority'
            else 'standard'
        end as service_tier,
        case
            when amount is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
            when quantity < 0 then 'negative_usage'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key(['bucket_start_at', 'project_id', 'api_key_id', 'line_item']) }}
            as cost_line_id,
        row_number() over (
            partition by
                quarantine_reason is null,
                bucket_start_at, project_id, api_key_id, line_item
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from categorized

),

final as (

    select
        ---------- ids
        cost_line_id,
        'openai' as provider,
        project_id,
        api_key_id,
        ---------- strings
        line_item,
        model_name,
        usage_type,
        service_tier,
        currency_code,
        quantity_unit,
        amount_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        ---------- numerics
        amount,
        quantity,
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
