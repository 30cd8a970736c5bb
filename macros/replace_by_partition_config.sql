{#- Part of the incremental schemes (days_to_rebuild.sql, source_file_versions_to_build.sql). -#}

{#- The config of an incremental model whose rows are replaced a group at a time (a request
    day, a landed file): on DuckDB the pre-hook deletes the groups to rebuild and the run
    appends them; on Spark, whose Parquet tables cannot delete rows, the table is partitioned
    by the group's column, the pre-hook drops the partitions to rebuild and the run overwrites
    the partitions it writes. Models call config(..., **replace_by_partition_config(column)). -#}
{% macro replace_by_partition_config(partition_column) -%}
    {{ return(adapter.dispatch('replace_by_partition_config')(partition_column)) }}
{%- endmacro %}

{% macro default__replace_by_partition_config(partition_column) -%}
    {{ return({'incremental_strategy': 'append'}) }}
{%- endmacro %}

{% macro spark__replace_by_partition_config(partition_column) -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [partition_column],
        'file_format': 'parquet'
    }) }}
{%- endmacro %}
