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

{% macro default__raise_message(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__raise_message(message) -%}
    raise_error({{ message }})
{%- endmacro %}

{#- US-dollar text for memo sentences: -$1,234.57 -#}
{% macro format_usd(expression) -%}
    (case when round({{ expression }}, 2) < 0 then '-' else '' end
    || '$' || format('{:,.2f}', abs(cast({{ expression }} as double))))
{%- endmacro %}
