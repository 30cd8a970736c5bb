{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- A filter on a date column: every day when the model is built whole, else the days to
    rebuild. -#}
{% macro in_days_to_rebuild(date_column, fingerprints) -%}
    {%- if this is not none and is_incremental() -%}
        {{ date_column }} in ({{ days_to_rebuild(fingerprints) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
