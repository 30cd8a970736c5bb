{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- The DuckDB session variable holding the model's days to rebuild (one per model). -#}
{% macro days_to_rebuild_variable() -%}
    days_to_rebuild_{{ this.identifier }}
{%- endmacro %}
