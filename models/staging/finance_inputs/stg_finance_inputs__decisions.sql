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
                decision_action not in ('CONFIRM', 'WRITE_OFF', 'DEFER', 'REOPEN', 'DISPUTE')
                or decision_action is null
                then 'unknown_decision_action'
            when not {{ is_billing_period('period') }}
                then 'bad_period'
            when not {{ is_plausible_timestamp('decided_at') }} then 'bad_timestamp'
        end as quarantine_reason,
        concat_ws(
            '|', period, provider, line_selector, decision_action, coalesce(note, '')
        ) as decision_content
    from parsed

),

-- One decision id written twice with different contents (a CONFIRM and a WRITE_OFF) is not
-- settled by file order: both are quarantined (conflicting_decision_id), listed as
-- exceptions, and their period stays open until the reviewer keeps one. A repeat with the
-- same contents (the file landed twice) is superseded.
contents_compared as (

    select
        *,
        min(decision_content) over (partition by decision_id, quarantine_reason is null)
            as first_content,
        max(decision_content) over (partition by decision_id, quarantine_reason is null)
            as last_content,
        row_number() over (partition by decision_id order by source_file desc) as duplicate_rank
    from validated

),

conflicts_flagged as (

    select
        decision_id,
        period,
        provider,
        line_selector,
        decision_action,
        note,
        actor,
        decided_at,
        source_file,
        file_row_number,
        duplicate_rank,
        coalesce(
            quarantine_reason,
            case when first_content != last_content then 'conflicting_decision_id' end
        ) as quarantine_reason
    from contents_compared

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
    from conflicts_flagged

)

select * from final
