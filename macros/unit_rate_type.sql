{#- The type of per-unit rates: 18 decimals (a $0.02 per 1M token rate is 2e-8 per token). -#}
{% macro unit_rate_type() -%}
    decimal(38, 18)
{%- endmacro %}
