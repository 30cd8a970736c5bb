-- One row per request day (UTC) x billing period x provider x team x route: requests, the
-- priced ones and their cost, and the cost per priced request (an unpriced request has no
-- cost, never 0, so it is left out of the average and counted apart). The billing period
-- is in the grain because a billing account in another timezone splits a UTC day between
-- two months. The cost-per-request trend of the close dashboard.
with

request_costs as (

    select * from {{ ref('fct_request_costs') }}

),

daily as (

    select
        requested_date,
        billing_period,
        provider,
        team,
        route,
        count(*) as request_count,
        count(*) filter (where is_priced) as priced_request_count,
        sum(cost_usd) as cost_usd
    from request_costs
    group by all

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['requested_date', 'billing_period', 'provider', 'team', 'route']) }}
            as daily_request_cost_id,
        provider,
        team,
        ---------- strings
        billing_period,
        route,
        ---------- numerics
        request_count,
        priced_request_count,
        {{ to_money('coalesce(cost_usd, 0)') }} as cost_usd,
        -- In DOUBLE, as DuckDB divides a decimal: every engine gives the same average.
        {{ double_to_money('cast(cost_usd as double) / nullif(priced_request_count, 0)') }}
            as cost_per_request_usd,
        ---------- dates
        requested_date
    from daily

)

select * from final
