{#-
    File-incremental staging models (the telemetry readers) parse each landed file version
    once: a run selects only the file versions of the raw table that the model has not
    built yet (source_file_versions_to_build) after its pre-hook forgot the rows of file
    versions the raw table no longer holds (a re-landed or removed file:
    forget_file_versions_not_loaded). Plain SQL over the model's own source.
-#}

{#- A where-clause condition on the source's rows: every row in a full build, else only
    file versions the model does not hold yet. -#}
{% macro source_file_versions_to_build() -%}
    {%- if this is not none and is_incremental() -%}
        (source_file, source_file_version) not in (
            select distinct source_file, source_file_version from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
