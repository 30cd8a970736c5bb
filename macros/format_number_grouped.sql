{#- A number as text with thousands separators (1,234,567), with the given number of
    decimals (rounded half to even, as both engines' formatters do), or, with decimals
    none, as the number shows itself (an integer has none). format('{:,...}') on DuckDB,
    format_number on Spark. -#}
{% macro format_number_grouped(expression, decimals=none) -%}
    {{ return(adapter.dispatch('format_number_grouped')(expression, decimals)) }}
{%- endmacro %}

{% macro default__format_number_grouped(expression, decimals) -%}
    {%- if decimals is none -%}
        format('{:,}', {{ expression }})
    {%- else -%}
        format('{:,.{{ decimals | int }}f}', {{ expression }})
    {%- endif -%}
{%- endmacro %}

{#- format_number needs the decimals: with none, only an integer is supported. -#}
{% macro spark__format_number_grouped(expression, decimals) -%}
    format_number({{ expression }}, {{ (decimals if decimals is not none else 0) | int }})
{%- endmacro %}
