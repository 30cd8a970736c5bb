-- A reviewer decision names a line id, a variance category or * within its period and
-- provider; one that matches no line (a misspelt category, an unknown line id, a wrong
-- period) would be ignored without a word: fct_exceptions lists it (unmatched_decision),
-- and it blocks the close of its period.
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    subject || ' matches no line of period ' || billing_period || ', provider ' || provider
        as failure_message
from {{ ref('fct_exceptions') }}
where
    kind = 'unmatched_decision'
{% if var('close_period') %}and billing_period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
