{#- The exact cost of a quantity at a per-unit rate (SQL expression, DECIMAL with 21
    decimals): the quantity as decimal(16, 3), the rate as decimal(21, 18), so the product
    fits 38 digits and no engine drops a decimal (Spark keeps every one whether or not
    spark.sql.decimalOperations.allowPrecisionLoss is set; a bigint times decimal(38, 18)
    there keeps only 6 with it). Bounds: a quantity below 1e13, a rate below $1,000 a unit.
    Cast the result to the money type (to_money). -#}
{% macro cost_of_quantity(quantity, unit_rate) -%}
    (cast({{ quantity }} as decimal(16, 3)) * cast({{ unit_rate }} as decimal(21, 18)))
{%- endmacro %}
