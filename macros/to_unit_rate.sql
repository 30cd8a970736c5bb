{#- Cast an expression to the unit-rate type. -#}
{% macro to_unit_rate(expression) -%}
    cast(({{ expression }}) as {{ unit_rate_type() }})
{%- endmacro %}
