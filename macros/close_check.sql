{#- Close checks: without close_period the query's rows are warnings; with it, any row
    stops the build with one message naming every failure (period, provider, amounts). -#}
{% macro close_check() -%}
{%- set failures = caller() -%}
{%- if var('close_period') %}
{% call raise_failure_messages('Close of ' ~ var('close_period') ~ ' blocked: ') %}
    {{ failures }}
{% endcall %}
{%- else %}
{{ failures }}
{%- endif %}
{%- endmacro %}
