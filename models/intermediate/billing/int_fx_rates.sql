-- One row per period x currency of the fixed rate (units per USD) every conversion uses:
-- the rows of fx_rates.csv, and USD at 1 in every plausible period fx_rates.csv does not
-- rate USD (USD is the base currency: an organization billed in USD configures no rate).
{%- set first_year = var('earliest_plausible_date')[:4] | int %}
{%- set last_year = var('latest_plausible_date')[:4] | int %}
with

fx_rates as (

    select * from {{ ref('stg_config__fx_rates') }}

),

plausible_periods as (

    select period
    from (
        values
        {%- for year in range(first_year, last_year + 1) %}
            {%- for month in range(1, 13) %}
                {%- set last = loop.last and year == last_year %}
                ('{{ year }}-{{ "%02d" | format(month) }}'){{ '' if last else ',' }}
            {%- endfor %}
        {%- endfor %}
    ) as periods (period)

),

usd_identity as (

    select
        plausible_periods.period,
        'USD' as currency_code,
        cast(1 as decimal(18, 6)) as units_per_usd,
        'USD is the base currency' as rate_source
    from plausible_periods
    where not exists (
        select 1
        from fx_rates
        where fx_rates.period = plausible_periods.period and fx_rates.currency_code = 'USD'
    )

),

unioned as (

    select
        period,
        currency_code,
        units_per_usd,
        rate_source
    from fx_rates

    union all

    select
        period,
        currency_code,
        units_per_usd,
        rate_source
    from usd_identity

)

select * from unioned
