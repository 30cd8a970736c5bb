-- fct_daily_capture holds, per provider, every priced request's cost exactly once (the
-- sum of its days equals fct_request_costs'), and per provider and UTC month the usage
-- billed in fct_billed_lines (converted at the period's rate): no day is lost or counted
-- twice, whichever path the figures took.
with

capture as (

    select
        provider,
        billing_period,
        sum(billed_usd) as billed_usd,
        sum(observed_usd) as observed_usd
    from {{ ref('fct_daily_capture') }}
    group by provider, billing_period

),

requests as (

    select
        provider,
        {{ format_datetime('requested_date', '%Y-%m') }} as billing_period,
        sum(cost_usd) as observed_usd
    from {{ ref('fct_request_costs') }}
    group by provider, {{ format_datetime('requested_date', '%Y-%m') }}

),

billed as (

    select
        lines.provider,
        {{ format_datetime('lines.usage_date', '%Y-%m') }} as billing_period,
        sum(lines.amount * {{ to_unit_rate('1.0 / fx_rates.units_per_usd') }}) as billed_usd
    from {{ ref('fct_billed_lines') }} as lines
    left join {{ ref('int_fx_rates') }} as fx_rates
        on
            lines.billing_period = fx_rates.period
            and lines.currency_code = fx_rates.currency_code
    where lines.line_type = 'usage'
    group by lines.provider, {{ format_datetime('lines.usage_date', '%Y-%m') }}

)

select
    coalesce(capture.provider, requests.provider, billed.provider) as provider,
    coalesce(capture.billing_period, requests.billing_period, billed.billing_period)
        as billing_period,
    capture.billed_usd,
    billed.billed_usd as billed_lines_usd,
    capture.observed_usd,
    requests.observed_usd as request_costs_usd
from capture
full outer join requests
    on
        capture.provider = requests.provider
        and capture.billing_period = requests.billing_period
full outer join billed
    on
        coalesce(capture.provider, requests.provider) = billed.provider
        and coalesce(capture.billing_period, requests.billing_period) = billed.billing_period
where
    abs(coalesce(capture.observed_usd, 0) - coalesce(requests.observed_usd, 0)) >= 0.0001
    or abs(coalesce(capture.billed_usd, 0) - coalesce(billed.billed_usd, 0)) >= 0.0001
