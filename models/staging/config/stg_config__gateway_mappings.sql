-- One row per row of the company's configuration file gateway_mappings.csv,
-- typed by the load (raw.config__gateway_mappings); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'gateway_mappings') }}

),

renamed as (

    select
        gateway_mapping_id,
        telemetry_source,
        match_field,
        match_value,
        provider,
        billing_account_id,
        project_id,
        api_key_id,
        service_tier,
        valid_from,
        valid_to,
        note,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
