{#- A USD amount in the reporting currency at a period's fixed rate, exact, not rounded
    (SQL expression, DECIMAL with 16 decimals): the amount as decimal(22, 10) (the money
    scale), the rate as decimal(15, 6) (the fx_rates scale), so the product fits 38 digits
    and no engine drops a decimal. Bounds: an amount below $1e12, a rate below 1e9 units
    per USD. Used by to_reporting and, unrounded, by fct_request_costs. -#}
{% macro reporting_amount(amount_usd, units_per_usd) -%}
    (cast(({{ amount_usd }}) as decimal(22, 10)) * cast(({{ units_per_usd }}) as decimal(15, 6)))
{%- endmacro %}
