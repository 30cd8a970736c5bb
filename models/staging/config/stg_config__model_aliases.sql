-- One row per row of the company's configuration file model_aliases.csv,
-- typed by the load (raw.config__model_aliases); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'model_aliases') }}

),

renamed as (

    select
        provider,
        alias,
        model_id,
        valid_from,
        valid_to,
        note,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
