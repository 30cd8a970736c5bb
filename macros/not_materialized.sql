{#- The CTE hint `not materialized` where the engine reads it (DuckDB: the CTE is inlined
    into each query that reads it, not computed once and kept), nothing on Spark, which
    has no such hint. Written between a CTE's name and its body: `name as {{ '{{' }}
    not_materialized() {{ '}}' }} (`. Takes no arguments. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
