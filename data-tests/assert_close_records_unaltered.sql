-- A closed period stays closed: every close record file still has the SHA-256 written in
-- its checksums.csv when the period closed, and no listed file is missing. Returns the
-- files that were altered, removed or added. (A build reading records stops before this,
-- in verify_close_records; this test also covers a build that reads none.)
{%- set directory = var('close_records_dir').rstrip('/') %}
-- noqa: disable=LT02
{%- if path_has_files(directory ~ '/close_period=*/checksums.csv') %}
with

listed as (

    select
        regexp_extract(filename, 'close_period=([0-9-]+)', 1) as close_period,
        file_name,
        sha256 as recorded_sha256
    from read_csv(
        {{ sql_string(directory ~ '/close_period=*/checksums.csv') }},
        header = true, all_varchar = true, filename = true
    )

),

present as (

    select
        regexp_extract(filename, 'close_period=([0-9-]+)', 1) as close_period,
        regexp_extract(filename, '[^/]+$') as file_name,
        sha256(content) as current_sha256
    from read_blob({{ sql_string(directory ~ '/close_period=*/*.parquet') }})

)

select
    coalesce(listed.close_period, present.close_period) as close_period,
    coalesce(listed.file_name, present.file_name) as file_name,
    listed.recorded_sha256,
    present.current_sha256
from listed
full outer join present
    on
        listed.close_period = present.close_period
        and listed.file_name = present.file_name
where listed.recorded_sha256 is distinct from present.current_sha256
{%- else %}
select null as close_period where false
{%- endif %}
