-- One row per usage reconciliation line x team x cost center x environment: who owns the
-- line's billed amount and what share (the chargeback's allocation by observed quantity,
-- int_reconciliation_lines_allocated_to_owners). A line with no row here (credits, tax,
-- fees, usage no telemetry saw) is allocated by the chargeback rules.
with

allocations as (

    select * from {{ ref('int_reconciliation_lines_allocated_to_owners') }}

),

final as (

    select
        ---------- ids
        line_owner_id,
        reconciliation_line_id,
        provider,
        team,
        cost_center,
        ---------- strings
        billing_period,
        environment,
        ---------- numerics
        cast({{ round_double('owner_share * 100', 4) }} as decimal(9, 4)) as share_pct,
        {{ double_to_money('allocated_usd') }} as allocated_usd
    from allocations

)

select * from final
