{#- The project's money type (DECIMAL): one place to change precision. Models write
    cast(<plain SQL> as {{ money_type() }}). -#}
{% macro money_type() -%}
    decimal({{ var('money_precision') }}, {{ var('money_scale') }})
{%- endmacro %}
