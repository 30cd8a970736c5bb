-- One row per period x provider x billing account x project x model x usage type of
-- billed amounts, in the billing currency converted to USD at the period's fixed rate.
with

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}

),

model_aliases as (

    select * from {{ ref('model_aliases') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

resolved as (

    select
        billed_lines.*,
        coalesce(model_aliases.model_id, billed_lines.model_name, '(none)') as model_key,
        coalesce(billed_lines.project_id, '(none)') as project_key,
        fx_rates.units_per_usd,
        {{ to_unit_rate('1.0 / fx_rates.units_per_usd') }} as usd_per_currency_unit
    from billed_lines
    left join model_aliases
        on
            billed_lines.provider = model_aliases.provider
            and billed_lines.model_name = model_aliases.alias
            and billed_lines.usage_date >= model_aliases.valid_from
            and billed_lines.usage_date < model_aliases.valid_to
    left join fx_rates
        on
            billed_lines.billing_period = fx_rates.period
            and billed_lines.currency_code = fx_rates.currency_code

),

aggregated as (

    select
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        line_type,
        max(corrects_period) as corrects_period,
        count(*) as billed_line_count,
        sum(quantity) as billed_quantity,
        {{ to_money('sum(amount * usd_per_currency_unit)') }} as billed_usd,
        bool_or(units_per_usd is null) as has_missing_fx_rate
    from resolved
    group by
        billing_period, provider, billing_account_id, project_key, model_key, usage_type,
        line_type

)

select * from aggregated
