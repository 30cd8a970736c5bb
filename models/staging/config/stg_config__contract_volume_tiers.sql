-- One row per row of the company's configuration file contract_volume_tiers.csv,
-- typed by the load (raw.config__contract_volume_tiers); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'contract_volume_tiers') }}

),

renamed as (

    select
        volume_tier_id,
        provider,
        billing_account_id,
        model_id,
        usage_type,
        threshold_quantity_per_period,
        discount_pct,
        valid_from,
        valid_to,
        contract_reference,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
