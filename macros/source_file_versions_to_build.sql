{#-
    File-incremental staging models (the telemetry readers) parse each landed file version
    once: a run selects only the file versions of the raw table that the model has not
    built yet (source_file_versions_to_build) after its pre-hook forgot the rows of file
    versions the raw table no longer holds (a re-landed or removed file:
    forget_file_versions_not_loaded). Plain SQL over the model's own source.
-#}

{#- A where-clause condition on the rows of the source, read as `source_alias`: every row in
    a full build, else only file versions the model does not hold yet. An anti-join (not
    exists), not a two-column `not in`, which Spark runs as a nested loop over every row. -#}
{% macro source_file_versions_to_build(source_alias) -%}
    {%- if this is not none and is_incremental() -%}
        not exists (
            select 1
            from (select distinct source_file, source_file_version from {{ this }}) as built
            where
                built.source_file = {{ source_alias }}.source_file
                and built.source_file_version = {{ source_alias }}.source_file_version
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
