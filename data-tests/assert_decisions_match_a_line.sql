-- A reviewer decision names a line id, a variance category or * within its period and
-- provider; one that matches no line (a misspelt category, an unknown line id, a wrong
-- period) would be ignored without a word.
{{ config(tags=['close'], severity=('error' if var('close_period') else 'warn')) }}

{% call close_check() %}
select
    'decision ' || decisions.decision_id || ' (' || decisions.source_file || ' line '
    || decisions.file_row_number || ', ' || decisions.decision_action || ' '
    || decisions.line_selector || ') matches no line of period ' || decisions.period
    || ', provider ' || decisions.provider as failure_message
from {{ ref('stg_finance_inputs__decisions') }} as decisions
where
    decisions.record_status = 'valid'
    and not exists (
        select 1
        from {{ ref('fct_reconciliation_lines') }} as lines
        where
            lines.billing_period = decisions.period
            and lines.provider = decisions.provider
            and decisions.line_selector in (
                lines.reconciliation_line_id, lines.variance_category, '*'
            )
    )
{% if var('close_period') %}and decisions.period = '{{ var("close_period") }}'{% endif %}
{% endcall %}
