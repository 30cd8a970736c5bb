-- A WRITE_OFF or a DISPUTE decision requires a note (it is the audit trail; a disputed
-- line is held as a claim against the provider, and the note says why the bill is wrong).
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || billing_period || ', provider ' || provider || ', line '
    || reconciliation_line_id || ': '
    || case when status = 'disputed' then 'disputed' else 'written off' end
    || ' by ' || coalesce(actor, '?') || ' without a note' as failure_message
from {{ ref('fct_reconciliation_lines') }}
where
    (is_write_off_missing_note or (status = 'disputed' and note is null))
{% if var('close_period') %}and billing_period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
