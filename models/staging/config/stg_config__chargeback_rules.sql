-- One row per row of the company's configuration file chargeback_rules.csv,
-- typed by the load (raw.config__chargeback_rules); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'chargeback_rules') }}

),

renamed as (

    select
        line_type,
        allocation_method,
        rationale,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
