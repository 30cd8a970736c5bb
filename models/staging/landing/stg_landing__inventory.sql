{{ config(materialized='table') }}

-- One row per file under the landing folder (RECON_RAW_DIR), at any depth, with what
-- happened to it: read by a staging model (its records counted in stg_landing__files),
-- quarantined whole by it (a CSV file its reader does not read: not UTF-8, an unterminated
-- quote, mixed line endings, too many malformed lines; listed in
-- int_quarantined_rows_unioned), not recognized (no
-- landing source's glob claims it: a folder name with a typo, an unknown provider folder,
-- an extension no reader takes), or ignored (a hidden file such as .DS_Store). A file
-- nobody reads is never silent: int_quarantined_rows_unioned lists every unrecognized
-- file, which blocks every close until it is moved, renamed or read.
-- Lists names and sizes only; reads no content.
with

landed_files as (

    select
        filename as source_file,
        size as size_bytes,
        last_modified
    from {{ landing_file_listing() }}

),

files_read as (

    select * from {{ ref('stg_landing__files') }}

),

classified as (

    select
        landed_files.source_file,
        -- (the folder's own name, not the glob pattern that reads it)
        substr(landed_files.source_file, {{ (var('raw_dir').rstrip('/') ~ '/') | length + 1 }})
            as relative_path,
        files_read.staging_model,
        case
            -- The CSV pre-check found a file its reader cannot read (not UTF-8, an
            -- unterminated quote, mixed line endings): quarantined whole.
            when files_read.file_check != 'UTF-16' then 'quarantined'
            when files_read.staging_model is not null then 'read'
            when regexp_matches(landed_files.source_file, '/\.[^/]*$') then 'ignored_hidden'
            else 'not_recognized'
        end as file_status,
        files_read.landed_records,
        landed_files.size_bytes,
        landed_files.last_modified
    from landed_files
    left join files_read
        on landed_files.source_file = files_read.source_file

)

select * from classified
