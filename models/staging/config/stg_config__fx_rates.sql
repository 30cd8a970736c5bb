-- One row per row of the company's configuration file fx_rates.csv,
-- typed by the load (raw.config__fx_rates); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'fx_rates') }}

),

renamed as (

    select
        period,
        currency_code,
        units_per_usd,
        rate_source,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
