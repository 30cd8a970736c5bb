{#-
    Nothing lost, nothing double-counted between the landing zone and a staging model: for
    every file of the model's landed source, the records counted straight from the file by
    the load (raw.landed_files, independently of the reader) equal the model's rows from
    that file (valid, quarantined or superseded) plus the records the load rejected.
    Returns the files that do not balance, with both counts.
-#}
{% test landed_records_conserved(model, source_name, table_name) %}

with

landed_files as (

    select * from {{ source('landing', 'landed_files') }}

),

load_rejects as (

    select * from {{ source('landing', 'load_rejects') }}

),

landed as (

    select
        source_file,
        landed_records
    from landed_files
    where raw_table = '{{ source_name }}__{{ table_name }}'

),

accounted as (

    select
        source_file,
        count(*) as accounted_records
    from {{ model }}
    group by source_file
    union all
    select
        source_file,
        sum(rejected_records) as accounted_records
    from load_rejects
    where raw_table = '{{ source_name }}__{{ table_name }}'
    group by source_file

),

accounted_per_file as (

    select
        source_file,
        sum(accounted_records) as accounted_records
    from accounted
    group by source_file

),

unbalanced as (

    select
        '{{ model.identifier }}' as staging_model,
        coalesce(landed.source_file, accounted_per_file.source_file) as source_file,
        coalesce(landed.landed_records, 0) as landed_records,
        coalesce(accounted_per_file.accounted_records, 0) as accounted_records
    from landed
    full outer join accounted_per_file
        on landed.source_file = accounted_per_file.source_file
    where coalesce(landed.landed_records, 0) != coalesce(accounted_per_file.accounted_records, 0)

)

select * from unbalanced

{% endtest %}
