-- Closing a period needs the engineering owner, finance owner and AI program lead, three
-- different people, each signing after the period ended.
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'period ' || billing_period || ' has ' || signoff_count
    || ' of 3 sign-offs (engineering_owner, finance_owner, ai_program_lead) by '
    || signer_count || ' different people; each role needs its own signer, after the'
    || ' period ended' as failure_message,
    billing_period,
    signoff_count,
    signer_count
from {{ ref('fct_period_summary') }}
where
    provider = 'all'
    and not has_all_signoffs
{% if var('close_period') %}and billing_period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
