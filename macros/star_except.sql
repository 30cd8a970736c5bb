{#- Every column of a relation but the named ones, in order (a select-list item):
    `<relation>.* exclude (...)` on DuckDB, `<relation>.* except (...)` on Spark. -#}
{% macro star_except(relation, columns) -%}
    {%- if columns is string or columns | length == 0 %}
        {{ exceptions.raise_compiler_error('star_except needs a list of column names') }}
    {%- endif %}
    {{- return(adapter.dispatch('star_except')(relation, columns)) }}
{%- endmacro %}

{% macro default__star_except(relation, columns) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(relation, columns) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}
