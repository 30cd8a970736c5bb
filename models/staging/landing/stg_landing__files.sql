{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ forget_unlanded_file_versions(landed_sources()) }}"
) }}

-- One row per landed file of every landing source: its version and the records counted
-- straight from it, independently of the staging readers (macros/conservation.sql). It is
-- file-incremental like the telemetry staging models: a file is counted once, when it
-- lands or is re-landed, so proving conservation never rereads a month of telemetry.
{%- for source_name, table_name, staging_model in landed_sources() %}
    {%- do source(source_name, table_name) %}
{%- endfor %}
with

landed_files as (

    {% for source_name, table_name, staging_model in landed_sources() -%}
        select
            '{{ staging_model }}' as staging_model,
            counted.source_file,
            counted.source_file_version,
            counted.landed_records,
            counted.file_check
        from {{ landed_record_counts(source_name, table_name) }}
            as counted (source_file, source_file_version, landed_records, file_check)
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from landed_files
