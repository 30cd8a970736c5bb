{#- Whether the whole text matches a regular expression (RE2 on DuckDB, Java on Spark: the
    project's patterns use only what both read alike). NULL when the text is NULL. -#}
{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- \z, not $: Java's $ also matches before a final line break. -#}
{% macro spark__regex_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, '^(?:{{ pattern | replace("\\", "\\\\") }})\\z')
{%- endmacro %}
