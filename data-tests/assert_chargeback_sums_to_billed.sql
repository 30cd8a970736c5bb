-- Per period (the one lines are reconciled in) and provider the chargeback ledger posts
-- exactly the billed total, to the cent in the reporting currency, and every posted amount
-- is a whole number of cents.
with

posted as (

    select
        billing_period,
        provider,
        sum(posted_amount) as posted_amount,
        count(*) filter (where posted_amount != round(posted_amount, 2)) as fractional_cent_rows
    from {{ ref('fct_chargeback_ledger') }}
    group by billing_period, provider

),

billed as (

    select
        lines.reconciled_in_period as billing_period,
        lines.provider,
        round(sum(lines.billed_usd) * max(fx_rates.units_per_usd), 2) as billed_amount
    from {{ ref('fct_reconciliation_lines') }} as lines
    left join {{ ref('int_fx_rates') }} as fx_rates
        on
            lines.reconciled_in_period = fx_rates.period
            and fx_rates.currency_code = '{{ var("reporting_currency") }}'
    group by lines.reconciled_in_period, lines.provider

)

select
    billed.billing_period,
    billed.provider,
    billed.billed_amount,
    posted.posted_amount,
    posted.fractional_cent_rows
from billed
full outer join posted
    on
        billed.billing_period = posted.billing_period
        and billed.provider = posted.provider
where
    coalesce(billed.billed_amount, 0) != coalesce(posted.posted_amount, 0)
    or posted.fractional_cent_rows > 0
