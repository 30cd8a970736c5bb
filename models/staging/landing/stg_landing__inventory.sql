-- One row per file under the landing folder (RECON_RAW_DIR), at any depth, with what the
-- load did with it: read into the raw table of a landed source (staged by the staging
-- model of that name), quarantined whole (a file its reader cannot read: not UTF-8, an
-- unterminated quote, mixed line endings, too many malformed lines, not JSON), not
-- recognized (no landed source reads it: a folder name with a typo, an unknown provider
-- folder, an extension no reader takes), or ignored (a hidden file such as .DS_Store).
-- A file nobody reads is never silent: int_quarantined_rows_unioned lists every
-- unrecognized file, which blocks every close until it is moved, renamed or read.
with

landed_files as (

    select * from {{ source('landing', 'landed_files') }}

),

named as (

    select
        source_file,
        relative_path,
        'stg_' || raw_table as staging_model,
        file_status,
        file_check,
        source_file_version,
        landed_records,
        size_bytes,
        source_file_modified_at as last_modified
    from landed_files

)

select * from named
