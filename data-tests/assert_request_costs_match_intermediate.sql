-- Summing fct_request_costs by provider and day reproduces the priced intermediate rows.
with

mart as (

    select
        provider,
        requested_date,
        sum(
            coalesce(input_uncached_cost_usd, 0) + coalesce(cache_read_cost_usd, 0)
            + coalesce(cache_write_cost_usd, 0) + coalesce(output_cost_usd, 0)
            + coalesce(per_unit_cost_usd, 0)
        ) as cost_usd
    from {{ ref('fct_request_costs') }}
    group by provider, requested_date

),

intermediate as (

    select
        provider,
        cast(requested_at as date) as requested_date,
        sum(coalesce(cost_usd, 0)) as cost_usd
    from {{ ref('int_usage_request_lines_priced') }}
    group by provider, cast(requested_at as date)

)

select
    coalesce(mart.provider, intermediate.provider) as provider,
    coalesce(mart.requested_date, intermediate.requested_date) as requested_date,
    mart.cost_usd as mart_cost_usd,
    intermediate.cost_usd as intermediate_cost_usd
from mart
full outer join intermediate
    on
        mart.provider = intermediate.provider
        and mart.requested_date = intermediate.requested_date
where mart.cost_usd is distinct from intermediate.cost_usd
