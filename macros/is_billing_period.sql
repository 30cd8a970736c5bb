{#- A billing period as YYYY-MM with a real month (2026-13 is not one). -#}
{% macro is_billing_period(expression) -%}
    {{ regex_full_match('coalesce(' ~ expression ~ ", '')", '[0-9]{4}-(0[1-9]|1[0-2])') }}
{%- endmacro %}
