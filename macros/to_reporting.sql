{#- A USD amount in the reporting currency, rounded to the cent, at a period's fixed rate
    (reporting_amount, exact on every engine). -#}
{% macro to_reporting(amount_usd, units_per_usd) -%}
    {{ to_money('round(' ~ reporting_amount(amount_usd, units_per_usd) ~ ', 2)') }}
{%- endmacro %}
