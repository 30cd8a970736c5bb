-- The two per-day incremental tables built from the same priced requests agree, per
-- provider and request date: fct_request_costs and int_usage_request_lines_aggregated_to_day
-- hold the same cost and tokens. A day one of them rebuilt and the other did not (or a
-- cost lost on the way) is returned.
with

mart as (

    select
        provider,
        requested_date,
        sum(
            coalesce(input_uncached_cost_usd, 0) + coalesce(cache_read_cost_usd, 0)
            + coalesce(cache_write_cost_usd, 0) + coalesce(output_cost_usd, 0)
            + coalesce(per_unit_cost_usd, 0)
        ) as cost_usd,
        sum(total_input_tokens + output_tokens) as tokens
    from {{ ref('fct_request_costs') }}
    group by provider, requested_date

),

daily as (

    select
        provider,
        requested_date,
        sum(cost_usd) as cost_usd,
        sum(quantity) filter (
            where usage_type in (
                'input_uncached', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'
            )
        ) as tokens
    from {{ ref('int_usage_request_lines_aggregated_to_day') }}
    group by provider, requested_date

)

select
    coalesce(mart.provider, daily.provider) as provider,
    coalesce(mart.requested_date, daily.requested_date) as requested_date,
    mart.cost_usd as mart_cost_usd,
    daily.cost_usd as daily_cost_usd,
    mart.tokens as mart_tokens,
    daily.tokens as daily_tokens
from mart
full outer join daily
    on
        mart.provider = daily.provider
        and mart.requested_date = daily.requested_date
where
    coalesce(mart.cost_usd, 0) != coalesce(daily.cost_usd, 0)
    or coalesce(mart.tokens, 0) != coalesce(daily.tokens, 0)
