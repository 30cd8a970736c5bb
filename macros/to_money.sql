{#- Cast a short numeric expression to the money type. -#}
{% macro to_money(expression) -%}
    cast(({{ expression }}) as {{ money_type() }})
{%- endmacro %}
