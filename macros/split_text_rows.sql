{#- One row per part of a text split at a delimiter (a plain text, not a pattern), as a
    set-returning select-list expression: unnest(string_split(...)) on DuckDB,
    explode(split(...)) on Spark, with the delimiter quoted as a literal pattern. -#}
{% macro split_text_rows(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_text_rows')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__split_text_rows(expression, delimiter) -%}
    unnest(string_split({{ expression }}, {{ sql_string(delimiter) }}))
{%- endmacro %}

{% macro spark__split_text_rows(expression, delimiter) -%}
    explode(split({{ expression }}, {{ sql_string('\\Q' ~ delimiter ~ '\\E') }}, -1))
{%- endmacro %}
