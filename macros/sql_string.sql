{#- Used by the close records' writer (record_closed_periods), the memo's phrases
    (fct_variances) and register_raw_tables. -#}

{#- A value as a SQL string literal, so a path is data, never SQL: single quotes doubled on
    DuckDB; on Spark, whose literals read backslash escapes, backslashes and quotes escaped. -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
