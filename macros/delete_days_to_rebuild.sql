{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- Pre-hook: remove the days this run rebuilds (the model then writes them again): a delete
    on DuckDB; on Spark, whose tables are partitioned by requested_date
    (replace_by_partition_config), their partitions dropped. -#}
{% macro delete_days_to_rebuild(fingerprints) -%}
    {%- if this is not none and is_incremental() -%}
        {{ return(adapter.dispatch('delete_days_to_rebuild')(fingerprints)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_days_to_rebuild(fingerprints) -%}
    delete from {{ this }} where requested_date in ({{ days_to_rebuild(fingerprints) }})
{%- endmacro %}

{% macro spark__delete_days_to_rebuild(fingerprints) -%}
    {{ drop_partitions('requested_date', days_to_rebuild(fingerprints)) }}
{%- endmacro %}
