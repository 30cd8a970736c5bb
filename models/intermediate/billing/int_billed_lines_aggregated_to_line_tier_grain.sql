-- One row per period x provider x billing account x project x model x usage type x
-- service tier x line type x provider API key (where the export names one: OpenAI costs
-- grouped by api_key_id; NULL elsewhere) of billed amounts, converted from the billing
-- currency to USD at the period's one fixed rate (fx_rates), and the part of them an
-- inference geography's multiplier added (a line billed at m times the list price carries
-- an uplift of amount x (m - 1) / m; macros/price_multipliers.sql).
with

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates') }}

),

converted as (

    select
        billed_lines.*,
        fx_rates.units_per_usd,
        {{ to_unit_rate('1.0 / fx_rates.units_per_usd') }} as usd_per_currency_unit
    from billed_lines
    left join fx_rates
        on
            billed_lines.billing_period = fx_rates.period
            and billed_lines.currency_code = fx_rates.currency_code

),

aggregated as (

    select
        {{ line_grain_columns(['service_tier', 'line_type', 'api_key_id']) | join(',\n        ') }},
        max(corrects_period) as corrects_period,
        count(*) as billed_line_count,
        sum(quantity) as billed_quantity,
        {{ to_money('sum(amount * usd_per_currency_unit)') }} as billed_usd,
        {{ to_money(
            'coalesce(sum(cast(amount * usd_per_currency_unit as decimal(19, 10)) * '
            ~ inference_geo_uplift_share('provider', 'inference_geo') ~ '), 0)'
        ) }} as billed_inference_geo_uplift_usd,
        bool_or(units_per_usd is null) as has_missing_fx_rate
    from converted
    group by all

)

select * from aggregated
