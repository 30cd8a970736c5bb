-- One row per row of the company's configuration file price_overrides.csv,
-- typed by the load (raw.config__price_overrides); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'price_overrides') }}

),

renamed as (

    select
        price_id,
        provider,
        model_id,
        usage_type,
        service_tier,
        context_threshold_tokens,
        unit,
        units_per_price,
        usd_per_price_unit,
        usd_per_unit,
        valid_from,
        valid_to,
        price_source,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
