{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- Pre-hook: delete the days this run rebuilds (the model then appends them). -#}
{% macro delete_days_to_rebuild(fingerprints) -%}
    {%- if this is not none and is_incremental() -%}
        delete from {{ this }} where requested_date in ({{ days_to_rebuild(fingerprints) }})
    {%- endif -%}
{%- endmacro %}
