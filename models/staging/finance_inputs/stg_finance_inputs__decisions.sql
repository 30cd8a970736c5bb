with

source as (

    select * from {{ source('finance_inputs', 'decisions') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        nullif(trim(decision_id), '') as decision_id,
        trim(period) as period,
        lower(trim(provider)) as provider,
        trim(line_key) as line_selector,
        upper(trim(action)) as decision_action,
        nullif(trim(note), '') as note,
        nullif(trim(actor), '') as actor,
        {{ iso_to_timestamp('decided_at') }} as decided_at
    from source

),

validated as (

    select
        *,
        case
            when decision_id is null or actor is null then 'missing_required_id'
            when
                decision_action not in ('CONFIRM', 'WRITE_OFF', 'DEFER', 'REOPEN')
                or decision_action is null
                then 'unknown_decision_action'
            when not {{ is_billing_period('period') }}
                then 'bad_period'
            when not {{ is_plausible_timestamp('decided_at') }} then 'bad_timestamp'
        end as quarantine_reason,
        row_number() over (partition by decision_id order by source_file desc) as duplicate_rank
    from parsed

),

final as (

    select
        ---------- ids
        decision_id,
        provider,
        ---------- strings
        period,
        line_selector,
        decision_action,
        note,
        actor,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        file_row_number,
        ---------- booleans
        note is not null as has_note,
        ---------- timestamps
        decided_at
    from validated

)

select * from final
