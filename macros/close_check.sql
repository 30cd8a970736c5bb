{#- Close checks: without close_period the query's rows are warnings; with it, any row
    stops the build with one message naming every failure (period, provider, amounts). -#}
{% macro close_check() -%}
{%- if var('close_period') %}
with close_failures as (
    {{ caller() }}
)
select string_agg(failure_message, '; ' order by failure_message) as failure_message
from close_failures
-- Raised in HAVING so that dbt's count(*) wrapper cannot prune it away.
having
    count(*) > 0
    and {{ adapter.dispatch('raise_message')(
        "'Close of " ~ var('close_period') ~ " blocked: '"
        ~ " || string_agg(failure_message, '; ' order by failure_message)"
    ) }} is null
{%- else %}
{{ caller() }}
{%- endif %}
{%- endmacro %}
