{#- A DOUBLE cast to the money type, rounded half away from zero from its shortest decimal
    text, as Spark casts a DOUBLE to a decimal. DuckDB's own cast rounds the binary value
    times 10^scale instead, so an exact half (0.8124004125 / 2 = 0.40620020625, which a
    double holds as 0.406200206249999...) came out a unit of the last decimal apart on the
    two engines; through its text DuckDB rounds it as Spark does. -#}
{% macro double_to_money(expression) -%}
    {{ return(adapter.dispatch('double_to_money')(expression)) }}
{%- endmacro %}

{% macro default__double_to_money(expression) -%}
    cast(cast(cast(({{ expression }}) as double) as varchar) as {{ money_type() }})
{%- endmacro %}

{% macro spark__double_to_money(expression) -%}
    cast(cast(({{ expression }}) as double) as {{ money_type() }})
{%- endmacro %}
