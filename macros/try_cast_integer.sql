{#- Text to an integer type as DuckDB's try_cast reads it: a decimal or exponent form
    (2.0, 1.5e3) is rounded half away from zero; NULL when not a number or out of range. -#}
{% macro try_cast_integer(expression, integer_type='bigint') -%}
    {{ return(adapter.dispatch('try_cast_integer')(expression, integer_type)) }}
{%- endmacro %}

{% macro default__try_cast_integer(expression, integer_type) -%}
    try_cast({{ expression }} as {{ integer_type }})
{%- endmacro %}

{#- Spark's try_cast to an integer type refuses any fraction: read it as a decimal, round. -#}
{% macro spark__try_cast_integer(expression, integer_type) -%}
    try_cast(round(try_cast({{ expression }} as decimal(38, 9))) as {{ integer_type }})
{%- endmacro %}
