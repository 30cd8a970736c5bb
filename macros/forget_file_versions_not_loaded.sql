{#- The pre-hook half of the file-incremental staging models; the scheme is described in
    source_file_versions_to_build.sql. -#}

{#- Pre-hook: drop the rows of file versions the raw table no longer holds: a delete on
    DuckDB; on Spark, whose tables are partitioned by source_file
    (replace_by_partition_config), the partitions of those files dropped. -#}
{% macro forget_file_versions_not_loaded(source_relation) -%}
    {%- if this is not none and is_incremental() -%}
        {{ return(adapter.dispatch('forget_file_versions_not_loaded')(source_relation)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__forget_file_versions_not_loaded(source_relation) -%}
    delete from {{ this }}
    where (source_file, source_file_version) not in (
        select distinct source_file, source_file_version from {{ source_relation }}
    )
{%- endmacro %}

{% macro spark__forget_file_versions_not_loaded(source_relation) -%}
    {%- set files_not_loaded -%}
        select distinct built.source_file
        from (select distinct source_file, source_file_version from {{ this }}) as built
        where not exists (
            select 1 from {{ source_relation }} as landed
            where
                landed.source_file = built.source_file
                and landed.source_file_version = built.source_file_version
        )
    {%- endset -%}
    {{ drop_partitions('source_file', files_not_loaded) }}
{%- endmacro %}
