{#- Every column of a relation's row as one text (SQL expression), for fingerprints: a
    change to any value changes the text. Each engine writes its own text (the row cast to
    VARCHAR on DuckDB, to_json of the row as a struct, NULLs kept, on Spark), so a
    fingerprint compares builds on one engine only. -#}
{% macro row_as_text(relation) -%}
    {{ return(adapter.dispatch('row_as_text')(relation)) }}
{%- endmacro %}

{% macro default__row_as_text(relation) -%}
    cast({{ relation }} as varchar)
{%- endmacro %}

{% macro spark__row_as_text(relation) -%}
    to_json(struct({{ relation }}.*), map('ignoreNullFields', 'false'))
{%- endmacro %}
