-- Closing a period: quarantined rows for it must be resolved first.
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || coalesce(billing_period, 'unknown') || ': ' || count(*)
    || ' quarantined row(s) in ' || staging_model || ' (' || min(quarantine_reason) || ', e.g. '
    || min(source_file) || ')' as failure_message
from {{ ref('int_quarantined_rows_unioned') }}
{% if var('close_period') %}
    where billing_period = '{{ var("close_period") }}' or billing_period is null
{% endif %}
group by billing_period, staging_model
{% endcall %}
