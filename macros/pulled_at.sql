{#- Pull time of an export file: a pull_YYYY-MM-DD folder or file name wins, else mtime. -#}
{% macro pulled_at(filename_column, last_modified_column) -%}
    coalesce(
        try_cast(
            nullif(regexp_extract({{ filename_column }}, 'pull_([0-9]{4}-[0-9]{2}-[0-9]{2})', 1), '')
            as timestamp
        ),
        cast({{ last_modified_column }} as timestamp)
    )
{%- endmacro %}
