-- A WRITE_OFF decision requires a note (it is the audit trail).
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || billing_period || ', provider ' || provider || ', line '
    || reconciliation_line_id || ': written off by ' || coalesce(actor, '?')
    || ' without a note' as failure_message
from {{ ref('fct_reconciliation_lines') }}
where
    is_write_off_missing_note
{% if var('close_period') %}and billing_period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
