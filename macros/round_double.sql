{#- A DOUBLE rounded to a number of decimals, half away from zero, as DuckDB's round()
    does it: the value times 10^decimals rounded to an integer, divided back (SQL
    expression, DOUBLE). round() on DuckDB; on Spark, whose round() of a DOUBLE rounds its
    shortest decimal text instead, the same arithmetic spelled out, so a value just below a
    half (1.005 is 1.00499999...) rounds alike on both. -#}
{% macro round_double(expression, decimals) -%}
    {{ return(adapter.dispatch('round_double')(expression, decimals | int)) }}
{%- endmacro %}

{% macro default__round_double(expression, decimals) -%}
    round({{ expression }}, {{ decimals }})
{%- endmacro %}

{% macro spark__round_double(expression, decimals) -%}
    (round(cast({{ expression }} as double) * 1e{{ decimals }}, 0) / 1e{{ decimals }})
{%- endmacro %}
