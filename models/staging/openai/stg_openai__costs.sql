with

source as (

    select * from {{ landing('openai', 'costs') }}

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
        result_json ->> 'line_item' as line_item,
        string_split(result_json ->> 'line_item', ', ') as line_item_parts,
        upper(trim(result_json -> 'amount' ->> 'currency')) as currency_code,
        result_json -> 'amount' ->> 'value' as amount_text,
        {{ parse_money("result_json -> 'amount' ->> 'value'") }} as amount,
        try_cast(result_json ->> 'quantity' as decimal(38, 6)) as quantity,
        result_json ->> 'quantity_unit' as quantity_unit,
        bucket_json ->> 'start_time' as bucket_start_text,
        {{ unix_seconds_to_timestamp("bucket_json ->> 'start_time'") }} as bucket_start_at,
        {{ unix_seconds_to_timestamp("bucket_json ->> 'end_time'") }} as bucket_end_at
    from results
    where result_json is not null or not is_valid_json

),

categorized as (

    select
        *,
        case when len(line_item_parts) >= 2 then line_item_parts[1] end as model_name,
        case
            when len(line_item_parts) < 2 then 'other'
            when line_item_parts[2] = 'input' then 'input_uncached'
            when line_item_parts[2] in ('cached input', 'cached_input') then 'cache_read'
            when line_item_parts[2] in ('cache write', 'cache_write') then 'cache_write_5m'
            when line_item_parts[2] = 'output' then 'output'
            else 'other'
        end as usage_type,
        case
            when list_contains(line_item_parts, 'batch') then 'batch'
            when list_contains(line_item_parts, 'flex') then 'flex'
            when list_contains(line_item_parts, 'priority') then 'priority'
            else 'standard'
        end as service_tier,
        case
            when not is_valid_json then 'invalid_json'
            when not is_page_sequence_complete then 'page_sequence_incomplete'
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
