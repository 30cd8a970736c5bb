with

source as (

    select * from {{ source('finance_inputs', 'signoffs') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        trim(period) as period,
        lower(trim(role)) as signoff_role,
        nullif(trim(signer), '') as signer,
        {{ iso_to_timestamp('signed_at') }} as signed_at
    from source

),

validated as (

    select
        *,
        case
            when signer is null then 'missing_required_id'
            when
                signoff_role not in {{ in_list(var('signoff_roles')) }}
                or signoff_role is null
                then 'unknown_signoff_role'
            when not {{ is_billing_period('period') }}
                then 'bad_period'
            when not {{ is_plausible_timestamp('signed_at') }} then 'bad_timestamp'
            -- A period is signed off once it has ended (UTC), never ahead of its last day.
            when signed_at < try_cast(period || '-01' as date) + interval 1 month
                then 'signed_before_period_end'
        end as quarantine_reason,
        row_number() over (
            partition by period, signoff_role order by signed_at desc, source_file desc
        ) as duplicate_rank
    from parsed

),

final as (

    select
        ---------- ids
        {{ surrogate_key(
            ['period', 'signoff_role', 'signer', 'signed_at', 'source_file', 'file_row_number']
        ) }} as signoff_id,
        ---------- strings
        period,
        signoff_role,
        signer,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        file_row_number,
        ---------- timestamps
        signed_at
    from validated

)

select * from final
