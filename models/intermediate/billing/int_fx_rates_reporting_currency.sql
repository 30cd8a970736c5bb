-- One row per period: the one fixed rate (reporting-currency units per USD) from
-- int_fx_rates for the reporting currency var. Every *_reporting amount uses it.
with

fx_rates as (

    select * from {{ ref('int_fx_rates') }}

),

final as (

    select
        period,
        currency_code as reporting_currency,
        units_per_usd as reporting_units_per_usd
    from fx_rates
    where currency_code = '{{ var("reporting_currency") }}'

)

select * from final
