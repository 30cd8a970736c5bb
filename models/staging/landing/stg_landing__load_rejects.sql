-- One row per landed record or file the load could not read (raw.load_rejects), named by
-- the staging model that would have staged it: int_quarantined_rows_unioned lists each
-- with its file, line and reason, and the landed_records_conserved tests count them.
with

load_rejects as (

    select * from {{ source('landing', 'load_rejects') }}

),

named as (

    select
        'stg_' || raw_table as staging_model,
        source_file,
        source_file_version,
        reject_reason,
        reject_message,
        record_number,
        line_number,
        rejected_records
    from load_rejects

)

select * from named
