{#- The pre-hook half of the file-incremental staging models; the scheme is described in
    source_file_versions_to_build.sql. -#}

{#- Pre-hook: drop the rows of file versions the raw table no longer holds. -#}
{% macro forget_file_versions_not_loaded(source_relation) -%}
    {%- if this is not none and is_incremental() -%}
        delete from {{ this }}
        where (source_file, source_file_version) not in (
            select distinct source_file, source_file_version from {{ source_relation }}
        )
    {%- endif -%}
{%- endmacro %}
