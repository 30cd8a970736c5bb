-- Closing a period: error when the residual is outside tolerance (warn when not closing).
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || billing_period || ', provider ' || provider
    || ': billed ' || cast(billed_usd as decimal(18, 2))
    || ', observed ' || cast(observed_usd as decimal(18, 2))
    || ', written off ' || cast(written_off_usd as decimal(18, 2))
    || ', residual ' || cast(residual_usd as decimal(18, 2))
    || ' is outside tolerance ' || cast(tolerance_usd as decimal(18, 2)) as failure_message,
    billing_period,
    provider,
    billed_usd,
    observed_usd,
    written_off_usd,
    residual_usd,
    tolerance_usd
from {{ ref('fct_period_summary') }}
where
    not is_within_tolerance
    and provider != 'all'
{% if var('close_period') %}and billing_period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
