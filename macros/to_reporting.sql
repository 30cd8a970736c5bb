{#- A USD amount in the reporting currency, rounded to the cent, at a period's fixed rate. -#}
{% macro to_reporting(amount_usd, units_per_usd) -%}
    {{ to_money('round((' ~ amount_usd ~ ') * (' ~ units_per_usd ~ '), 2)') }}
{%- endmacro %}
