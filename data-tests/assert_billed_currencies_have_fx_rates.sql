{{ config(severity='error') }}
-- Every billed amount converts to USD: a currency with no fx_rates row for its period
-- would otherwise count as nothing (amount x NULL), and money would vanish from the bill.
select
    billed_lines.provider,
    billed_lines.billing_period,
    billed_lines.currency_code,
    count(*) as billed_line_count,
    sum(billed_lines.amount) as amount_in_currency
from {{ ref('int_billed_lines_unioned') }} as billed_lines
left join {{ ref('stg_config__fx_rates') }} as fx_rates
    on
        billed_lines.billing_period = fx_rates.period
        and billed_lines.currency_code = fx_rates.currency_code
where fx_rates.units_per_usd is null and billed_lines.amount != 0
group by billed_lines.provider, billed_lines.billing_period, billed_lines.currency_code
