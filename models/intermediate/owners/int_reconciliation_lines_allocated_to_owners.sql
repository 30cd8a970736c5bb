{{ config(materialized='table') }}

-- One row per usage reconciliation line x team x cost center x environment: the line's
-- billed amount split by each owner's share of the line's observed quantity, else (when
-- the line itself has no observed quantity, e.g. cache reads telemetry counted as fresh
-- input) of the observed quantity of the line's project and model. A shared key is split
-- by the chargeback_key_splits configuration. The chargeback ledger posts these amounts;
-- the reviewer inbox shows them as the line's owners. Lines without observed owners
-- (credits, tax, fees, usage no telemetry saw) have no row here: the chargeback rules
-- allocate them.
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

daily_lines as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

key_splits as (

    select * from {{ ref('stg_config__chargeback_key_splits') }}

),

owner_quantities as (

    select
        daily_lines.billing_period,
        daily_lines.provider,
        daily_lines.billing_account_id,
        daily_lines.project_key,
        daily_lines.model_key,
        daily_lines.usage_type,
        coalesce(key_splits.team, daily_lines.team) as team,
        coalesce(key_splits.cost_center, daily_lines.cost_center) as cost_center,
        coalesce(key_splits.environment, daily_lines.environment) as environment,
        sum(daily_lines.quantity * coalesce(key_splits.share_pct, 100) * 0.01)
            as owner_quantity
    from daily_lines
    left join key_splits
        on
            daily_lines.provider = key_splits.provider
            and daily_lines.api_key_id = key_splits.key_id
            and daily_lines.requested_date >= key_splits.valid_from
            and daily_lines.requested_date < key_splits.valid_to
    where daily_lines.quantity > 0
    group by all

),

owner_basis as (

    -- An owner's quantity on the exact line (basis 1), or across the line's model and
    -- project (basis 2).
    select
        *,
        1 as basis_level
    from owner_quantities
    union all
    select
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        '*' as usage_type,
        team,
        cost_center,
        environment,
        sum(owner_quantity) as owner_quantity,
        2 as basis_level
    from owner_quantities
    group by all

),

line_owner_basis as (

    select
        lines.reconciliation_line_id,
        lines.reconciled_in_period as billing_period,
        lines.provider,
        lines.billed_usd,
        owner_basis.team,
        owner_basis.cost_center,
        owner_basis.environment,
        owner_basis.owner_quantity,
        owner_basis.basis_level,
        min(owner_basis.basis_level) over (partition by lines.reconciliation_line_id)
            as best_basis_level
    from lines
    inner join owner_basis
        on
            lines.billing_period = owner_basis.billing_period
            and lines.provider = owner_basis.provider
            and lines.billing_account_id = owner_basis.billing_account_id
            and lines.project_id = owner_basis.project_key
            and lines.model = owner_basis.model_key
            and owner_basis.usage_type in (lines.usage_type, '*')
    where lines.line_type = 'usage'

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['reconciliation_line_id', 'team', 'cost_center', 'environment']) }}
            as line_owner_id,
        reconciliation_line_id,
        provider,
        team,
        cost_center,
        ---------- strings
        billing_period,
        environment,
        ---------- numerics
        -- In DOUBLE, as DuckDB divides decimals: the shares and amounts of every engine agree.
        cast(owner_quantity as double)
        / cast(sum(owner_quantity) over (partition by reconciliation_line_id) as double)
            as owner_share,
        cast(billed_usd * owner_quantity as double)
        / cast(sum(owner_quantity) over (partition by reconciliation_line_id) as double)
            as allocated_usd,
        basis_level
    from line_owner_basis
    where basis_level = best_basis_level

)

select * from final
