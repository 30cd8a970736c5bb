-- One row per period x team: the budget from the budgets seed, the actual (the team's
-- posted chargeback, all providers, in the reporting currency), the variance in money and
-- percent, and the soft/hard limit state; budget, actual and variance also in USD. Teams
-- with spend but no budget appear with a NULL budget and the state no_budget.
with

budgets as (

    select * from {{ ref('stg_config__budgets') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

chargeback as (

    select * from {{ ref('fct_chargeback_ledger') }}

),

actuals as (

    select
        billing_period,
        team,
        sum(posted_amount) as actual_amount,
        sum(usage_allocated_usd + other_allocated_usd) as actual_usd
    from chargeback
    group by billing_period, team

),

joined as (

    select
        coalesce(budgets.period, actuals.billing_period) as billing_period,
        coalesce(budgets.team, actuals.team) as team,
        -- Budgets are set in USD; compared in the reporting currency like the actuals.
        round(budgets.budget_usd * fx_reporting.reporting_units_per_usd, 2) as budget_amount,
        coalesce(actuals.actual_amount, 0) as actual_amount,
        budgets.budget_usd,
        coalesce(actuals.actual_usd, 0) as actual_usd,
        budgets.soft_limit_pct,
        budgets.hard_limit_pct
    from budgets
    full outer join actuals
        on
            budgets.period = actuals.billing_period
            and budgets.team = actuals.team
    left join fx_reporting
        on coalesce(budgets.period, actuals.billing_period) = fx_reporting.period

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['billing_period', 'team']) }} as budget_status_id,
        team,
        ---------- strings
        billing_period,
        '{{ var("reporting_currency") }}' as reporting_currency,
        case
            when budget_amount is null then 'no_budget'
            when actual_amount >= budget_amount * hard_limit_pct / 100 then 'hard_limit_exceeded'
            when actual_amount >= budget_amount * soft_limit_pct / 100 then 'soft_limit_exceeded'
            else 'within_budget'
        end as limit_state,
        ---------- numerics
        {{ to_money('budget_amount') }} as budget_amount,
        {{ to_money('actual_amount') }} as actual_amount,
        {{ to_money('budget_amount - actual_amount') }} as variance_amount,
        -- The same in USD, exact (the chargeback's USD allocations; the monthly report's USD).
        {{ to_money('budget_usd') }} as budget_usd,
        {{ to_money('actual_usd') }} as actual_usd,
        {{ to_money('budget_usd - actual_usd') }} as variance_usd,
        -- In DOUBLE, as DuckDB divides decimals.
        {{ round_double(
            'cast(100.0 * (actual_amount - budget_amount) as double) / nullif(budget_amount, 0)', 2
        ) }} as variance_pct,
        soft_limit_pct,
        hard_limit_pct
    from joined

)

select * from final
