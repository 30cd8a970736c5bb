-- One row per period x provider x cost center x team x environment: the amount posted to
-- that owner in the reporting currency. Per period and provider the rows sum to the billed
-- total to the cent (DECISIONLOG "Chargeback allocation"):
--   usage lines   billed amount split by each owner's share of the line's observed quantity
--                 (int_reconciliation_lines_allocated_to_owners);
--   other lines   by the chargeback_rules seed: in proportion to the owners' usage
--                 allocation for the period and provider, or to the unallocated owner;
--   cents         exact amounts are floored to cents and the missing cents go to the rows
--                 with the largest remainders (largest-remainder rounding).
-- Production, staging and evaluation stay separate rows (environment is in the grain).
-- The period is the one a line is reconciled in (a deferred line posts in the next
-- period). A closed period's rows come verbatim from its close record.
with

all_lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

closed_lines as (

    select * from {{ ref('stg_close_records__reconciliation_lines') }}

),

closed_chargeback as (

    select * from {{ ref('stg_close_records__chargeback_ledger') }}

),

closed_chargeback_lines as (

    -- The columns of final below, by name and in its order.
    select
        chargeback_line_id,
        provider,
        cost_center,
        team,
        billing_period,
        environment,
        reporting_currency,
        usage_allocated_usd,
        other_allocated_usd,
        exact_amount,
        posted_amount,
        is_unallocated
    from closed_chargeback

),

lines as (

    select * from all_lines
    where reconciled_in_period not in (select distinct closed_lines.close_period from closed_lines)

),

line_owner_allocations as (

    select * from {{ ref('int_reconciliation_lines_allocated_to_owners') }}

),

rules as (

    select * from {{ ref('stg_config__chargeback_rules') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

usage_allocations as (

    -- Usage lines split by their owners' observed quantity
    -- (int_reconciliation_lines_allocated_to_owners), for the periods still open.
    select line_owner_allocations.*
    from line_owner_allocations
    inner join lines
        on line_owner_allocations.reconciliation_line_id = lines.reconciliation_line_id

),

usage_by_owner as (

    select
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        sum(allocated_usd) as usage_allocated_usd
    from usage_allocations
    group by all

),

ownerless_lines as (

    select
        reconciled_in_period as billing_period,
        provider,
        billed_usd,
        case when line_type = 'usage' then 'usage_without_telemetry' else line_type end
            as rule_line_type
    from lines
    where
        billed_usd != 0
        and reconciliation_line_id not in (
            select usage_allocations.reconciliation_line_id from usage_allocations
        )

),

ownerless_totals as (

    select
        ownerless_lines.billing_period,
        ownerless_lines.provider,
        coalesce(rules.allocation_method, 'unallocated') as allocation_method,
        sum(ownerless_lines.billed_usd) as billed_usd
    from ownerless_lines
    left join rules
        on ownerless_lines.rule_line_type = rules.line_type
    group by all

),

usage_totals as (

    select
        billing_period,
        provider,
        sum(usage_allocated_usd) as usage_total_usd
    from usage_by_owner
    group by all

),

proportional_allocations as (

    select
        usage_by_owner.billing_period,
        usage_by_owner.provider,
        usage_by_owner.team,
        usage_by_owner.cost_center,
        usage_by_owner.environment,
        ownerless_totals.billed_usd * usage_by_owner.usage_allocated_usd
        / usage_totals.usage_total_usd as allocated_usd
    from ownerless_totals
    inner join usage_totals
        on
            ownerless_totals.billing_period = usage_totals.billing_period
            and ownerless_totals.provider = usage_totals.provider
            and usage_totals.usage_total_usd != 0
    inner join usage_by_owner
        on
            ownerless_totals.billing_period = usage_by_owner.billing_period
            and ownerless_totals.provider = usage_by_owner.provider
    where ownerless_totals.allocation_method = 'proportional_to_usage'

),

unallocated as (

    select
        ownerless_totals.billing_period,
        ownerless_totals.provider,
        '{{ var("unallocated_owner") }}' as team,
        '{{ var("unallocated_owner") }}' as cost_center,
        'unknown' as environment,
        ownerless_totals.billed_usd as allocated_usd
    from ownerless_totals
    left join usage_totals
        on
            ownerless_totals.billing_period = usage_totals.billing_period
            and ownerless_totals.provider = usage_totals.provider
    where
        ownerless_totals.allocation_method != 'proportional_to_usage'
        or coalesce(usage_totals.usage_total_usd, 0) = 0

),

allocations as (

    select
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        allocated_usd,
        true as is_usage
    from usage_allocations
    union all
    select
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        allocated_usd,
        false as is_usage
    from proportional_allocations
    union all
    select
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        allocated_usd,
        false as is_usage
    from unallocated

),

exact as (

    select
        allocations.billing_period,
        allocations.provider,
        allocations.cost_center,
        allocations.team,
        allocations.environment,
        {{ to_money(
            'coalesce(sum(allocations.allocated_usd) filter (where allocations.is_usage), 0)'
        ) }} as usage_allocated_usd,
        {{ to_money(
            'coalesce(sum(allocations.allocated_usd) filter (where not allocations.is_usage), 0)'
        ) }} as other_allocated_usd,
        {{ to_money('sum(allocations.allocated_usd) * max(fx_reporting.reporting_units_per_usd)') }}
            as exact_amount
    from allocations
    left join fx_reporting
        on allocations.billing_period = fx_reporting.period
    group by all

),

targets as (

    select
        lines.reconciled_in_period as billing_period,
        lines.provider,
        {{ to_reporting('sum(lines.billed_usd)', 'max(fx_reporting.reporting_units_per_usd)') }}
            as target_amount
    from lines
    left join fx_reporting
        on lines.reconciled_in_period = fx_reporting.period
    group by all

),

floored as (

    select
        exact.*,
        targets.target_amount,
        floor(exact.exact_amount * 100) as floor_cents,
        exact.exact_amount * 100 - floor(exact.exact_amount * 100) as remainder_cents,
        round(targets.target_amount * 100) - sum(floor(exact.exact_amount * 100)) over (
            partition by exact.billing_period, exact.provider
        ) as cents_to_distribute
    from exact
    inner join targets
        on
            exact.billing_period = targets.billing_period
            and exact.provider = targets.provider

),

ranked as (

    select
        *,
        row_number() over (
            partition by billing_period, provider
            order by remainder_cents desc, cost_center asc, team asc, environment asc
        ) as largest_remainder_rank,
        row_number() over (
            partition by billing_period, provider
            order by remainder_cents asc, cost_center asc, team asc, environment asc
        ) as smallest_remainder_rank
    from floored

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['billing_period', 'provider', 'cost_center', 'team', 'environment']) }}
            as chargeback_line_id,
        provider,
        cost_center,
        team,
        ---------- strings
        billing_period,
        environment,
        '{{ var("reporting_currency") }}' as reporting_currency,
        ---------- numerics
        usage_allocated_usd,
        other_allocated_usd,
        exact_amount,
        {{ to_money(
            '(floor_cents + case'
            ~ ' when cents_to_distribute > 0 and largest_remainder_rank <= cents_to_distribute'
            ~ ' then 1'
            ~ ' when cents_to_distribute < 0 and smallest_remainder_rank <= -cents_to_distribute'
            ~ ' then -1 else 0 end) / 100'
        ) }} as posted_amount,
        ---------- booleans
        team = '{{ var("unallocated_owner") }}' as is_unallocated
    from ranked

)

select * from final
union all
select * from closed_chargeback_lines
