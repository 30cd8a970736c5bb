{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- Pre-hook: remove the days this run rebuilds (the model then writes them again). On
    DuckDB the days are first kept as a list in a session variable of the model's
    (days_to_rebuild_variable), which in_days_to_rebuild reads as a constant, then deleted; on
    Spark, whose tables are partitioned by requested_date (replace_by_partition_config),
    their partitions are dropped. -#}
{% macro delete_days_to_rebuild(fingerprints) -%}
    {%- if this is not none and is_incremental() -%}
        {{ return(adapter.dispatch('delete_days_to_rebuild')(fingerprints)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_days_to_rebuild(fingerprints) -%}
    set variable {{ days_to_rebuild_variable() }} = (
        select coalesce(list(distinct days.requested_date), [])
        from ({{ days_to_rebuild(fingerprints) }}) as days
    );
    delete from {{ this }}
    where list_contains(getvariable('{{ days_to_rebuild_variable() }}'), requested_date)
{%- endmacro %}

{% macro spark__delete_days_to_rebuild(fingerprints) -%}
    {{ drop_partitions('requested_date', days_to_rebuild(fingerprints)) }}
{%- endmacro %}
