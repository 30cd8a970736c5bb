-- Ad-hoc review: variance per period, provider and category, largest first.
with

lines as (

    select * from {{ ref('fct_reconciliation_lines') }}

),

by_category as (

    select
        billing_period,
        provider,
        variance_category,
        count(*) as line_count,
        sum(billed_usd) as billed_usd,
        sum(observed_usd) as observed_usd,
        sum(variance_usd) as variance_usd
    from lines
    group by billing_period, provider, variance_category

)

select * from by_category
