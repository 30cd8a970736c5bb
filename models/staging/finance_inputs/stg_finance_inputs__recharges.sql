with

source as (

    select * from {{ source('finance_inputs', 'recharges') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        nullif(trim(recharge_id), '') as recharge_id,
        lower(trim(provider)) as provider,
        trim(billing_account_id) as billing_account_id,
        lower(trim(movement_type)) as movement_type,
        upper(trim(currency)) as currency_code,
        amount as amount_text,
        {{ parse_money('amount') }} as amount,
        {{ parse_money("nullif(threshold_amount, '')") }} as threshold_amount,
        nullif(trim(trigger), '') as recharge_trigger,
        nullif(trim(quota_state), '') as quota_state,
        nullif(trim(approval_ticket), '') as approval_ticket,
        nullif(trim(approver), '') as approver,
        note,
        {{ iso_to_timestamp('occurred_at') }} as occurred_at
    from source

),

validated as (

    select
        *,
        case
            when recharge_id is null then 'missing_required_id'
            when amount is null then 'amount_not_numeric'
            when currency_code not in {{ accepted_currency_list() }} or currency_code is null
                then 'unknown_currency'
            when
                movement_type not in ('top_up', 'promo_credit', 'consumption', 'refund', 'expiry')
                or movement_type is null
                then 'unknown_movement_type'
            when not {{ is_plausible_timestamp('occurred_at') }} then 'bad_timestamp'
        end as quarantine_reason,
        row_number() over (partition by recharge_id order by source_file desc) as duplicate_rank
    from parsed

),

final as (

    select
        ---------- ids
        recharge_id,
        provider,
        billing_account_id,
        ---------- strings
        movement_type,
        currency_code,
        recharge_trigger,
        quota_state,
        approval_ticket,
        approver,
        note,
        amount_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        amount,
        threshold_amount,
        file_row_number,
        ---------- timestamps
        occurred_at
    from validated

)

select * from final
