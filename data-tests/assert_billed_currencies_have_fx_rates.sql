{{ config(severity='error') }}
-- Every billed amount converts to USD: a currency with no fx_rates row for its period
-- would otherwise count as nothing (amount x NULL), and money would vanish from the bill.
-- Stops the build naming each provider, period and currency, and the row to add.
{% call raise_failure_messages('Billed amounts without an FX rate: ') %}
select
    billed_lines.provider || ' billed ' || cast(count(*) as string) || ' lines in '
    || billed_lines.currency_code || ' in ' || billed_lines.billing_period
    || ' (' || cast(sum(billed_lines.amount) as string) || ' ' || billed_lines.currency_code
    || '), and fx_rates.csv has no rate for ' || billed_lines.currency_code || ' in '
    || billed_lines.billing_period || ': add the row ' || billed_lines.billing_period || ','
    || billed_lines.currency_code || ',<units per USD>,<source>' as failure_message,
    billed_lines.provider,
    billed_lines.billing_period,
    billed_lines.currency_code
from {{ ref('int_billed_lines_unioned') }} as billed_lines
left join {{ ref('int_fx_rates') }} as fx_rates
    on
        billed_lines.billing_period = fx_rates.period
        and billed_lines.currency_code = fx_rates.currency_code
where fx_rates.units_per_usd is null and billed_lines.amount != 0
group by billed_lines.provider, billed_lines.billing_period, billed_lines.currency_code
{% endcall %}
