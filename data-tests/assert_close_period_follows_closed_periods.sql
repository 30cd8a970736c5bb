-- Periods close in order: closing a period needs every earlier period closed first. When
-- not closing, a closed period after an open one (an earlier record removed) is a warning.
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || later_periods.billing_period
    || case when later_periods.is_closed then ' is closed' else ' cannot close' end
    || ' while the earlier period ' || earlier_periods.billing_period || ' is open: close '
    || earlier_periods.billing_period || ' first' as failure_message,
    later_periods.billing_period,
    earlier_periods.billing_period as open_earlier_period
from {{ ref('fct_period_summary') }} as later_periods
inner join {{ ref('fct_period_summary') }} as earlier_periods
    on earlier_periods.billing_period < later_periods.billing_period
where
    later_periods.provider = 'all'
    and earlier_periods.provider = 'all'
    and not earlier_periods.is_closed
{% if var('close_period') %}
    and later_periods.billing_period = '{{ var("close_period") }}'
{% else %}
    and later_periods.is_closed
{% endif %}
{% endcall %}
