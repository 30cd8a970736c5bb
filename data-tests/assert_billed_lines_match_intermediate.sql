-- The published billed lines hold every billed line of the intermediate model, once, per
-- provider, period and currency: fct_billed_lines and int_billed_lines_unioned have the
-- same line count and the same amount. A line the mart drops or repeats (a filter or a join
-- added to it) is returned; the close packet's provider cost export is read from the mart.
with

mart as (

    select
        provider,
        billing_period,
        currency_code,
        count(*) as line_count,
        sum(amount) as amount
    from {{ ref('fct_billed_lines') }}
    group by provider, billing_period, currency_code

),

intermediate as (

    select
        provider,
        billing_period,
        currency_code,
        count(*) as line_count,
        sum(amount) as amount
    from {{ ref('int_billed_lines_unioned') }}
    group by provider, billing_period, currency_code

)

select
    coalesce(mart.provider, intermediate.provider) as provider,
    coalesce(mart.billing_period, intermediate.billing_period) as billing_period,
    coalesce(mart.currency_code, intermediate.currency_code) as currency_code,
    mart.line_count as mart_line_count,
    intermediate.line_count as intermediate_line_count,
    mart.amount as mart_amount,
    intermediate.amount as intermediate_amount
from mart
full outer join intermediate
    on
        mart.provider is not distinct from intermediate.provider
        and mart.billing_period is not distinct from intermediate.billing_period
        and mart.currency_code is not distinct from intermediate.currency_code
where
    coalesce(mart.line_count, 0) != coalesce(intermediate.line_count, 0)
    or coalesce(mart.amount, 0) != coalesce(intermediate.amount, 0)
