{#- An incremental table built by an older version of this project lacks the column its
    incremental logic reads: say so (instead of a SQL error) and how to rebuild it. -#}
{% macro require_incremental_column(column_name) -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if column_name not in columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ ' was built by an older version of this project (it has no column '
            ~ column_name ~ '). Rebuild it once: dbt build --full-refresh') }}
    {%- endif -%}
{%- endmacro %}
